"""Queries without pandas: listing questions, what is due, tamper evidence from git.

`listing` and `due` build plain JSON-ready rows; `history` reads a file's git
history (the only module that runs a program) and `verify` compares its
versions. `ledger.show` writes the results as text, CSV or JSON.
"""
