"""Rendering: the jinja2 environments, their filters, and templates to text.

Python computes each page's small context and the templates in
`ledger/report/templates/` only lay it out, twice: Markdown (escaped by
`md_escape` on every value) and HTML/SVG (autoescaped). `Charts` renders
chart geometry to SVG and keeps each file for the Markdown pages.
"""

from __future__ import annotations

import io
import re
from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2
import markupsafe

from ledger.core.text import plural
from ledger.report.escape import Md, html_finalize, md_code, md_escape, md_link

if TYPE_CHECKING:
    from collections.abc import Callable

_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """jinja2's environment, reading `page.name` from a plain dict directly.

    jinja2 first tries getattr(), which for a dict key raises (and catches)
    an AttributeError on every access; the page contexts are plain dicts read
    millions of times in a big report. A name that is also a dict attribute
    (`items`, `values`, ...) still goes the usual way, so nothing changes.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def _environment(autoescape: bool, finalize: Callable[[Any], Any]) -> _Environment:
    return _Environment(
        loader=jinja2.PackageLoader("ledger.report", "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=autoescape,
        finalize=finalize,
    )


@cache
def environments() -> dict[str, jinja2.Environment]:
    """The two template environments: HTML/SVG (autoescaped) and Markdown.

    Markdown is escaped by `md_escape` on every value. Both are strict: an
    undefined name fails loudly.
    """
    html = _environment(autoescape=True, finalize=html_finalize)
    md = _environment(autoescape=False, finalize=md_escape)
    for env in (html, md):
        env.filters["plural"] = plural
    md.filters["link"] = md_link
    md.filters["code"] = md_code
    md.filters["raw"] = Md  # only for the output of a macro, which is Markdown already
    return {"html": html, "md": md}


def render(template: str, **context: Any) -> str:
    """Render one template (`*.html.j2`/`*.svg.j2` escape HTML, `*.md.j2` Markdown).

    Markdown loses runs of blank lines (one separates blocks as well as three),
    so the templates can keep their sections apart without counting newlines.
    """
    if template.endswith(".md.j2"):
        text = environments()["md"].get_template(template).render(**context)
        return re.sub(r"\n{3,}", "\n\n", text)
    return environments()["html"].get_template(template).render(**context)


_BATCH = 1 << 20  # characters rendered before they are encoded and written out


def render_utf8(template: str, **context: Any) -> bytes:
    """`render(template, **context).encode("utf-8")`, encoded as it is rendered.

    A page of a big ledger's report runs to hundreds of megabytes; rendering
    it whole holds the text, the pieces jinja2 joins it from and its bytes at
    once. Markdown's runs of blank lines are cut as in `render`: a batch ends
    at its last character that is not a newline, and the newlines after it go
    on with the next batch, so no run is ever split.
    """
    markdown = template.endswith(".md.j2")
    compiled = environments()["md" if markdown else "html"].get_template(template)
    out = io.BytesIO()
    batch: list[str] = []
    size = 0
    carry = ""

    def flush(last: bool) -> None:
        nonlocal carry
        text = carry + "".join(batch)
        batch.clear()
        if markdown:
            cut = len(text) if last else len(text.rstrip("\n"))
            text, carry = re.sub(r"\n{3,}", "\n\n", text[:cut]), text[cut:]
        out.write(text.encode("utf-8"))

    for piece in compiled.generate(**context):
        batch.append(piece)
        size += len(piece)
        if size >= _BATCH:
            flush(last=False)
            size = 0
    flush(last=True)
    return out.getvalue()


class Charts:
    """Renders chart geometry to SVG and remembers each file (for Markdown)."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.files: dict[str, str] = {}

    def add(self, template: str, stem: str, geometry: dict[str, Any]) -> dict[str, Any]:
        """`geometry` drawn by `template` as charts/STEM.svg: its file, SVG and alt."""
        svg = self.env.get_template(template).render(chart=geometry)
        path = f"charts/{stem}.svg"
        self.files[path] = svg
        return {
            "file": path,
            "svg": markupsafe.Markup(svg.rstrip("\n")),
            "alt": geometry["label"],
        }
