"""Files: every write, lock and guarded read of a file, in one place.

- `lock`: the one exclusive lock per ledger a writing command holds.
- `write`: the one atomic replacement of a file, and the removal of what a
  killed writer left behind.
- `outputs`: a new file a command creates (an imported ledger), never
  replacing one unless asked to.
"""
