"""Turns: a text cut into paragraphs, each with its speaker and timestamp.

Plain text, Markdown and transcripts are read alike. A transcript line may
start with a timestamp (`[00:12:34]`, `(12:34)` or `00:12:34`) and a speaker
label (`Name:`); a label is taken for a speaker when its line has a timestamp,
when the same label starts two or more lines, or when it names someone the
caller knows (the --speaker, a forecaster of the ledger). So "Robotics
timeline: ..." in a summary stays text. A turn runs until the next label.
SubRip and WebVTT cue numbers and timing lines set the time and are skipped;
so are Markdown code fences and front matter. Markdown headings are kept as
headings (never read for claims), and each list item is a paragraph.

Offsets always point into the text as given, so every quote cut from a
paragraph is a verbatim substring of the input.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Container, Iterator

_STAMP = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_TIMESTAMP = re.compile(rf"[\[(]?(?P<time>{_STAMP})[\])]?(?:\s+|$)")
_LABEL = re.compile(
    r"(?P<name>[A-Z][\w.'’-]*(?:[ \t]+(?:[A-Z][\w.'’-]*|\d+|of|de|van|von|da)){0,3})"
    r"(?:[ \t]*[\[(](?P<time>" + _STAMP + r")[\])])?[ \t]*:(?:[ \t]+|$)"
)
# SubRip and WebVTT: "00:00:01,000 --> 00:00:04,000", and the cue's number
_CUE_TIMING = re.compile(rf"(?P<time>{_STAMP})\s*-->\s*{_STAMP}.*")
_CUE_NUMBER = re.compile(r"\d+[ \t]*")
# Markdown: code fences, headings, list items, block quotes
_FENCE, _HEADING, _ITEM, _QUOTE_MARK = (
    re.compile(pattern)
    for pattern in (
        r"[ \t]*(```|~~~)",
        r"[ \t]{0,3}#{1,6}(?:[ \t]+|$)",
        r"[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+",
        r"[ \t]*>[ \t]?",
    )
)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A run of prose: offsets into the input, its speaker and timestamp."""

    start: int
    end: int
    speaker: str | None
    time: str | None
    heading: bool = False


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line without its line break) for each line of `text`."""
    at = 0
    for line in text.splitlines(keepends=True):
        yield at, line.rstrip("\r\n")
        at += len(line)


def _label(line: str) -> tuple[str, str | None, int] | None:
    """(name, time, length) of a speaker label at the start of `line`."""
    match = _LABEL.match(line)
    if match is None or len(match.group("name")) > 40:
        return None
    return match.group("name"), match.group("time"), match.end()


def speaker_labels(text: str, known: Container[str] = ()) -> set[str]:
    """The line-start labels that name speakers (see the module docstring)."""
    counts: Counter[str] = Counter()
    stamped: set[str] = set()
    for _, line in _lines(text):
        stamp = _TIMESTAMP.match(line)
        rest = line[stamp.end():] if stamp else line
        found = _label(rest)
        if found is not None:
            counts[found[0]] += 1
            if stamp or found[1]:
                stamped.add(found[0])
    return {
        name for name, count in counts.items()
        if count >= 2 or name in stamped or name.lower() in known
    }


def paragraphs(text: str, known: Container[str] = ()) -> list[Paragraph]:
    """The paragraphs of `text` in order, each with its speaker and time."""
    reader = _Reader(list(_lines(text)), speaker_labels(text, known))
    for number, (at, line) in enumerate(reader.lines):
        reader.read(number, at, line)
    reader.close()
    return reader.found


class _Reader:
    """Reads a text line by line into paragraphs."""

    def __init__(self, lines: list[tuple[int, str]], labels: set[str]) -> None:
        self.lines = lines
        self.labels = labels
        self.found: list[Paragraph] = []
        self.speaker: str | None = None
        self.time: str | None = None
        self.start = self.end = -1  # the open paragraph, if start >= 0
        self.fenced = False
        self.quoted = False  # the open paragraph is in a block quote
        self.front = bool(lines) and lines[0][1].strip() == "---"

    def close(self) -> None:
        """End the open paragraph, if any."""
        if self.start >= 0:
            self.found.append(Paragraph(self.start, self.end, self.speaker, self.time))
        self.start = -1

    def skipped(self, number: int, line: str) -> bool:
        """Whether `line` is front matter, a code fence, a cue or blank."""
        if self.front:
            if number > 0 and line.strip() in ("---", "..."):
                self.front = False
            return True
        if _FENCE.match(line):
            self.fenced = not self.fenced
            return True
        if self.fenced or line.strip() in ("WEBVTT", ""):
            return True
        cue = _CUE_TIMING.fullmatch(line.strip())
        if cue or (_CUE_NUMBER.fullmatch(line) and _is_cue(self.lines, number)):
            self.time = cue.group("time") if cue else self.time
            return True
        return False

    def read(self, number: int, at: int, line: str) -> None:
        """Read one line: a new turn, a heading, an item, or more of a paragraph."""
        if self.skipped(number, line):
            self.close()
            return
        column = 0
        stamp = _TIMESTAMP.match(line)
        if stamp:
            self.close()
            self.time, column = stamp.group("time"), stamp.end()
        label = _label(line[column:])
        if label is not None and label[0] in self.labels:
            self.close()
            self.speaker = label[0]
            self.time = label[1] or self.time
            column += label[2]
        heading = _HEADING.match(line, column)
        if heading:
            self.close()
            paragraph = Paragraph(
                at + heading.end(), at + len(line), self.speaker, self.time, True
            )
            self.found.append(paragraph)
            return
        quoted = _QUOTE_MARK.match(line, column)
        if bool(quoted) != self.quoted:  # a block quote starts or ends
            self.close()
            self.quoted = bool(quoted)
        if quoted:
            column = quoted.end()
        item = _ITEM.match(line, column)
        if item and item.end() < len(line):
            self.close()
            column = item.end()
        column += len(line[column:]) - len(line[column:].lstrip(" \t"))
        if column >= len(line):
            return
        if self.start < 0:
            self.start = at + column
        self.end = at + len(line)


def _is_cue(lines: list[tuple[int, str]], number: int) -> bool:
    """Whether a line of digits is a SubRip cue number (a timing line follows)."""
    following = lines[number + 1][1].strip() if number + 1 < len(lines) else ""
    return _CUE_TIMING.fullmatch(following) is not None
