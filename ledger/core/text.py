"""Text: the one way each number, share, interval and count is written for people.

Every table, report and message formats through these functions, so a score
reads the same in the terminal, in CSV, in JSON and on a report page. Pure
functions; numpy scalars are accepted (they are floats or have `__float__`).
"""

from __future__ import annotations

import math
from decimal import Decimal

DASH = "\u2014"
"""What a missing value shows as."""

MINUS = "\u2212"
"""The true minus sign reports use; terminal and CSV output keep ASCII '-'."""


def missing(value: object) -> bool:
    """None, or a float (numpy's too) that is NaN.

    >>> missing(None), missing(float("nan")), missing(0.0), missing("x")
    (True, True, False, False)
    """
    if value is None:
        return True
    try:
        return math.isnan(value)  # type: ignore[arg-type]  # a TypeError says no
    except TypeError:
        return False


def json_value(value: object) -> object:
    """A plain JSON value: numpy numbers become Python ones, NaN and ±inf null.

    JSON has neither NaN nor an infinity.

    >>> json_value(float("nan")), json_value(float("inf")), json_value(2)
    (None, None, 2)
    """
    if value is None:
        return None
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, (str, bytes)):
        value = item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


HUGE = 1e15
"""From this size on, `number` writes a number with an exponent."""

OVERFLOW = "too large to compute (beyond 1.8e+308)"
"""What `number` writes for an infinite score: its inputs overflowed a float."""


def number(value: object, digits: int = 3, *, minus: str = "-") -> str:
    """A number with fixed decimals; `—` when missing; never a negative zero.

    `minus` is the sign written for negative numbers: reports pass MINUS.

    >>> number(0.12345), number(-1.5, 1), number(-0.0001, 2), number(float("nan"))
    ('0.123', '-1.5', '0.00', '—')
    >>> number(-1.5, 1, minus=MINUS)
    '−1.5'
    >>> number(7e307), number(float("inf"))
    ('7e+307', 'too large to compute (beyond 1.8e+308)')
    """
    if missing(value):
        return DASH
    size = abs(float(value))  # type: ignore[arg-type]  # not missing: a number
    if math.isinf(size):
        return ("-" if float(value) < 0 else "") + OVERFLOW  # type: ignore[arg-type]
    shape = "g" if size >= HUGE else "f"  # 1.7e+308, not 309 digits
    text = f"{float(value):.{digits}{shape}}"  # type: ignore[arg-type]
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text.replace("-", minus) if minus != "-" else text


def percent(p: object) -> str:
    """A probability in percent, up to two decimals: 0.675 -> '67.5%'.

    >>> percent(0.675), percent(1), percent(0.001), percent(None)
    ('67.5%', '100%', '0.1%', '—')
    """
    if missing(p):
        return DASH
    text = f"{100 * float(p):.2f}".rstrip("0").rstrip(".")  # type: ignore[arg-type]  # a number
    return f"{text}%"


def share(value: object, *, minus: str = MINUS) -> str:
    """A computed share (a mean forecast, a frequency) in percent, one decimal.

    >>> share(2 / 3), share(1), share(float("nan"))
    ('66.7%', '100.0%', '—')
    """
    if missing(value):
        return DASH
    return f"{number(100 * float(value), 1, minus=minus)}%"  # type: ignore[arg-type]  # a number


def interval(
    low: object,
    high: object,
    digits: int = 3,
    *,
    percent: bool = False,
    between: str = " to ",
    minus: str = "-",
) -> str:
    """An interval as 'LOW to HIGH' (or with another `between`); `—` when missing.

    >>> interval(-0.27, 0.11), interval(0.2, 0.9, percent=True)
    ('-0.270 to 0.110', '20.0% to 90.0%')
    >>> interval(0.1, 0.2, between="–")
    '0.100–0.200'
    """
    if missing(low) or missing(high):
        return DASH
    if percent:
        return f"{share(low, minus=minus)}{between}{share(high, minus=minus)}"
    ends = (number(low, digits, minus=minus), number(high, digits, minus=minus))
    return between.join(ends)


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 question', '2 questions', '1,234 forecasts' (`many` for irregular plurals).

    >>> plural(1, "question"), plural(0, "standing forecast")
    ('1 question', '0 standing forecasts')
    >>> plural(1234, "try", "tries")
    '1,234 tries'
    """
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def exact(value: float) -> str:
    """A number written out in full, exactly as the ledger holds it.

    `:g` would round to six digits and switch to exponents (1234567 -> '1.23457e+06').

    >>> [exact(x) for x in (0.35, 1.0, 0, 1234567, 2.5e6, 1e-7, 0.123456789)]
    ['0.35', '1', '0', '1234567', '2500000', '0.0000001', '0.123456789']
    """
    if not math.isfinite(value):
        return repr(float(value))
    return format(Decimal(repr(float(value))).normalize(), "f")
