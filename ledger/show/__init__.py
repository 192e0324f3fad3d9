"""Show: terminal tables, CSV and JSON built as strings; the CLI only prints them.

`layout` (aligned columns, JSON text) is shared; `score`, `lists`, `due`,
`verify`, `calendar` and `export` each write one command's output.
"""
