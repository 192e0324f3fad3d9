"""Sync: outcomes and crowd prices from markets, data series and releases.

`ledger sync` asks the source named by each question's `resolver:` what it
says, proposes what to append, and (with `--apply`) appends it through
`ledger.record`, never overruling a person.

- `http`: the one HTTP client (the only module that opens network
  connections, reads METACULUS_TOKEN and paces requests), saving and
  replaying responses.
- `reading`: a source's answer in the ledger's terms, and its helpers.
- `manifold`, `metaculus`, `polymarket`, `kalshi`, `series` (csv and json),
  `github`: one module per source, each a response → `Reading`.
- `plan`: a reading → the proposed actions (resolve, crowd, pending,
  unchanged, conflict, hidden, error).
- `run`: which questions to ask about, and asking them.
- `apply`: the actions appended through `ledger.record`.
"""
