"""Show: terminal tables, CSV and JSON built as strings; the CLI only prints them.

`layout` (aligned columns, JSON text without NaN or Infinity) and `csvtext`
(every CSV: spreadsheet-safe cells, lists as JSON arrays) are shared; `score`,
`lists`, `due`, `verify`, `calendar` and `export` each write one command's
output.
"""
