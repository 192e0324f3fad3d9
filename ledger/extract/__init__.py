"""Extract: candidate forecasts from a transcript or an article, for a keeper to review.

`extract` reads a text (plain, Markdown, or a transcript with speakers and
timestamps) and returns every sentence or clause that holds a forecast-like
claim, with its hedge words mapped to a probability, its horizon turned into a
window, and its kind, plus the sentences it passed over and why. It never
writes a ledger: `show.extract` turns the result into YAML stubs or JSON, and
`coverage` compares it with a ledger's forecasts and `skipped:` entries.

The stages, one module each: `turns` (paragraphs, speakers, timestamps),
`sentences` (sentences and clauses), `cues`, `probability`, `horizons` and
`claims` (what a piece says), `windows` (horizons → dates), `classify` (a
piece → a candidate or a reason to pass it over), `coverage` and `stubs`.
"""

from __future__ import annotations

import bisect
import re

from ledger.extract.classify import classify
from ledger.extract.model import Candidate, Extraction, Options, PassedOver, Where
from ledger.extract.sentences import Piece, clauses, sentences
from ledger.extract.turns import Paragraph, paragraphs

__all__ = ["LARGEST", "Extraction", "Options", "extract"]

LARGEST = 10_000_000
"""The longest text `ledger extract` reads, in characters: about half a minute's
work at the speed measured in benchmarks/bench_extract.py (a book is about one
million characters)."""


def extract(text: str, path: str, options: Options) -> Extraction:
    """The candidates and the passed-over sentences of `text`, in order.

    With `options.speakers`, only the turns of those speakers are read.
    """
    known = options.speakers | set(options.forecasters)
    found = paragraphs(text, known)
    lines = [0, *(match.end() for match in re.finditer("\n", text))]
    candidates: list[Candidate] = []
    passed: list[PassedOver] = []
    labels: list[str] = []
    for paragraph in found:
        if paragraph.speaker is not None and paragraph.speaker not in labels:
            labels.append(paragraph.speaker)
        speaker = (paragraph.speaker or "").lower()
        if options.speakers and speaker not in options.speakers:
            continue
        for sentence in sentences(text, paragraph.start, paragraph.end):
            fragment = sentence.fragment or paragraph.heading
            for result in _read(text, sentence, fragment, paragraph, lines, options):
                if isinstance(result, Candidate):
                    candidates.append(result)
                else:
                    passed.append(result)
    return Extraction(path, tuple(candidates), tuple(passed), tuple(labels))


def _read(
    text: str,
    sentence: Piece,
    fragment: bool,
    paragraph: Paragraph,
    lines: list[int],
    options: Options,
) -> list[Candidate | PassedOver]:
    """A sentence's results, one per clause if two or more clauses hold a claim.

    Otherwise the sentence's own result (none if it holds nothing).
    """

    def read(piece: Piece) -> Candidate | PassedOver | None:
        where = Where(
            piece.start, bisect.bisect_right(lines, piece.start), paragraph.speaker,
            paragraph.time,
        )
        return classify(text[piece.start:piece.end], where, options, fragment)

    parts = clauses(text, sentence)
    if len(parts) > 1:
        results = [read(part) for part in parts]
        claims = [r for r in results if isinstance(r, Candidate) and r.strong]
        if len(claims) >= 2:
            return [r for r in results if r is not None]
    whole = read(sentence)
    return [] if whole is None else [whole]
