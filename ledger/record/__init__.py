"""Record: the edits commands make to a ledger file, minimal, validated and atomic.

- `emit`: values and records as YAML text (the one YAML writer, also used by
  the importers).
- `locate`: where a new entry goes, from the composed document (whole, or in
  part for a big file).
- `insert`: the new entry's lines put in the text (`add_top`,
  `add_to_question`), every other byte kept.
- `lines` and `window`: a big file's question edited in a small part of its
  text, found from the checked records' lines.
- `write`: the validated, locked, atomic write of an edit (`write`), retried
  when the file changes meanwhile.
- `incremental`: the new text checked in part against the rest of the
  ledger, with the whole check's result, and the cache entry patched.
"""
