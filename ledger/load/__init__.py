"""Load: ledger text → frozen records with field-level PATH:LINE errors; the only YAML reader."""
