"""Memory (issue §3): huge and hostile inputs stay within a documented bound.

Each case runs `ledger check FILE` in a child process whose address space is
capped at 1.5 GiB (RLIMIT_AS). It must end with exit 0 (clean) or 1 (errors
on stderr, `PATH:LINE: message`), never with a traceback, however the input is
built:

- 50 MB of garbage: random bytes; YAML-looking noise; and the worst case, a
  valid YAML list of 25 million one-letter items, whose node tree would need
  several gigabytes (it must be refused with a clean error, not a MemoryError);
- nesting 100,000 levels deep (flow lists, flow mappings, block lists);
- a 20 MB single scalar;
- alias bombs ("billion laughs", and one anchor referenced a million times);
- a valid generated ledger of 10,000 questions (exit 0).

The peak resident memory of each child (its VmHWM) is printed:
`python -m pytest tests/test_memory.py -s` shows the figures.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

LIMIT = 1536 * 2**20  # RLIMIT_AS of each child: 1.5 GiB
MB = 1_000_000
ROOT = Path(__file__).parents[1]
CHILD = textwrap.dedent(
    """\
    import atexit, resource, sys
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    def peak():  # this process's own high-water mark of resident memory
        with open("/proc/self/status") as status, open(sys.argv[3], "w") as out:
            out.write(next(line for line in status if line.startswith("VmHWM:")).split()[1])

    atexit.register(peak)
    from ledger.cli import main
    main(["check", sys.argv[2]], prog_name="ledger")
    """
)


def run_check(path: Path) -> tuple[int, str, float]:
    """(exit code, stderr, peak RSS in MB) of `ledger check PATH` under the limit.

    The peak is the child's VmHWM: its wait4 or getrusage(RUSAGE_CHILDREN)
    ru_maxrss would also count the pytest process it was forked from (Linux
    carries the old image's high-water mark across exec).
    """
    peak = path.parent / "peak-kib"
    with tempfile.TemporaryFile() as err:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(LIMIT), str(path), str(peak)],
            stdout=subprocess.DEVNULL,
            stderr=err,
            cwd=ROOT,
            timeout=600,
            check=False,
        )
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return done.returncode, stderr, int(peak.read_text()) / 1024


# -- the inputs ----------------------------------------------------------------------


def random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(0).randbytes(50 * MB))


def yaml_noise(path: Path) -> None:
    rng = random.Random(0)
    tokens = [
        "- ",
        ": ",
        "\n",
        "  ",
        "a",
        "[",
        "]",
        "{",
        "}",
        ",",
        "'",
        '"',
        "#",
        "?",
        "&a ",
        "*a ",
        "|",
        ">",
        "!",
    ]
    chunk = "".join(rng.choice(tokens) for _ in range(MB // 2))
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(50 * MB // len(chunk.encode()) + 1):
            handle.write(chunk)


def tiny_items(path: Path) -> None:
    """The worst case for the node tree: 2 bytes of text per node."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("questions: [")
        handle.write("a," * (25 * MB))
        handle.write("a]\n")


def nested_flow_lists(path: Path) -> None:
    path.write_text(
        "questions: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8"
    )


def nested_flow_mappings(path: Path) -> None:
    path.write_text(
        "questions: " + "{a: " * 100_000 + "b" + "}" * 100_000 + "\n", encoding="utf-8"
    )


def nested_block_lists(path: Path) -> None:
    path.write_text("questions:\n" + "- " * 100_000 + "x\n", encoding="utf-8")


def one_scalar(path: Path) -> None:
    path.write_text("x" * (20 * MB) + "\n", encoding="utf-8")


def billion_laughs(path: Path) -> None:
    lines = ['a0: &a0 ["' + '","'.join(["lol"] * 10) + '"]']
    lines += [
        f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)
    ]
    path.write_text("\n".join(lines) + "\nquestions: *a11\n", encoding="utf-8")


def many_aliases(path: Path) -> None:
    """One 1 MB anchor, referenced a million times (a terabyte if expanded)."""
    text = "big: &big " + "x" * MB + "\nquestions: [" + "*big, " * MB + "*big]\n"
    path.write_text(text, encoding="utf-8")


def ten_thousand_questions(path: Path) -> None:
    lines = ["forecasters:"]
    lines += [f"  - {{id: f{i}, name: Forecaster {i}}}" for i in range(50)]
    lines += [
        "sources:",
        "  - {id: gen, title: Generated, kind: dataset}",
        "questions:",
    ]
    for i in range(10_000):
        date = i % 5 == 0
        lines += [
            f"  - id: q{i}",
            f"    title: Generated question {i}",
            f"    criteria: Resolves yes if generated event {i} happens by the deadline.",
            f"    kind: {'date' if date else 'binary'}",
            f"    deadline: {2027 + i % 10}-12-31",
            "    tags: [generated]",
            "    forecasts:",
        ]
        for j in range(3):
            claim = "window: +1y..+3y, p: 60%" if date else f"p: 0.{(i + j) % 9 + 1}"
            lines.append(
                f"      - {{by: f{(i + j) % 50}, made: 2026-0{j + 1}-1{j}, source: gen, {claim}, basis: stated}}"
            )
        if i % 3 == 0:
            result = "2027-06-01" if date else "yes"
            lines += [
                "    outcomes:",
                f"      - {{result: {result}, known: 2027-06-01, recorded: 2027-06-02}}",
            ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


CASES = {
    "50 MB random bytes": (random_bytes, 1),
    "50 MB YAML-looking noise": (yaml_noise, 1),
    "50 MB list of 25 million one-letter items": (tiny_items, 1),
    "flow lists nested 100,000 deep": (nested_flow_lists, 1),
    "flow mappings nested 100,000 deep": (nested_flow_mappings, 1),
    "block lists nested 100,000 deep": (nested_block_lists, 1),
    "a 20 MB single scalar": (one_scalar, 1),
    "billion laughs (10^12 strings if expanded)": (billion_laughs, 1),
    "a 1 MB anchor aliased a million times": (many_aliases, 1),
    "a valid ledger of 10,000 questions, 30,000 forecasts": (ten_thousand_questions, 0),
}


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="RLIMIT_AS and ru_maxrss in KiB: Linux"
)
@pytest.mark.parametrize("name", list(CASES))
def test_huge_and_hostile_inputs_stay_within_the_memory_limit(
    tmp_path: Path, name: str
) -> None:
    build, expected = CASES[name]
    path = tmp_path / "ledger.yaml"
    build(path)
    code, stderr, peak = run_check(path)
    size = path.stat().st_size / MB
    print(f"\n{name}: {size:.1f} MB file, exit {code}, peak RSS {peak:.0f} MB")
    assert "Traceback" not in stderr and "MemoryError" not in stderr, stderr[-3000:]
    assert code == expected, stderr[-3000:]
    if expected:
        assert stderr.startswith(f"{path}:"), stderr[:300]
    else:
        assert stderr == ""


def test_running_out_of_memory_while_composing_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The case above, without the 50 MB: libyaml's composer raising MemoryError."""
    import yaml

    from ledger.loader.load import load_text

    def compose(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(yaml, "compose", compose)
    _, errors = load_text("questions: [a, a, a]\n", "big.yaml")
    assert [str(e) for e in errors] == [
        "big.yaml:1: the file is too big to load in the available memory"
    ]
