"""Memory: pausing Python's garbage collector while millions of objects are built."""

from __future__ import annotations

import contextlib
import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building many objects.

    Composing and reading a big ledger allocates millions of small objects
    that all stay alive; each allocation burst triggers a collection that
    walks every one of them again, which made loading a 165,000-forecast
    ledger several times slower than the parse itself. Nothing here makes
    reference cycles, so pausing is safe; the previous state is restored.

    Resuming would still walk them all, at the collector's next passes (about
    5 s after loading a 500,000-forecast ledger). So when the paused code
    leaves at least FREEZE_OBJECTS new objects alive, they are first moved to
    its permanent generation (`gc.freeze`), which it never walks; memory is
    still freed as usual when they are no longer used. (Everything else alive
    then is frozen too: a reference cycle that was already garbage is never
    collected. A command can afford that; it happens once per big load.)
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_count()[0] >= FREEZE_OBJECTS:
                gc.freeze()
            gc.enable()


FREEZE_OBJECTS = 250_000  # see gc_paused: a ledger of a few thousand forecasts
