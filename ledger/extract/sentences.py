"""Sentences and clauses: a paragraph cut into the pieces a claim can be quoted from.

A sentence ends at `.`, `!`, `?` or `…` (and any closing quotes or brackets)
followed by a space and a capital, digit, quote or bracket, or the end of the
paragraph; not after a known abbreviation, an initial or a decimal point. A
line break also ends a sentence when the line ends with such a mark or a
colon, or when the line is short and the next starts with a capital (a
heading line, a line of a summary): hard-wrapped prose keeps flowing. A short
piece that ends a line without a full stop is a `fragment` (a heading, a
lead-in such as "Pivotal decisions:"), never read for claims.

A sentence may hold several claims: `clauses` cuts it at `;` and at a comma
before "and", "but", "while", "whereas", "though" or "although". Runs longer
than `LONGEST` characters are cut at a space, so no input makes one huge piece.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LONGEST = 2000  # characters; a longer run of text without a full stop is cut
_SHORT_LINE = 60  # a line shorter than this that starts no sentence flow is a line

_END = re.compile(r"[.!?…]+[”\"’')\]]*(?=\s|$)")
# the next sentence starts with a capital, a digit, a quote or bracket, or a
# lowercase name with a digit or capital in it ("o1", "iPhone")
_NEXT = re.compile(r"\s+(?=[\"“‘'(\[A-Z0-9¿¡~]|[a-z]+[A-Z0-9])")
_ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e",
    "cf", "approx", "inc", "ltd", "co", "corp", "no", "fig", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k",
    "a.m", "p.m", "ph.d", "gen", "gov", "sen", "rep", "rev", "mt", "ft", "est", "al",
))
_LINE_END = re.compile(r"[.!?…:][”\"’')\]]*\s*$")
_CLAUSE = re.compile(
    r";\s+|,\s+(?:and|but|while|whereas|though|although|yet)\s+", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Piece:
    """A sentence or clause: offsets into the input, and whether it is a fragment."""

    start: int
    end: int
    fragment: bool = False


def sentences(text: str, start: int, end: int) -> list[Piece]:
    """The sentences of the paragraph `text[start:end]`, in order."""
    cuts = sorted(set(_stops(text, start, end)) | set(_line_stops(text, start, end)))
    found: list[Piece] = []
    at = start
    for cut in [*cuts, end]:
        for piece_start, piece_end in _bounded(text, at, cut):
            piece = _trimmed(text, piece_start, piece_end)
            if piece is not None:
                found.append(piece)
        at = cut
    return found


def _stops(text: str, start: int, end: int) -> list[int]:
    """Offsets just after each sentence-ending mark that ends a sentence."""
    found = []
    for match in _END.finditer(text, start, end):
        stop = match.end()
        if stop < end and not _NEXT.match(text, stop, end):
            continue
        if match.group().startswith(".") and len(match.group().rstrip("”\"’')]")) == 1:
            word = re.search(r"([\w.]+)$", text[max(start, stop - 12): match.start()])
            token = word.group(1).lower() if word else ""
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
        found.append(stop)
    return found


def _line_stops(text: str, start: int, end: int) -> list[int]:
    """Line breaks that end a sentence (see the module docstring)."""
    found = []
    at = text.find("\n", start, end)
    while at >= 0:
        line_start = text.rfind("\n", start, at) + 1 or start
        line = text[max(line_start, start):at]
        following = text[at + 1:end].lstrip()
        if _LINE_END.search(line) or (
            len(line.strip()) < _SHORT_LINE and following[:1].isupper()
        ):
            found.append(at)
        at = text.find("\n", at + 1, end)
    return found


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """`text[start:end]` in runs of at most LONGEST characters, cut at spaces."""
    runs = []
    while end - start > LONGEST:
        cut = text.rfind(" ", start + LONGEST // 2, start + LONGEST)
        cut = cut if cut > start else start + LONGEST
        runs.append((start, cut))
        start = cut
    runs.append((start, end))
    return runs


def _trimmed(text: str, start: int, end: int) -> Piece | None:
    """The piece without surrounding white space; None if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    body = text[start:end].rstrip("”\"’')]")
    after = text[end:end + 2].lstrip(" \t")[:1]
    fragment = (
        not body.endswith((".", "!", "?", "…"))
        and len(body.split()) <= 12
        and after in ("\n", "\r", "")
    )
    return Piece(start, end, fragment)


def clauses(text: str, piece: Piece) -> list[Piece]:
    """The clauses of a sentence, cut at `;` and a comma before a conjunction."""
    found = []
    at = piece.start
    for match in _CLAUSE.finditer(text, piece.start, piece.end):
        found.append(Piece(at, match.start()))
        at = match.end()
    found.append(Piece(at, piece.end))
    return [p for p in found if text[p.start:p.end].strip()]
