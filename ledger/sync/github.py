"""GitHub releases: the first release whose tag matches, and when it was published.

`GET /repos/{owner}/{repo}/releases?per_page=100` returns the repository's
releases, newest first (GitHub's REST API), each with `tag_name`, `draft`,
`prerelease`, `published_at` and `html_url`. Drafts and pre-releases are
skipped; `tag` is a glob (`v2.*`; every release when left out). The first
matching release (the earliest published) settles a date question with its
UTC publication day, and a binary one with yes if that day is on or before
the deadline, no if after. With no match, the question is pending until its
deadline has passed, then no (known on the deadline). Only the 100 newest
releases are read.
"""

from __future__ import annotations

import fnmatch
from typing import TYPE_CHECKING, Any

from ledger.sync.http import base_url
from ledger.sync.reading import Reading, SourceError, day, from_iso, parse_json

if TYPE_CHECKING:
    import datetime as dt

    from ledger.core.model import Question, Resolver
    from ledger.sync.http import Client


def api_url(repo: str) -> str:
    """The API URL of a repository's releases."""
    return f"{base_url('github-release')}/repos/{repo}/releases?per_page=100"


def _matching(releases: list[Any], tag: str) -> list[tuple[dt.date, dict[str, Any]]]:
    """(publication day, release) of each published, final release whose tag matches."""
    found = []
    for release in releases:
        if not isinstance(release, dict):
            raise SourceError("a release is not a JSON object")
        if release.get("draft") or release.get("prerelease"):
            continue
        name = release.get("tag_name")
        if isinstance(name, str) and fnmatch.fnmatchcase(name, tag):
            found.append(
                (from_iso(release.get("published_at"), "published_at"), release)
            )
    return sorted(found, key=lambda pair: pair[0])


def read(
    client: Client, resolver: Resolver, question: Question, today: dt.date
) -> Reading:
    """What GitHub's releases of `resolver.repo` say about the question."""
    repo = str(resolver.repo)
    url = api_url(repo)
    releases = parse_json(client.get("github-release", url).body, "GitHub")
    if not isinstance(releases, list):
        raise SourceError("GitHub answered with JSON that is not a list of releases")
    tag = resolver.tag or "*"
    matches = _matching(releases, tag)
    deadline = question.deadline.latest
    if not matches:
        evidence: tuple[str, ...] = (f"https://github.com/{repo}/releases", url)
        raw: dict[str, Any] = {"tag": tag, "releases": len(releases), "matching": 0}
        if today > deadline:
            return Reading(
                "resolved", result="no", known=day(deadline), evidence=evidence, raw=raw
            )
        return Reading(
            "pending",
            evidence=evidence,
            raw=raw,
            reason=f"no release matches {tag!r} yet",
        )
    published, release = matches[0]
    page = release.get("html_url")
    evidence = (page, url) if isinstance(page, str) and page else (url,)
    raw = {
        "tag_name": release.get("tag_name"),
        "published_at": release.get("published_at"),
    }
    if published > deadline:
        result = "no"
    else:
        result = published.isoformat() if question.kind == "date" else "yes"
    known = day(published if published <= deadline else deadline)
    return Reading("resolved", result=result, known=known, evidence=evidence, raw=raw)
