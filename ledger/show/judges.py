"""`ledger judges` as text: the judges' agreement, the disputes, the sensitivity.

The figures come from `ledger.score.judged.judges`; this module writes them as
a terminal table, CSV (one line per figure, with a `section` column) or JSON
(`{"pairs": [...], "fleiss_kappa", "alpha", "n_questions", "disputed": [...],
"sensitivity": [...]}`).
"""

from __future__ import annotations

import csv
import io
import textwrap
from typing import TYPE_CHECKING, Any

from ledger.core.text import json_value, number, percent, plural
from ledger.score.agreement import NO_PAIRS, READING
from ledger.show.layout import columns, json_text

if TYPE_CHECKING:
    import datetime as dt

    from ledger.score.judged import Judged, Judges


def _disputed(judged: Judged) -> dict[str, Any]:
    combined = judged.combined
    return {
        "question": judged.question.id,
        "grading": judged.question.grading or "majority",
        "combined": None if combined is None else str(combined.result),
        "gradings": [
            {"judge": judge, "result": str(g.result), "note": g.note}
            for judge, g in judged.gradings.items()
        ],
    }


def to_json(found: Judges, as_of: dt.date) -> str:
    """The issue's shape, with `as_of`, each n and the judges."""
    agreement = found.agreement
    return json_text({
        "as_of": as_of.isoformat(),
        "judges": list(found.judges),
        "pairs": [
            {"a": p.a, "b": p.b, "n": p.n, "agreement": json_value(p.agreement),
             "kappa": json_value(p.kappa)}
            for p in agreement.pairs
        ],
        "fleiss_kappa": json_value(agreement.fleiss_kappa),
        "fleiss_n": agreement.fleiss_n,
        "alpha": json_value(agreement.alpha),
        "alpha_n": agreement.alpha_n,
        "n_questions": len(found.questions),
        "disputed": [_disputed(q) for q in found.disputed],
        "sensitivity": [
            {"forecaster": s.forecaster, "under": s.under, "n": s.n,
             "brier": json_value(s.brier)}
            for s in found.sensitivity
        ],
    })


def to_csv(found: Judges) -> str:
    """section,a,b,n,value: pairs (agreement, kappa), fleiss, alpha, sensitivity."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "a", "b", "n", "measure", "value"])
    agreement = found.agreement
    for p in agreement.pairs:
        writer.writerow(["pair", p.a, p.b, p.n, "agreement", _exact(p.agreement)])
        writer.writerow(["pair", p.a, p.b, p.n, "kappa", _exact(p.kappa)])
    writer.writerow(["all", "", "", agreement.fleiss_n, "fleiss_kappa",
                     _exact(agreement.fleiss_kappa)])
    writer.writerow(["all", "", "", agreement.alpha_n, "alpha",
                     _exact(agreement.alpha)])
    for q in found.disputed:
        for judge, g in q.gradings.items():
            writer.writerow(["disputed", q.question.id, judge, "", "grading",
                             str(g.result)])
    for s in found.sensitivity:
        writer.writerow(["sensitivity", s.forecaster, s.under, s.n, "brier",
                         _exact(s.brier)])
    return out.getvalue()


def _exact(value: float) -> str:
    found = json_value(value)
    return "" if found is None else repr(found)


def table(found: Judges, as_of: dt.date) -> str:
    """The agreement table, all judges together, the disputes and the sensitivity."""
    agreement = found.agreement
    lines = [f"Judges as of {as_of.isoformat()}: "
             f"{plural(len(found.questions), 'judged question')}, "
             f"{plural(len(found.judges), 'judge')}", ""]
    body = [[p.a, p.b, str(p.n), percent(p.agreement), number(p.kappa, 2)]
            for p in agreement.pairs]
    if any(p.n for p in agreement.pairs):
        lines += columns(["judge", "judge", "n", "agreement", "kappa"], body, {2, 3, 4})
    else:
        lines.append(NO_PAIRS)
    lines += ["",
              f"Fleiss' kappa {number(agreement.fleiss_kappa, 2)} "
              f"(n={agreement.fleiss_n}, the questions every judge graded)",
              f"Krippendorff's alpha {number(agreement.alpha, 2)} "
              f"(interval, n={agreement.alpha_n})", "", *textwrap.wrap(READING), ""]
    lines.append(f"Disputed: {len(found.disputed)}")
    for q in found.disputed:
        combined = "-" if q.combined is None else str(q.combined.result)
        rule = q.question.grading or "majority"
        lines.append(f"  {q.question.id}: {combined} ({rule})")
        for judge, g in q.gradings.items():
            note = f": {g.note}" if g.note else ""
            lines.append(f"    {judge} {g.result}{note}")
    lines += ["", "Mean Brier under each judge alone and combined (lower is better)"]
    body = [[s.forecaster, s.under, str(s.n), number(s.brier)]
            for s in found.sensitivity]
    lines += columns(["forecaster", "under", "n", "brier"], body, {2, 3})
    return "\n".join(lines) + "\n"
