"""An outcome's `result`, read from its text to fit the question's kind.

yes/no/a fraction for binary questions, a date for date questions, a number
for numeric ones; void and ambiguous for any; `provisional:P` and `not-yet`,
the entries that leave a question open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.core.dates import DateError, parse_when
from ledger.core.model import Result
from ledger.core.numbers import NUMBER, parse_probability
from ledger.loader.fields import FieldError, ascii_digits, finite

if TYPE_CHECKING:
    import yaml

    from ledger.core.model import Kind

_CLOSED = {  # results that close a question without a value
    "void": Result("void", None, "void"),
    "ambiguous": Result("ambiguous", None, "ambiguous"),
}
_NOT_YET = Result("not-yet", None, "not-yet")
_YES = frozenset({"yes", "true"})
_NO = frozenset({"no", "false"})
# YAML 1.1 booleans neither yes/no nor true/false: refused (`on` is mostly a slip).
_YAML11_BOOLEANS = {"on": "true", "off": "false", "y": "true", "n": "false"}


def read_result(node: yaml.Node, text: str, kind: Kind | None) -> Result:
    """What an outcome's `result` says happened, read to fit the question's kind."""
    word = text.lower()
    closed = _CLOSED.get(word)
    if closed is not None:
        return closed
    if word.startswith("provisional:") or word == "not-yet":
        return _interim(node, text, kind)
    if word in _YAML11_BOOLEANS and kind in ("binary", None):
        raise FieldError(
            node,
            f"result '{text}' is neither yes nor no; write yes or no (YAML 1.1 "
            f"reads '{text}' as {_YAML11_BOOLEANS[word]}, a ledger does not)",
        )
    if kind == "numeric":
        return _number(node, text)
    if word in _NO:
        return Result("no", 0.0, "no")
    if kind == "date":
        return _date_result(node, text)
    return _binary(node, text, word)


def _interim(node: yaml.Node, text: str, kind: Kind | None) -> Result:
    """An entry that leaves the question open: `provisional:P` or `not-yet`."""
    if text.lower() == "not-yet":
        return _not_yet(node, kind)
    return _provisional(node, text, kind)


def _provisional(node: yaml.Node, text: str, kind: Kind | None) -> Result:
    """`provisional:P`: a binary question's probability before its outcome is final."""
    if kind not in ("binary", None):
        raise FieldError(
            node,
            f"a provisional result fits only a binary question, not a {kind} one",
        )
    try:
        return Result("provisional", parse_probability(text.split(":", 1)[1]), text)
    except ValueError as exc:
        raise FieldError(node, f"provisional result: {exc}") from None


def _not_yet(node: yaml.Node, kind: Kind | None) -> Result:
    """`not-yet`: a date question's event had not happened as of the entry's `known`."""
    if kind not in ("date", None):
        raise FieldError(
            node,
            f"a not-yet result fits only a date question, not a {kind} one; it says "
            "the event had not happened as of its known date",
        )
    return _NOT_YET


def _number(node: yaml.Node, text: str) -> Result:
    """A numeric question's result: the number that came true."""
    ascii_digits(node, text, "result")
    if not NUMBER.fullmatch(text):
        raise FieldError(
            node,
            f"result '{text}' does not fit a numeric question; write a "
            "number, void or ambiguous",
        )
    return Result("number", finite(node, text, "result"), text)


def _date_result(node: yaml.Node, text: str) -> Result:
    """The date a date question's event happened."""
    try:
        return Result("date", parse_when(text), text)
    except DateError as exc:
        if text[:1].isdigit():  # a date, but a bad one: say what is wrong
            raise FieldError(node, str(exc)) from None
        raise FieldError(
            node,
            f"result '{text}' does not fit a date question; write the date "
            "it happened, like 2026-02-10, 'no' if it did not happen by the "
            "deadline, 'not-yet' if it had not happened as of the known date, "
            "void or ambiguous",
        ) from None


def _binary(node: yaml.Node, text: str, word: str) -> Result:
    """A binary question's result: yes, or a fraction in [0, 1] (no is read above)."""
    if word in _YES:
        return Result("yes", 1.0, "yes")
    try:
        value = parse_probability(text)
    except ValueError:
        raise FieldError(
            node,
            f"result '{text}' does not fit a binary question; write yes, no, a "
            "fraction in [0, 1], provisional:P, void or ambiguous",
        ) from None
    if value in (0.0, 1.0):
        return Result("yes" if value else "no", value, "yes" if value else "no")
    return Result("fraction", value, text)
