"""Files: every write, lock and guarded read of a file, in one place."""
