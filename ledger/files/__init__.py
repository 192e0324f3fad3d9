"""Files: every write, lock and guarded read of a file, in one place.

- `lock`: the one exclusive lock per ledger a writing command holds.
- `write`: the one atomic replacement of a file, and the removal of what a
  killed writer left behind.
- `private`: a folder only its owner may write (the parse cache's), and
  entries signed with a key kept there, so nothing planted is ever read.
- `read`: the one read of a ledger file: a regular file only (never a FIFO
  or a device), at most 2 GiB.
- `outputs`: the rules for every file a command writes besides the ledger it
  edits (a report, a calendar, an imported ledger): only regular files, never
  a ledger, an existing file only with --force or when the command wrote it.
"""
