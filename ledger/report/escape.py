"""Escaping and safe names: what makes any user text safe on a report page.

HTML and SVG templates autoescape, and `html_finalize` cleans what they show;
Markdown templates run every value through `md_escape` (jinja2's `finalize`),
so a template cannot forget. `Md` marks Markdown already built from escaped
parts (`md_code`, `md_link`). Only `http(s)` links become links (`safe_url`),
and file names come from `safe_name`.
"""

from __future__ import annotations

import functools
import hashlib
import re
from urllib.parse import quote, urlsplit

import markupsafe

from ledger.core.text import DASH

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_MD_ACTIVE = re.compile(r"([\\`*_\[\]|~$#<>])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
# What would start a list, a heading underline or a thematic break at a line's start.
_MD_LEADING = re.compile(r"^(\d{1,9})([.)])(?=\s|$)|^([-+=])(?=[\s=+-]|$)")
# Text md_escape leaves as it is: none of the characters above (nor any other
# whitespace than single spaces); a big report writes millions of such values.
_MD_PLAIN = re.compile(
    "[A-Za-z0-9 ,.;:'\"()%/?!+=\\-\u2014\u2013\u2212\u2026\u201c\u201d\u2018\u2019"
    "\u2265\u2264\u00b7]*"
)
_SPACE = re.compile(r"\s")  # what str.isspace() calls whitespace


class Md(str):
    """Markdown that is already safe (built from escaped parts): not escaped again."""

    __slots__ = ()


def clean(text: str) -> str:
    r"""`text` without control characters, lone surrogates or non-characters.

    >>> clean("a\x00b\tc")
    'a b\tc'
    """
    return _CONTROL.sub(" ", text)


def md_escape(value: object) -> str:
    """Any value as Markdown text that renders as itself, on one line (`_md_escape`).

    Memoised for strings: a big report escapes the same names, dates and
    titles hundreds of thousands of times.
    """
    if type(value) is str:
        return _md_escape_text(value)
    return _md_escape(value)


@functools.lru_cache(maxsize=1 << 16)
def _md_escape_text(value: str) -> str:
    return _md_escape(value)


def _md_escape(value: object) -> str:
    r"""Any value as Markdown text that renders as itself, on one line.

    Markdown-active characters are backslash-escaped (`|` included, so the text
    can sit in a table cell), `<`, `>` and entity-like `&` become entities,
    whitespace runs (newlines too) become one space, and a leading `-`, `+`,
    `=` or `1.` cannot start a list or a heading.

    >>> md_escape("<script>alert(1)</script> | *x* & [y](z)")
    '\\<script\\>alert(1)\\</script\\> \\| \\*x\\* & \\[y\\](z)'
    >>> md_escape("- 1.5 &amp;"), md_escape(None)
    ('\\- 1.5 &amp;amp;', '—')
    """
    if isinstance(value, Md):
        return value
    if value is None:
        return DASH
    text = str(value)
    if (
        _MD_PLAIN.fullmatch(text)
        and "  " not in text
        and text[:1] != " "
        and text[-1:] != " "
        and not _MD_LEADING.match(text)
    ):
        return text  # what the lines below return for it
    text = " ".join(clean(text).split())
    text = _MD_ENTITY.sub("&amp;", text)
    text = _MD_ACTIVE.sub(r"\\\1", text)
    return _MD_LEADING.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def html_finalize(value: object) -> object:
    """What an HTML template shows for `value`: '—' for None, text `clean`ed."""
    if value is None:
        return DASH
    if type(value) is str:
        return _clean_text(value)
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return clean(value)
    return value


@functools.lru_cache(maxsize=1 << 16)
def _clean_text(value: str) -> str:
    """`clean`, memoised: a big report shows the same names and dates many times."""
    return clean(value)


def safe_url(url: str | None) -> str | None:
    """`url` if it is an http(s) link that can be written as is, else None.

    >>> safe_url("https://example.org/a?b=1"), safe_url("javascript:alert(1)")
    ('https://example.org/a?b=1', None)
    """
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if _CONTROL.search(url) or _SPACE.search(url):
        return None
    return url


def md_code(text: str) -> Md:
    """`text` as a Markdown code span: shown exactly as written (a command to copy).

    >>> md_code("ledger list a|b.yaml")
    '`ledger list a|b.yaml`'
    >>> md_code("x`y")
    '``x`y``'
    """
    text = " ".join(clean(str(text)).split())
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Md(f"{fence}{pad}{text}{pad}{fence}")


@functools.lru_cache(maxsize=1 << 12)
def md_link(text: object, url: str | None) -> Md:
    r"""A Markdown link (or just the escaped text, when the URL is not http(s)).

    >>> md_link("a|b", "https://x.org/a(1)|b"), md_link("x", "javascript:alert(1)")
    ('[a\\|b](https://x.org/a%281%29%7Cb)', 'x')
    """
    target = safe_url(url)
    label = md_escape(text)
    if target is None:
        return Md(label)
    return Md(f"[{label}]({quote(target, safe=':/?#@!$&*+,;=%~.-_')})")


def safe_name(text: str) -> str:
    """A file-name stem from an id that no other id shares and that stays in its folder.

    The id itself when it is a short slug; else a slug of it plus a hash of
    the original, so distinct ids never share a name and no name can climb
    out of its folder.

    >>> safe_name("jerry-tworek"), safe_name("../../etc")
    ('jerry-tworek', 'etc-74ccf3c5')
    """
    if re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", text):
        return text
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "x"
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{slug}-{digest}"
