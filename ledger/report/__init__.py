"""Reports: yearly scorecards, a page per forecaster, a comparison, sources, an index.

`build(ledger, as_of)` returns every file as text, keyed by its path relative
to the output folder; `write` writes them (`ledger report`). Python computes
each page's small context (plain dicts and lists, numbers already formatted)
and the jinja2 templates in `ledger/report/templates/` only lay it out, twice:
Markdown (charts as SVG files beside it, under `charts/`) and self-contained
HTML (inline CSS and inline SVG, no JavaScript, nothing from the network).

The modules, from the bottom up: `escape` (Markdown escaping, safe links and
names), `render` (the jinja2 environments), `charts` and `timeline` (chart
geometry), `book` (the ledger as of a day, in a view), `caveats` (the
keeper's notes and hindsight flags, numbered notes under tables), `cards`
and `resolved` (questions and forecasts as pages show them), `common` (links,
the view and methods on every page), the sections `calibration`, `judgement`
(whose judgement), `timing`, `closings` (windows closed and closing) and
`comparison`, the pages `year`, `forecaster`, `sources` and `index`, then
`pages` (every page's files) and `write` (files on disk, in one or more
processes). The names below are the
layer's API: `ledger.report.write` is the function that writes a report (take
other names of its module with `from ledger.report.write import ...`).

Rules of the reports, each applied here and stated in every page's footer:

- **A year's scorecard is the ledger as it stood at the end of that year**, or
  on the as-of date for the current year: outcomes known by then count (as
  recorded: recorded by then), forecasts made (and entered) by then, and the
  questions that existed by then (`written:`, else the first forecast).
  "Resolved this year" holds the standing forecasts on questions whose outcome
  became known that year (latest reading of `known`), and windows a not-yet
  entry closed; "Forecasts made this year" those made that year (earliest
  reading of `made`).
- **Every caveat is shown** next to what it qualifies, marked as the keeper's
  where it is (criteria, notes, judged probabilities), with hindsight flags
  (entered late; criteria written after the forecast) and each forecaster's
  scores split by basis with a sensitivity line.
- Scores are the scorecard's (`ledger.scorecard`): Brier 0-1 with a 95%
  question-bootstrap CI (1,000 resamples, seed 0), log and Baseline scores,
  skill against always-50% and against the base rate; calibration bins with
  Wilson intervals and the ACX-style folded table; comparisons from
  `ledger.compare`.
- **Everything is escaped.** HTML and SVG templates autoescape; Markdown
  templates run every value through `md_escape` (jinja2's `finalize`), so a
  template cannot forget. Only `http(s)` links become links. File names come
  from `safe_name`, and `inside` refuses any path outside the output folder.
- **Deterministic**: sorted rows, fixed formats, seeded bootstraps, no clock;
  git history is read only up to the as-of date. The same ledger (and
  history) and as-of date give byte-identical files.
"""

from __future__ import annotations

from ledger.report.book import View, default_years
from ledger.report.escape import (
    Md,
    clean,
    md_code,
    md_escape,
    md_link,
    safe_name,
    safe_url,
)
from ledger.report.pages import FORMATS, build, generate
from ledger.report.render import environments
from ledger.report.write import WriteError, default_jobs, inside, write

__all__ = [
    "FORMATS",
    "Md",
    "View",
    "WriteError",
    "build",
    "clean",
    "default_jobs",
    "default_years",
    "environments",
    "generate",
    "inside",
    "md_code",
    "md_escape",
    "md_link",
    "safe_name",
    "safe_url",
    "write",
]
