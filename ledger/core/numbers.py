"""Numbers: the one reader of probabilities and numbers written as text.

The loader, the importers and the command line all read a probability here,
so `70%`, `0.7` and `1e-3` mean the same everywhere, and a bad one gets the
same message wherever it was written.
"""

from __future__ import annotations

import re
import unicodedata

# A decimal number as the ledger writes it: digits, an optional point, an exponent.
# Digits are 0-9 only (re.ASCII): Python's int() and float() would read a
# fullwidth １ or an Arabic-Indic ٥ as well, which a ledger refuses.
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)
# A percent: a non-negative decimal and a percent sign, no space.
PERCENT = re.compile(r"(\d+(\.\d*)?|\.\d+)%", re.ASCII)
_FOREIGN_DIGIT = re.compile(r"[^\x00-\x7f]")


def foreign_digit(text: str) -> str | None:
    """The message for a digit other than 0-9 in `text`, if it has one.

    >>> foreign_digit("１")
    "'１' has the digit '１' (fullwidth digit one, U+FF11); write the digits 0-9"
    >>> foreign_digit("0.7") is None
    True
    """
    if _FOREIGN_DIGIT.search(text) is None:  # the usual case: ASCII only
        return None
    for char in text:
        if char.isdigit() and not char.isascii():
            name = unicodedata.name(char, "a digit").lower()
            return (
                f"'{text}' has the digit '{char}' ({name}, U+{ord(char):04X}); "
                "write the digits 0-9"
            )
    return None


def parse_probability(
    text: str, *, percent: bool = False, percent_hint: str = ""
) -> float:
    """Read a probability written as a decimal in [0, 1] or a percent.

    Args:
        text: the probability as written.
        percent: read a bare number as a percent (70 means 0.7), as
            `ledger import csv --percent` does.
        percent_hint: how to say that the input holds percents; added in
            parentheses to the message for a bare number in (1, 100].

    Returns:
        The probability, rounded to 12 decimals.

    Raises:
        ValueError: with the message for the user.

    >>> parse_probability("70%"), parse_probability("1e-3"), parse_probability(".25")
    (0.7, 0.001, 0.25)
    >>> parse_probability("12.5", percent=True)
    0.125
    """
    text = text.strip()
    foreign = foreign_digit(text)
    if foreign is not None:
        raise ValueError(f"malformed probability: {foreign}")
    if PERCENT.fullmatch(text):
        value = float(text[:-1]) / 100
    elif NUMBER.fullmatch(text):
        value = float(text) / (100 if percent else 1)
    elif re.fullmatch(r"[0-9]+,[0-9]+", text):
        raise ValueError(
            f"malformed probability '{text}'; use a decimal point, like "
            f"{text.replace(',', '.')}"
        )
    elif re.fullmatch(r"[0-9.]+\s+%", text):
        raise ValueError(
            f"malformed probability '{text}'; write the percent sign without a "
            f"space, like {text.replace(' ', '')}"
        )
    else:
        raise ValueError(
            f"malformed probability '{text}'; write a number in [0, 1] like 0.7, "
            "or a percent like 70%"
        )
    if not 0.0 <= value <= 1.0:
        top = 100 if percent else 1  # --percent: bare numbers are percents
        hint = ""
        if percent_hint and not percent and NUMBER.fullmatch(text) and 1 < value <= 100:
            hint = f" ({percent_hint})"
        raise ValueError(
            f"probability must be between 0 and {top} (0% and 100%), got '{text}'{hint}"
        )
    return round(value, 12)
