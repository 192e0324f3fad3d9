"""Every YAML stub `ledger extract` prints passes `ledger check` once its `needs` are filled in.

The texts are generated (hypothesis) from the pieces the grammar reads: subjects,
future tense, hedge words of every table, stated numbers, every form of horizon,
orders of events, numbers, negations, conditions, questions and past tense, with
or without a made date (exact, a month, a range) and speaker labels. The YAML is
read back with PyYAML; each field a `needs:` line names is filled with a valid
value (a title, criteria, a deadline after the forecast, a declared forecaster
and source, p with a judged basis and its note, two date questions for an order),
the `needs:` lines are deleted, and the stubs go under `questions:` of a ledger
that `ledger check` must find clean.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from conftest import check_text
from fuzzing import fuzz
from hypothesis import example, given
from hypothesis import strategies as st

from ledger.core.dates import parse_when
from ledger.core.words import table_names
from ledger.extract import Options, extract
from ledger.show.extract import to_yaml

SUBJECTS = ["Robots", "The central bank", "Fusion power", "Biology", "Most cars",
            "Unemployment", "AGI", "Coding agents", "The lab"]
VERBS = ["will be everywhere", "cuts rates", "is going to arrive", "will exceed 8%",
         "will reach 40 million units", "takes longer than robotics", "ships",
         "will come after quantum computing", "could eventually win", "works predictably",
         "is fundamentally constrained by data", "was launched", "will never work"]
HEDGES = ["", "probably", "very likely", "almost certainly", "unlikely", "we believe",
          "maybe", "there is a 70% chance that", "a coin flip says", "one in ten odds:",
          "not likely", "highly unlikely", "probably not"]
HORIZONS = ["", "in about 2–3 years", "within the next 5 years", "in the next two to three years",
            "by 2030", "by the end of 2031", "before 2035", "in 2030", "in the 2030s",
            "by the end of the decade", "this year", "next year", "within a decade",
            "within decades", "in our lifetime", "~3 years from now", "in six months",
            "by mid-2027", "after 2040", "in 2019", "soon", "within the next",
            "in a couple of years", "for a long time"]
MADE = [None, "2026-01-06..2026-04-30", "2026-02", "2025-12-31", "2026"]


@st.composite
def texts(draw: st.DrawFn) -> str:
    lines = []
    for i in range(draw(st.integers(1, 5))):
        subject = draw(st.sampled_from(SUBJECTS))
        hedge = draw(st.sampled_from(HEDGES))
        verb = draw(st.sampled_from(VERBS))
        horizon = draw(st.sampled_from(HORIZONS))
        shape = draw(st.sampled_from(["{h} {s} {v} {t}.", "{s} {v} {t}, {h}.",
                                      "If it rains, {s} {v} {t}.", "Will {s} {v} {t}?",
                                      "{s} {v} {t}, and {h} it {v}."]))
        sentence = " ".join(shape.format(h=hedge, s=subject, v=verb, t=horizon).split())
        speaker = draw(st.sampled_from(["", "Ann: ", f"[00:0{i}:10] Ann: "]))
        lines.append(speaker + sentence[0].upper() + sentence[1:])
    return "\n".join(lines) + "\n"


def filled(stub: dict[str, Any], made: str | None, extra: list[dict[str, Any]]) -> dict[str, Any]:
    """The stub with each field its `needs` name given a valid value."""
    for need in stub.pop("needs"):
        if need == "order":
            n = len(extra)
            extra += [
                {"id": f"event-a-{n}", "title": "A", "criteria": "c", "kind": "date",
                 "deadline": "2099-12-31"},
                {"id": f"event-b-{n}", "title": "B", "criteria": "c", "kind": "date",
                 "deadline": "2099-12-31"},
            ]
            stub["order"] = {"before": f"event-a-{n}", "after": f"event-b-{n}"}
        else:
            stub[need] = {"title": "A title", "criteria": "Criteria.", "deadline": "2099-12-31",
                          "unit": "units"}[need]
    (forecast,) = stub["forecasts"]
    for need in forecast.pop("needs"):
        # made: when the words were said, before any date the text names
        forecast[need] = {"by": "someone", "source": "the-text", "made": "2000-01-01",
                          "p": 0.6, "basis": "judged", "note": "the keeper's reading",
                          "window": "+1y..+2y"}[need]
    return stub


def dump(stubs: list[dict[str, Any]], extra: list[dict[str, Any]]) -> str:
    ledger = {
        "forecasters": [{"id": "someone", "name": "Someone"}, {"id": "ann", "name": "Ann"}],
        "sources": [{"id": "the-text", "title": "The text", "kind": "other"}],
        "questions": stubs + extra,
    }
    return yaml.safe_dump(ledger, allow_unicode=True, sort_keys=False)


@fuzz(150)
@given(texts(), st.sampled_from(MADE), st.sampled_from(table_names()))
@example("Robotics timeline: ~2–3 years for a “ChatGPT moment.”\nBiology timeline: Longer than robotics.\n",
         "2026-01-06..2026-04-30", "icd-203")
def test_every_stub_once_filled_in_passes_check(text: str, made: str | None, table: str) -> None:
    options = Options(made=parse_when(made) if made else None, table=table,
                      forecasters={"ann": "ann"})
    extraction = extract(text, "t.txt", options)
    out = to_yaml(extraction, options)
    assert out.startswith("# Candidate forecasts found by `ledger extract`")
    stubs = yaml.safe_load(out)
    assert isinstance(stubs, list)
    assert len(stubs) == len(extraction.candidates)
    extra: list[dict[str, Any]] = []
    ready = [filled(stub, made, extra) for stub in stubs]
    ledger_text = dump(ready, extra)
    _, errors = check_text(ledger_text)
    assert [str(e) for e in errors] == [], ledger_text


def test_a_stub_keeps_what_the_text_says() -> None:
    options = Options(made=parse_when("2026-01-06..2026-04-30"), forecasters={"ann": "ann"})
    text = "Ann: I think it will likely be painful within decades.\nAnn: Robots arrive in about 2–3 years.\n"
    stubs = yaml.safe_load(to_yaml(extract(text, "t.txt", options), options))
    first, second = stubs
    assert first["kind"] == "binary" and first["deadline"] == dt.date(2056, 4, 30)
    assert first["needs"] == ["title", "criteria"]
    assert first["forecasts"] == [{
        "by": "ann", "needs": ["source"], "made": "2026-01-06..2026-04-30",
        "quote": "I think it will likely be painful within decades.", "p": 0.675,
        "basis": "mapped", "table": "icd-203", "words": "likely",
    }]
    assert second["kind"] == "date" and second["needs"] == ["title", "criteria", "deadline"]
    assert second["forecasts"][0]["window"] == "+2y..+3y"
    assert second["forecasts"][0]["basis"] == "stated"
