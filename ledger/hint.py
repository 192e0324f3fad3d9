"""The one "did you mean" used by every message that names an unknown word."""

from __future__ import annotations

from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`; did you mean 'x'?` for the closest choice, or '' when none is close.

    >>> did_you_mean("alcie", ["alice", "bob"])
    "; did you mean 'alice'?"
    """
    import difflib  # only on the error path: keeps `ledger check` start-up short

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
