"""Core: the ledger's records, dates, words and rules; no I/O and no pandas."""
