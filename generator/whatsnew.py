"""What's new: recent additions and reviews from the entries' own dates, and their Atom feed.

Only the entries' dates are used, never the clock, so the same content always gives the
same page and the same feed (reproducible builds, no network).
"""

from __future__ import annotations

import datetime as dt
import heapq
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Literal

from .addresses import FEED_FILE, PAGES, absolute_url, entry_url, page_url
from .kinds import singular
from .links import KnowledgeBase
from .validate import ValidEntry

RECENT_LIMIT = 30
ATOM = "http://www.w3.org/2005/Atom"
EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class Change:
    """One dated event in an entry's life: it was added, or reviewed against its sources."""

    date: dt.date
    what: Literal["added", "reviewed"]
    entry: ValidEntry


def recent_changes(kb: KnowledgeBase, limit: int = RECENT_LIMIT) -> list[Change]:
    """The latest additions and reviews, newest first; a review on the day of adding is not news."""
    changes = []
    for entry in kb.entries.values():
        changes.append(Change(entry.model.added, "added", entry))
        reviewed = entry.model.last_reviewed
        if reviewed and reviewed > entry.model.added:
            changes.append(Change(reviewed, "reviewed", entry))
    return heapq.nsmallest(
        limit, changes, key=lambda c: (-c.date.toordinal(), c.what, c.entry.model.title.casefold(), c.entry.id)
    )


def by_date(changes: list[Change]) -> list[tuple[dt.date, list[Change]]]:
    """Group changes (already newest first) under their dates."""
    groups: dict[dt.date, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.date, []).append(change)
    return list(groups.items())


def atom_feed(changes: list[Change], *, project: str, site_url: str | None) -> bytes:
    """An Atom 1.0 feed of the changes; links are relative to the feed unless site_url is set."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", f"{project}: what's new")
    _text(feed, "subtitle", "Entries recently added to or reviewed in the handbook.")
    _text(feed, "id", _urn(project, "feed"))
    _text(feed, "updated", _timestamp(changes[0].date if changes else EPOCH))
    _link(feed, _href(page_url(PAGES["whats_new"]), site_url), rel="alternate", type="text/html")
    _link(feed, _href(FEED_FILE, site_url), rel="self", type="application/atom+xml")
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = project
    for change in changes:
        feed.append(_feed_entry(change, project, site_url))
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _feed_entry(change: Change, project: str, site_url: str | None) -> ET.Element:
    """One Atom entry: 'Added: Title' or 'Reviewed: Title', with the summary and a link."""
    entry, model = change.entry, change.entry.model
    element = ET.Element(f"{{{ATOM}}}entry")
    _text(element, "title", f"{change.what.capitalize()}: {model.title}")
    _text(element, "id", _urn(project, f"{entry.id}/{change.what}/{change.date.isoformat()}"))
    _text(element, "updated", _timestamp(change.date))
    _text(element, "published", _timestamp(model.added))
    _link(element, _href(entry_url(entry), site_url), rel="alternate", type="text/html")
    ET.SubElement(element, f"{{{ATOM}}}category", term=entry.kind, label=singular(entry.kind))
    _text(element, "summary", model.summary)
    return element


def _text(parent: ET.Element, name: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{name}").text = text


def _link(parent: ET.Element, href: str, **attributes: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", href=href, **attributes)


def _href(url: str, site_url: str | None) -> str:
    """An absolute URL when the site's address is known; else relative to the feed at the site root."""
    return absolute_url(url, site_url) if site_url else url


def _timestamp(date: dt.date) -> str:
    """An RFC 3339 timestamp at midnight UTC: the entries carry dates, not times."""
    return f"{date.isoformat()}T00:00:00Z"


def _urn(project: str, name: str) -> str:
    """A stable, unique Atom id that does not change when the site moves to another address."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{project}/{name}')}"
