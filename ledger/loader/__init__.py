"""Load: ledger text → frozen records with field-level PATH:LINE errors.

The only YAML reader; `loader` holds the entry points and says which module
does what.
"""
