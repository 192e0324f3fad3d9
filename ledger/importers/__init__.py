"""Importers: other tools' files in, an ordinary ledger out.

- `forecastbench`: ForecastBench question, forecast and resolution sets (JSON);
  `forecastbench.rows` holds what is read, `.read` reads the files, `.build`
  makes the records.
- `csvfile`: plain CSV files of forecasts (long or wide, read by `csvrows`)
  and outcomes.
- `fatebook`: Fatebook's CSV export.
- `read`: reading input files with the line of everything in them (text,
  JSON, CSV).
- `common`: what they share: ids and slugs, values from cells, the `Progress`
  callback, and the checked result (`Imported`).

Each builds the frozen records of `core.model`, writes them with
`record.emit` (the YAML writer the editing commands use) and returns an
`Imported` (the ledger text, a summary, or every problem as
`PATH:LINE: message`); `ledger import ...` in `cli` prints the problems or
writes the text (`files.outputs`). Importers print nothing and draw no
progress bar (the CLI passes one in), never import jinja2, and pandas not at
all.
"""
