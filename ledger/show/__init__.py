"""Show: terminal tables, CSV and JSON built as strings; the CLI only prints them."""
