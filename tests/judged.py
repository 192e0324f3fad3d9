"""Ledgers of judged questions for the tests of issue 16 (judges and gradings)."""

from __future__ import annotations

FORECASTERS = """\
forecasters:
  - {id: ann, name: Ann}
  - {id: bob, name: Bob}
  - {id: cy, name: Cy}
  - {id: dee, name: Dee}
  - {id: eve, name: Eve}
"""
"""Ann and Eve forecast; Bob, Cy and Dee judge."""


def question(
    judges: str = "[bob, cy, dee]", deadline: str = "2027-12-31",
    qid: str = "labs-converge",
) -> str:
    """A judged binary question (no forecasts or outcomes), as a list item."""
    return f"""\
  - id: {qid}
    title: The leading labs converge on one recipe
    criteria: The judges find that the five leading labs train on one recipe.
    kind: binary
    deadline: {deadline}
    judges: {judges}
"""
