"""Columnar: the frame and the ledger as Arrow tables (Parquet); the frame cache."""
