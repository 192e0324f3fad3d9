"""Shared by the fuzz tests (tests/test_fuzz_*.py): the hypothesis budgets and the
one property every result must have.

Two settings profiles, picked by the environment variable HYPOTHESIS_PROFILE:

- `ci` (the default): a fixed, modest budget, derandomized (the same examples
  on every run, so CI is reproducible) and without a deadline (a slow example
  is not a failure; inputs are kept bounded instead).
- `deep`: 20 times as many examples, randomized (each run explores new
  inputs), for local runs:
  `HYPOTHESIS_PROFILE=deep python -m pytest tests/test_fuzz_*.py`.

The profiles are applied per test, through `fuzz(n)`, never loaded globally, so
the other property tests keep their own settings.
"""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, settings

from ledger.core.model import Error

_QUIET = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.filter_too_much,
    HealthCheck.large_base_example,
]
settings.register_profile(
    "ci",
    max_examples=100,
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=_QUIET,
)
settings.register_profile(
    "deep",
    settings.get_profile("ci"),
    max_examples=2000,
    derandomize=False,
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
_SCALE = (
    settings.get_profile("deep").max_examples // settings.get_profile("ci").max_examples
)


def fuzz(examples: int) -> settings:
    """Settings for a test that runs `examples` examples in the ci profile (20x in deep)."""
    profile = settings.get_profile(PROFILE)
    scale = _SCALE if PROFILE == "deep" else 1
    return settings(profile, max_examples=examples * scale)


def error_pattern(*paths: str) -> re.Pattern[str]:
    """`PATH:LINE: message` for any of `paths`, LINE counted from 1, a message after it."""
    names = "|".join(re.escape(p) for p in paths)
    return re.compile(rf"(?:{names}):[1-9]\d*: \S")


def assert_errors(errors: list[Error], *paths: str, lines: int | None = None) -> None:
    """Every error reads `PATH:LINE: message` with PATH one of `paths` and LINE
    within the file (`lines` lines, plus one for the end of the file)."""
    pattern = error_pattern(*paths)
    for error in errors:
        assert isinstance(error, Error), error
        assert pattern.match(str(error)), str(error)[:500]
        if lines is not None:
            assert 1 <= error.location.line <= lines + 1, str(error)[:500]


def printed(errors: list[Error]) -> str:
    """What a command prints on stderr for `errors`: one per line, sorted."""
    return "".join(f"{e}\n" for e in sorted(errors, key=lambda e: e.location))


def assert_printed_errors(output: str, *paths: str) -> None:
    """A command's stderr: nothing, or `PATH:LINE: message` lines, starting with one."""
    if output:
        assert error_pattern(*paths).match(output), output[:500]
        assert output.endswith("\n")
        assert "Traceback" not in output, output[-2000:]
