"""Claims: what a forecast claims, read and checked against its question.

A binary question's forecast claims a probability `p`: stated, judged (with a
note saying why), or mapped from the speaker's words by a verbal table. A date
or numeric question's forecast claims a window `[earliest, latest]`, whose ends
may be written relative to the forecast's `made` date (`+2y..+3y`), or
quantiles (`{0.1: 12, 0.5: 20}`, levels strictly between 0 and 1 with values
that do not decrease), or both.
"""

from __future__ import annotations

import re
from functools import partial
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import yaml

from ledger.core import words
from ledger.core.dates import DateError, When, parse_offset, parse_when
from ledger.core.model import Bound, Kind, Quantiles, Window
from ledger.core.numbers import NUMBER, PERCENT
from ledger.core.text import exact
from ledger.loader.fields import (
    FieldError,
    FieldReader,
    Reported,
    ascii_digits,
    check_node,
    finite,
)
from ledger.loader.nodes import describe, is_null, line

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta

_RELATIVE = re.compile(r"\+\d+[a-z]", re.ASCII)


class ClaimReader(FieldReader):
    """A field reader that also reads and checks a forecast's claim."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        # A big ledger's windows repeat the same few horizons (+2y..+3y), often
        # from the same days: each is read, and each day shifted, once.
        self._offsets: dict[str, relativedelta] = {}
        self._shifted: dict[tuple[When, str], When] = {}

    def claim_fits(
        self,
        node: yaml.Node,
        fields: dict[str, yaml.Node],
        values: dict[str, Any],
        kind: Kind | None,
    ) -> bool:
        """Binary questions take `p`; date and numeric questions take a window.

        A mapped forecast gets its `p` from the table, so it may leave `p` out;
        when `basis` itself is unreadable that error is the one to report.
        """

        def given(name: str) -> bool:
            return name in fields and not is_null(fields[name])

        def where(name: str) -> int:
            return line(fields[name]) if name in fields else line(node)

        for name in ("window", "quantiles"):
            if kind == "binary" and name in fields:
                self.error(
                    line(fields[name]),
                    f"a binary question's forecast takes 'p', not '{name}'",
                )
                return False
        mapped = values.get("basis") == "mapped"
        unread = given("basis") and "basis" not in values  # already reported
        if kind == "binary" and not given("p") and not (mapped or unread):
            self.error(where("p"), "a binary question's forecast needs 'p'")
            return False
        if kind in ("date", "numeric") and not given("window"):
            if given("quantiles"):
                return self._without_window(fields)
            self.error(
                where("window"),
                f"a {kind} question's forecast needs a 'window' [earliest, latest] "
                "or 'quantiles'",
            )
            return False
        return True

    def _without_window(self, fields: dict[str, yaml.Node]) -> bool:
        """Quantiles without a window: no `p` (a window's), no `table` (a p's)."""
        if "p" in fields:
            self.error(
                line(fields["p"]),
                "'p' is the probability of a window; quantiles without a window take "
                "no 'p' (add the window, or leave 'p' out)",
            )
            return False
        if "table" in fields:
            self.error(
                line(fields["table"]),
                "'table' maps words to a probability, and quantiles have none; name "
                "the convention that read the words in 'note'",
            )
            return False
        return True

    def basis_fits(
        self, fields: dict[str, yaml.Node], values: dict[str, Any]
    ) -> bool:
        """A mapped probability comes from its table; a judged one says why."""
        basis = values.get("basis")
        if "table" in fields and basis != "mapped":
            self.error(line(fields["table"]), "'table' is only used with basis: mapped")
            return False
        if basis == "judged" and "note" not in values:
            self.error(
                line(fields["basis"]),
                "a judged probability needs a 'note' saying why the keeper read it so",
            )
            return False
        if basis != "mapped":
            return True
        missing = [
            name for name in ("table", "words")
            if name not in fields or is_null(fields[name])
        ]
        if missing:
            self.error(
                line(fields["basis"]),
                "a mapped probability needs 'table' and 'words' (the speaker's words)",
            )
            return False
        if "table" not in values or "words" not in values:
            return False
        return self._mapped(fields, values)

    def quantile_basis_fits(
        self, fields: dict[str, yaml.Node], values: dict[str, Any]
    ) -> bool:
        """Quantiles without a window: judged ones say why, mapped ones how.

        A mapped reading gives the speaker's `words` and names, in `note`, the
        convention that read them (a verbal table maps words to probabilities,
        not to quantiles).
        """
        basis = values.get("basis")
        if basis == "judged" and "note" not in values:
            self.error(
                line(fields["basis"]),
                "judged quantiles need a 'note' saying why the keeper read them so",
            )
            return False
        if basis == "mapped" and ("words" not in values or "note" not in values):
            self.error(
                line(fields["basis"]),
                "mapped quantiles need 'words' (the speaker's words) and a 'note' "
                "naming the convention that read them",
            )
            return False
        return True

    def _mapped(self, fields: dict[str, yaml.Node], values: dict[str, Any]) -> bool:
        """Set a mapped forecast's `p` from its table, or report why it cannot be."""
        try:
            mapped = words.map_words(values["table"], values["words"])
        except KeyError as exc:
            self.error(line(fields["words"]), str(exc.args[0]))
            return False
        given = values.get("p")
        if given is not None and abs(given - mapped) > 1e-9:
            self.error(
                line(fields["p"]),
                f"p '{fields['p'].value}' does not match table '{values['table']}' "
                f"for '{values['words']}' ({mapped:g}); leave p out or write "
                f"{mapped:g}",
            )
            return False
        values["p"] = mapped
        return True

    def window(self, node: yaml.Node, kind: Kind | None, made: When | None) -> Window:
        """A window `[earliest, latest]` or `A..B`, its ends read by `bound`."""
        check_node(node)
        if isinstance(node, yaml.SequenceNode):
            if len(node.value) != 2:
                raise FieldError(
                    node,
                    "'window' must have two ends [earliest, latest], "
                    f"got {len(node.value)}",
                )
            items = list(node.value)
            ends = [None if is_null(i) else self.text(i, "window") for i in items]
            text = "..".join(end or "" for end in ends)
        elif isinstance(node, yaml.ScalarNode):
            text = str(node.value)
            parts = text.split("..")
            if len(parts) != 2:
                raise FieldError(
                    node,
                    f"malformed window '{text}'; write [earliest, latest] or A..B, "
                    "like +2y..+3y",
                )
            ends = [part.strip() or None for part in parts]
            items = [node, node]
        else:
            message = f"'window' must be [earliest, latest], got {describe(node)}"
            raise FieldError(node, message)
        start, end = (
            self.bound(item, end, kind, made)
            for item, end in zip(items, ends, strict=True)
        )
        _in_order(node, text, start, end)
        return Window(start, end, text)

    def bound(
        self,
        node: yaml.Node,
        text: str | None,
        kind: Kind | None,
        made: When | None,
        what: str = "window end",
    ) -> Bound:
        """One end of a window (or a quantile's value: `what`).

        A number, a date, or a horizon from `made`.
        """
        if text is None:
            return None
        ascii_digits(node, text, what)
        if kind != "date" and NUMBER.fullmatch(text):
            return finite(node, text, what)
        if kind == "numeric":
            message = f"{what} '{text}' of a numeric question must be a number"
            raise FieldError(node, message)
        try:
            if not _RELATIVE.fullmatch(text):
                known = self._dates.get(text)  # When is immutable: one serves every use
                if known is None:
                    known = self._dates[text] = parse_when(text)
                return known
            offset = self._offsets.get(text)
            if offset is None:
                offset = self._offsets[text] = parse_offset(text)
        except DateError as exc:
            raise FieldError(node, str(exc)) from None
        if made is None:
            raise Reported  # 'made' is required: its own error is already reported
        try:
            shifted = self._shifted.get((made, text))
            if shifted is None:
                shifted = self._shifted[made, text] = made.shift(offset)
            return shifted
        except (ValueError, OverflowError):  # past 9999-12-31, datetime's last day
            raise FieldError(
                node, f"{what} '{text}' from '{made}' is past the year 9999"
            ) from None


    def quantiles(
        self, node: yaml.Node, kind: Kind | None, made: When | None
    ) -> Quantiles:
        """Quantiles `{level: value}`, ascending by level, every problem reported.

        Raises:
            Reported: some level or value could not be read (each reported).
        """
        check_node(node)
        if not isinstance(node, yaml.MappingNode) or not node.value:
            raise FieldError(
                node,
                "'quantiles' must be a mapping from levels to values, like "
                f"{{0.1: 12, 0.5: 20, 0.9: 35}}, got {describe(node)}",
            )
        read: dict[float, tuple[When | float, yaml.Node, str]] = {}
        ok = True
        for key, value in node.value:
            item = self.guard(partial(self._quantile, key, value, kind, made))
            if item is None:
                ok = False
                continue
            level, found, text = item
            if level in read:
                first = read[level]
                self.error(
                    line(key),
                    f"quantile level '{text}' repeats '{first[2]}' "
                    f"(line {line(first[1])})",
                )
                ok = False
                continue
            read[level] = (found, key, text)
        levels = tuple(sorted(read))
        try:
            _ascending([(read[level][2], *read[level][:2]) for level in levels])
        except FieldError as exc:
            self.error(exc.line, str(exc))
            ok = False
        if not ok:
            raise Reported
        return Quantiles(levels, tuple(read[level][0] for level in levels))

    def _quantile(
        self, key: yaml.Node, value: yaml.Node, kind: Kind | None, made: When | None
    ) -> tuple[float, When | float, str]:
        """One `level: value` pair: (the level, the value, the level as written)."""
        check_node(key)
        check_node(value)
        text = str(key.value).strip() if isinstance(key, yaml.ScalarNode) else ""
        level = _level(key, text)
        if not isinstance(value, yaml.ScalarNode) or is_null(value):
            got = "nothing" if is_null(value) else describe(value)
            raise FieldError(
                value,
                f"quantile level '{text}' needs a value (a number, or a date on a "
                f"date question), got {got}",
            )
        written = str(value.value).strip()
        found = self.bound(value, written, kind, made, "quantile value")
        assert found is not None  # a non-empty text is never an open end
        return level, found, text


def _level(key: yaml.Node, text: str) -> float:
    """A quantile level: a decimal or a percent strictly between 0 and 1."""
    ascii_digits(key, text, "quantile level")
    if PERCENT.fullmatch(text):
        level = float(text[:-1]) / 100
    elif NUMBER.fullmatch(text):
        level = float(text)
    else:
        raise FieldError(
            key,
            f"malformed quantile level '{text}'; write a level between 0 and 1 like "
            "0.1, or a percent like 10%",
        )
    if not 0.0 < level < 1.0:
        raise FieldError(
            key,
            f"quantile level '{text}' must lie strictly between 0 and 1 (0% and 100%)",
        )
    return round(level, 12)


def _ascending(pairs: list[tuple[str, When | float, yaml.Node]]) -> None:
    """Refuse values that decrease as the level rises under every reading.

    `pairs` holds (level as written, value, the level's node) by level.
    """
    for (low_text, low, _), (high_text, high, node) in pairwise(pairs):
        first = low.earliest if isinstance(low, When) else low
        last = high.latest if isinstance(high, When) else high
        if type(first) is type(last) and first > last:  # type: ignore[operator]
            raise FieldError(
                node,
                f"quantile values must not decrease as the level rises: level "
                f"'{high_text}' is {_shown(high)}, below level '{low_text}' at "
                f"{_shown(low)}",
            )


def _shown(value: When | float) -> str:
    return str(value) if isinstance(value, When) else exact(value)


def _in_order(node: yaml.Node, text: str, start: Bound, end: Bound) -> None:
    """Refuse a window whose ends mix dates and numbers, or come in reverse."""
    if start is None or end is None:
        return
    first = start.earliest if isinstance(start, When) else start
    last = end.latest if isinstance(end, When) else end
    if type(first) is not type(last):
        raise FieldError(node, f"window '{text}' mixes dates and numbers")
    if first > last:  # type: ignore[operator]  # same type: both dates or both floats
        raise FieldError(node, f"window '{text}' ends before it starts")
