"""Importers: other tools' files in, an ordinary ledger out.

- `forecastbench`: ForecastBench question, forecast and resolution sets (JSON).
- `csvfile`: plain CSV files of forecasts (long or wide) and outcomes.
- `fatebook`: Fatebook's CSV export.
- `common`: what they share: slugs, reading files with line numbers, and the
  ledger text they generate.

Each returns an `Imported` (the ledger text, a summary, or every problem as
`PATH:LINE: message`); `ledger import ...` in `cli` writes it. Importers never
import jinja2, and pandas not at all.
"""
