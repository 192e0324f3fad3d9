"""ledger: a plain-text prediction ledger, scored with proper scoring rules.

Import-light on purpose: `import ledger` pulls in neither pandas nor jinja2, so
`ledger check` stays fast as a pre-commit hook.
"""

from __future__ import annotations

__version__ = "0.1.0"
