"""The HTML scorecard in a real browser: Debian's headless chromium.

It loads a rendered scorecard from file:// with networking switched off and
checks that nothing is logged to the console, that the page paints (a
screenshot with many colours, among them the charts' blue), and that every
chart in the DOM chromium built has a size. Where chromium is missing, the
tests skip and say why; .ci/run installs it.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import html5lib
import numpy as np
import pytest
from click.testing import CliRunner

from ledger.cli import main
from ledger.report.charts import PALETTE

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium package is not installed; .ci/run installs it",
)
FLAGS = (
    "--headless",
    "--no-sandbox",  # we run as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
)
SAMPLE = str(Path(__file__).parent.parent / "data" / "sample.yaml")
BLUE = tuple(int(PALETTE[0][i : i + 2], 16) for i in (1, 3, 5))  # markers and windows


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    profile = tmp_path / "profile"
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],  # type: ignore[list-item]
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    return done


def console(stderr: bytes) -> list[str]:
    """What the page logged to the console (chromium writes `INFO:CONSOLE` lines)."""
    return [
        line
        for line in stderr.decode("utf-8", "replace").splitlines()
        if ":CONSOLE" in line
    ]


def colours(image: np.ndarray) -> int:
    """How many distinct colours an (height, width, 3) image holds."""
    packed = (image[:, :, 0].astype(np.int64) << 16) | (
        image[:, :, 1].astype(np.int64) << 8
    )
    return len(np.unique(packed | image[:, :, 2]))


def pixels(data: bytes) -> np.ndarray:
    """An 8-bit RGB or RGBA, non-interlaced PNG as a (height, width, channels) array."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], None
    while pos < len(data):
        (size,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + size]
        pos += 12 + size
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
    assert header is not None
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    bpp = 3 if colour == 2 else 4
    stride = width * bpp
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), np.uint8).reshape(
        height, stride + 1
    )
    out = np.zeros((height, stride), np.uint8)
    above = np.zeros(stride, np.int64)
    for y in range(height):
        kind, line = raw[y, 0], raw[y, 1:].astype(np.int64)
        if kind == 0:  # None
            row = line
        elif kind == 1:  # Sub: a running sum per channel
            row = np.cumsum(line.reshape(-1, bpp), axis=0).reshape(-1) % 256
        elif kind == 2:  # Up
            row = (line + above) % 256
        else:  # Average or Paeth: each byte needs the one to its left
            values, up = line.tolist(), above.tolist()
            for x in range(stride):
                left = values[x - bpp] if x >= bpp else 0
                if kind == 3:
                    values[x] = (values[x] + (left + up[x]) // 2) % 256
                    continue
                corner = up[x - bpp] if x >= bpp else 0
                guess = left + up[x] - corner
                pa, pb, pc = abs(guess - left), abs(guess - up[x]), abs(guess - corner)
                nearest = (
                    left if pa <= pb and pa <= pc else up[x] if pb <= pc else corner
                )
                values[x] = (values[x] + nearest) % 256
            row = np.asarray(values, np.int64)
        out[y] = row
        above = row
    return out.reshape(height, width, bpp)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html")
    result = CliRunner().invoke(
        main,
        [
            "report",
            SAMPLE,
            "--as-of",
            "2028-10-01",
            "--out",
            str(out),
            "--format",
            "html",
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def test_the_console_check_sees_a_script_error(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text(
        "<!DOCTYPE html><html lang=en><title>t</title><script>nosuch();</script>",
        encoding="utf-8",
    )
    done = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert any("nosuch is not defined" in line for line in console(done.stderr))


def test_the_pixel_reader_reads_what_chromium_paints(tmp_path: Path) -> None:
    page = tmp_path / "box.html"
    page.write_text(
        "<!DOCTYPE html><html lang=en><title>t</title><body style='margin:0'>"
        f"<div style='width:50px;height:20px;background:{PALETTE[0]}'></div>",
        encoding="utf-8",
    )
    png = tmp_path / "box.png"
    chromium(tmp_path, f"--screenshot={png}", "--window-size=200,300", page.as_uri())
    image = pixels(png.read_bytes())[:, :, :3]
    assert image.shape == (300, 200, 3)
    assert int((image == BLUE).all(axis=2).sum()) == 50 * 20


def test_the_scorecard_renders_in_chromium_with_its_charts(
    pages: Path, tmp_path: Path
) -> None:
    url = (pages / "2027.html").as_uri()
    png = tmp_path / "2027.png"
    # tall enough to reach the calibration chart below the resolved tables and the
    # basis split (issue 14)
    shot = chromium(tmp_path, f"--screenshot={png}", "--window-size=1000,6000", url)
    assert console(shot.stderr) == []
    image = pixels(png.read_bytes())[:, :, :3]
    assert colours(image) > 50  # text, tables and charts, not a blank page
    near_blue = (np.abs(image.astype(int) - BLUE).sum(axis=2) < 24).sum()
    assert near_blue > 200  # the calibration chart's markers, painted

    dom = chromium(tmp_path, "--dump-dom", url)
    assert console(dom.stderr) == []
    document = html5lib.parse(dom.stdout.decode("utf-8"), namespaceHTMLElements=False)
    charts = list(document.iter("{http://www.w3.org/2000/svg}svg"))
    assert len(charts) == 6
    for chart in charts:
        assert float(chart.attrib["width"]) > 0 and float(chart.attrib["height"]) > 0
        assert chart.attrib["role"] == "img" and chart.attrib["aria-label"]


def test_a_narrow_screen_still_paints_the_page(pages: Path, tmp_path: Path) -> None:
    png = tmp_path / "phone.png"
    shot = chromium(
        tmp_path,
        f"--screenshot={png}",
        "--window-size=390,1200",
        (pages / "index.html").as_uri(),
    )
    assert console(shot.stderr) == []
    image = pixels(png.read_bytes())[:, :, :3]
    assert image.shape[1] == 390
    assert colours(image) > 20
