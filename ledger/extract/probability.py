"""Probability: the number or the hedge words a sentence puts on its claim.

Stated numbers win over words: "a 10 to 20% chance" is p 0.15 (`stated`, with
a note giving the range), "one in ten" 0.1, "a coin flip" or "50/50" 0.5. A
percent or "N in M" counts as a probability only next to a word such as
chance, odds, likely, risk or sure, or when it is a bare answer ("Not really,
10% to 20%."); "10% of jobs" is a quantity. Otherwise the hedge words are
looked up in every shipped table (frequency words such as "often" and
"always" describe habits, not forecasts, and are left out) and mapped with
the chosen one: "likely" is p 0.675 with icd-203. Words the table lacks keep
p null and say so. A negated hedge ("not likely") is reported as written and
never inverted; "more likely" and "most likely" are comparisons, not table
words.
"""

from __future__ import annotations

import re
from functools import cache

from ledger.core import words as tables
from ledger.extract.cues import MODAL
from ledger.extract.model import Probability

_I = re.IGNORECASE
_FREQUENCY = frozenset({
    "always", "almost always", "usually", "frequently", "often", "not often",
    "rarely", "never", "more often than not",
})
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "twenty": 20, "twenty-five": 25,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100,
    "a thousand": 1000, "thousand": 1000, "a million": 1_000_000,
}
_N = r"\d+(?:\.\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_PCT = r"\s*(?:%|\s?percent\b|\s?per\s?cent\b)"
_DASH = r"\s*(?:[-‐‑‒–—−]|\bto\b|\bor\b)\s*"
_ARTICLE = r"(?:\b(?:an?|the)\s+)?"
_NOUN = r"(?:[\s-]+(?:chance|probability|likelihood|risk|odds|shot))?"
_STATED = re.compile(
    rf"{_ARTICLE}(?P<a>{_N})(?:{_PCT})?{_DASH}(?P<b>{_N}){_PCT}{_NOUN}"
    rf"|{_ARTICLE}(?P<c>{_N}){_PCT}{_NOUN}"
    rf"|{_ARTICLE}\b(?P<d>{_N})[\s-]+(?:in|out[\s-]+of)[\s-]+(?P<e>{_N})\b{_NOUN}"
    r"|(?P<even>\b(?:a\s+)?(?:coin[\s-]?(?:flip|toss)|toss[\s-]?up)\b|"
    r"\b(?:50\s*/\s*50|50-50|fifty[\s-]fifty|even odds|even money)\b)",
    _I,
)
_QUANTITY_BEFORE = re.compile(
    r"\b(?:by|of|to|at|from|than|about|around|over|under|in|is|was|are|were|be|"
    r"rose|fell|grew|dropped|reached|hit)\s*$",
    _I,
)
# every stated form holds one of these
_STATED_HINT = re.compile(
    r"\d|coin|toss|fifty|even\s+(?:odds|money)|(?:one|two|three|four|five|six|seven|"
    r"eight|nine|ten|twenty|thirty|forty|hundred|thousand|million)[\s-]+(?:in|out)\b",
    _I,
)
_CONTEXT = re.compile(
    r"\b(?:chances?|probabilit(?:y|ies)|probabl[ey]|likely|likelihood|odds|risk|"
    r"sure|confident|confidence|certain|certainty|bet|credence|estimate|p\(doom\))",
    _I,
)
_NEGATION_BEFORE = re.compile(
    r"(?:\bnot|n[’']t|\bnever|\bhardly|\bfar from)(?:\s+\w+){0,2}\s*$", _I
)
_COMPARISON_BEFORE = re.compile(r"\b(?:more|less|most|least)\s*$", _I)
_CERTAIN_CONTEXT = re.compile(
    r"\b(?:is|are|be|am|was|were|seems?|looks?|almost|nearly|virtually|all but|"
    r"[’']s|[’']re|[’']m|not)\s*$",
    _I,
)


def _number(text: str) -> float:
    key = text.lower().replace("‐", "-")
    return float(_NUMBER_WORDS[key]) if key in _NUMBER_WORDS else float(text)


@cache
def _hedges() -> re.Pattern[str]:
    """Every phrase of every shipped table, but frequency words, longest first."""
    found = {
        phrase
        for name in tables.table_names()
        for phrase in tables.phrases(name)
        if phrase not in _FREQUENCY
    }
    alternatives = "|".join(
        re.escape(p).replace("'", "['’]").replace(r"\ ", r"\s+")
        for p in sorted(found, key=len, reverse=True)
    )
    return re.compile(rf"\b(?:{alternatives})\b", _I)


def _normal(words: str) -> str:
    return " ".join(words.lower().replace("’", "'").split())


def stated(text: str) -> Probability | None:
    """The probability `text` states as a number, if any.

    >>> stated("a 10 to 20% chance").p, stated("one in ten odds").p
    (0.15, 0.1)
    >>> stated("10% of jobs will go") is None
    True
    """
    if not _STATED_HINT.search(text):
        return None
    for match in _STATED.finditer(text):
        if match.group("even"):
            return Probability(words=match.group().strip(), p=0.5, basis="stated")
        if not (_CONTEXT.search(text) or _bare_answer(text, match)):
            continue
        found = _value(match)
        if found is None:
            continue
        p, note = found
        return Probability(words=match.group().strip(), p=p, basis="stated", note=note)
    return None


def _value(match: re.Match[str]) -> tuple[float, str | None] | None:
    """(p, note) of a stated number; None if it is no probability."""
    if match.group("a") is not None:
        low, high = _number(match.group("a")) / 100, _number(match.group("b")) / 100
        if not 0 <= low <= high <= 1:
            return None
        note = (
            f"stated as a range, {low:.0%} to {high:.0%}; p is its midpoint"
            if low != high else None
        )
        return round((low + high) / 2, 6), note
    if match.group("c") is not None:
        value = _number(match.group("c")) / 100
        return (round(value, 6), None) if 0 <= value <= 1 else None
    count, out_of = _number(match.group("d")), _number(match.group("e"))
    if out_of <= 0 or count > out_of:
        return None
    return round(count / out_of, 6), None


def _bare_answer(text: str, match: re.Match[str]) -> bool:
    """A short answer that is just a number ("Not really, 10% to 20%.").

    Nothing follows the number, at most four words and no digit come before it,
    and the word before it is no verb or preposition that makes it a quantity
    ("sales grew by 12%").
    """
    after = text[match.end():].strip(" .!”\"’')")
    before = text[: match.start()]
    return (
        not after
        and len(before.split()) <= 4
        and not re.search(r"\d", before)
        and not _QUANTITY_BEFORE.search(before)
    )


_CHANCE = re.compile(
    r"\b(?:(?:a|an)\s+)?(?:good|fair|real|reasonable|decent|high|strong|slim|small|"
    r"low|little|some|outside|remote)\s+(?:chance|possibility|probability|likelihood)\b",
    _I,
)


def hedged(text: str, table: str) -> Probability | None:
    """The hedge words of `text` and, if `table` has them, their probability.

    >>> hedged("it will likely be painful", "icd-203").p
    0.675
    >>> h = hedged("this is not likely to work", "icd-203")
    >>> (h.words, h.p, h.negated)
    ('not likely', None, True)
    """
    found = [m for m in _hedges().finditer(text) if _is_hedge(text, m)]
    chance = _CHANCE.search(text)
    if chance is not None and not any(_overlap(chance, m) for m in found):
        found = sorted([*found, chance], key=lambda m: m.start())
    if not found:
        modal = MODAL.search(text)
        if modal is None:
            return None
        word = modal.group().lower()
        note = f"'{word}' states a possibility; no table maps it to a probability"
        return Probability(words=word, note=note, modal=True)
    first = found[0]
    words, negated = _as_written(text, first)
    known = tables.phrases(table)
    p = known.get(_normal(words))
    if p is None and re.search(r"\bnot\b|n[’']t\b", words):
        negated = True
    notes = [] if p is not None else [f"'{words}' is not a phrase of table '{table}'"]
    if len(found) > 1:
        notes.append("also says " + ", ".join(f"'{m.group()}'" for m in found[1:]))
    return Probability(
        words=words,
        p=p,
        basis="mapped" if p is not None else None,
        table=table if p is not None else None,
        note="; ".join(notes) or None,
        negated=negated,
    )


def _overlap(a: re.Match[str], b: re.Match[str]) -> bool:
    return a.start() < b.end() and b.start() < a.end()


def _is_hedge(text: str, match: re.Match[str]) -> bool:
    """Whether a table phrase is used as a hedge here."""
    phrase = _normal(match.group())
    before = text[max(0, match.start() - 30): match.start()]
    if phrase == "certain":  # "certain tasks" is not a probability
        return _CERTAIN_CONTEXT.search(before) is not None
    if phrase == "we believe":  # "we believe in open source"
        return not re.match(r"\s+in\b", text[match.end():])
    return True


def _as_written(text: str, match: re.Match[str]) -> tuple[str, bool]:
    """The hedge with a negation or comparison just before it; negated or not."""
    before = text[max(0, match.start() - 30): match.start()]
    for pattern, negated in ((_NEGATION_BEFORE, True), (_COMPARISON_BEFORE, False)):
        prefix = pattern.search(before)
        if prefix and not _normal(match.group()).endswith("not"):
            start = match.start() - len(before) + prefix.start()
            return text[start: match.end()].strip(), negated
    return match.group(), False


def probability(text: str, table: str) -> Probability | None:
    """The stated number of `text` if it has one, else its hedge words."""
    number = stated(text)
    if number is None:
        return hedged(text, table)
    words = hedged(text, table)
    if words is not None and words.words and not words.modal:
        note = f"also says '{words.words}'"
        full = f"{number.note}; {note}" if number.note else note
        return Probability(
            words=number.words, p=number.p, basis="stated", note=full,
            negated=words.negated,
        )
    return number
