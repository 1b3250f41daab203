"""The files beside the pages, unit by unit: redirects and inventories (inventory.py), the Atom feed
(whatsnew.py) and the checker of other teams' links (linkcheck.py).

They run on the basic fixture with 'answer-quickly' renamed to 'reply-quickly' (kbtest.rename_entry),
checked in this process; test_linking.py builds the same content, serves it and reads it with real
clients (browsers' redirects, Sphinx's intersphinx, a feed reader, `kb links check`).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import posixpath
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from kbtest import NEW_ID, OLD_ID, make_project, rename_entry
from sphinx.util.inventory import InventoryFile

from generator.errors import KbError
from generator.inventory import (
    INVENTORY_SCHEMA_VERSION,
    inventory_data,
    inventory_json,
    redirect_files,
    sphinx_inventory,
)
from generator.kinds import kind_names
from generator.linkcheck import Findings, check_text, handbook_from_inventory, site_file_keys
from generator.pipeline import check
from generator.whatsnew import atom_feed, by_date, recent_changes

SITE = "https://docs.example.org/h/"
ATOM = "{http://www.w3.org/2005/Atom}"
PAGES = ["index.md", "tags/index.md", "whats-new.md", "definitions/index.md"]
RENAMED = f"'{OLD_ID}' was renamed to '{NEW_ID}' (the old link redirects)"


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    """The renamed fixture, one title holding a character HTML must escape."""
    project = make_project(tmp_path_factory.mktemp("renamed") / "p")
    rename_entry(project)
    culture = project / "content" / "definitions" / "service-culture.yaml"
    culture.write_text(culture.read_text().replace("title: Service culture\n", "title: Service culture & care\n"))
    knowledge, problems = check(project)
    assert problems == []
    return knowledge


# --- redirects ----------------------------------------------------------------------------------


def _refresh_target(page: str) -> str:
    return re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', page).group(1)


def test_every_id_and_former_id_redirects_to_its_entry(kb):
    pages = {file.path: file.content.decode("utf-8") for file in redirect_files(kb, None)}
    short_links = {f"go/{entry_id}/index.html" for entry_id in [*kb.entries, OLD_ID]}
    former_addresses = {f"{kind}/{OLD_ID}/index.html" for kind in kind_names()}  # an alias does not record its old kind
    assert set(pages) == short_links | former_addresses
    for path, page in pages.items():
        entry = kb.entries[kb.aliases.get(path.split("/")[1], path.split("/")[1])]
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), _refresh_target(page))) + "/"
        assert target == f"{entry.kind}/{entry.id}/", path  # relative: the site works under any sub-path
        assert f'<link rel="canonical" href="{_refresh_target(page)}">' in page
        assert f'<a id="kb-redirect" href="{_refresh_target(page)}">' in page  # for readers without refresh
        script = "../" * path.count("/") + "javascripts/redirect.js"  # it keeps the #anchor
        assert re.findall(r"<script[^>]*>", page) == [f'<script src="{script}">']
        assert page.index("Content-Security-Policy") < page.index("<meta charset")


def test_redirects_name_the_entry_escaped_and_point_crawlers_at_its_permanent_url(kb):
    pages = {file.path: file.content.decode("utf-8") for file in redirect_files(kb, SITE)}
    renamed = pages[f"definitions/{OLD_ID}/index.html"]
    assert f'<link rel="canonical" href="{SITE}behaviours/{NEW_ID}/">' in renamed
    assert _refresh_target(renamed) == f"../../behaviours/{NEW_ID}/"
    assert "<title>Service culture &amp; care</title>" in pages["go/service-culture/index.html"]


# --- inventories --------------------------------------------------------------------------------


def test_inventory_lists_every_entry_with_its_former_ids_dates_and_the_other_pages(kb):
    data = inventory_data(kb, PAGES, project="Team handbook", site_url=SITE)
    assert tuple(data[key] for key in ("schema_version", "project", "base_url")) == (
        INVENTORY_SCHEMA_VERSION,
        "Team handbook",
        SITE,
    )
    listed = [(item["kind"], item["id"]) for item in data["entries"]]
    assert listed == sorted((entry.kind, entry.id) for entry in kb.entries.values())
    renamed = next(item for item in data["entries"] if item["id"] == NEW_ID)
    assert renamed == {
        "id": NEW_ID,
        "kind": "behaviours",
        "title": "Reply quickly",
        "summary": "Reply to a customer the same day.",
        "url": f"behaviours/{NEW_ID}/",
        "short_url": f"go/{NEW_ID}/",
        "aliases": [OLD_ID],
        "tags": ["speed"],
        "added": "2026-11-23",
        "last_reviewed": "2026-12-01",
    }
    never_reviewed = next(item for item in data["entries"] if item["id"] == "quick-reply")
    assert never_reviewed["last_reviewed"] is None and never_reviewed["aliases"] == []
    assert data["pages"] == ["", "definitions/", "tags/", "whats-new/"]


def test_inventory_json_is_one_stable_line_of_utf_8(kb):
    data = inventory_data(kb, PAGES, project="Café handbook", site_url=None)
    written = inventory_json(data)
    assert json.loads(written) == data and written.endswith(b"}\n") and written.count(b"\n") == 1
    assert "Café".encode() in written and b'": ' not in written  # no escapes, no padding: small and diffable
    assert inventory_json(inventory_data(kb, list(reversed(PAGES)), project="Café handbook", site_url=None)) == written


def test_objects_inv_resolves_ids_former_ids_pages_and_terms_in_sphinx(kb):
    stream = io.BytesIO(sphinx_inventory(kb, project="Team handbook"))
    assert stream.getvalue().startswith(b"# Sphinx inventory version 2\n# Project: Team handbook\n")
    inventory = InventoryFile.load(stream, SITE, posixpath.join)  # Sphinx's own reader, as intersphinx uses it
    labels, docs, terms = inventory["std:label"], inventory["std:doc"], inventory["std:term"]
    assert set(labels) == {*kb.entries, OLD_ID}
    assert (labels[NEW_ID].uri, labels[NEW_ID].display_name) == (f"{SITE}behaviours/{NEW_ID}/", "Reply quickly")
    assert labels[OLD_ID].uri == labels[NEW_ID].uri  # a former id leads straight to the new page, not to a redirect
    assert docs["definitions/service-culture"].display_name == "Service culture & care"
    assert set(docs) == {f"{e.kind}/{e.id}" for e in kb.entries.values()}
    assert set(terms) == {"service focus", "service culture"}
    assert terms["service focus"].uri == f"{SITE}definitions/service-focus/"


# --- what's new ---------------------------------------------------------------------------------


def test_recent_changes_are_newest_first_and_a_review_on_the_day_of_adding_is_no_news(kb):
    changes = recent_changes(kb)
    by_title = sorted(kb.entries.values(), key=lambda entry: entry.model.title.casefold())
    added = [(dt.date(2026, 11, 23), "added", entry.id) for entry in by_title]  # service-focus: reviewed that day too
    assert [(c.date, c.what, c.entry.id) for c in changes] == [(dt.date(2026, 12, 1), "reviewed", NEW_ID), *added]
    assert recent_changes(kb, limit=3) == changes[:3]
    assert [(date, [c.entry.id for c in group]) for date, group in by_date(changes)] == [
        (dt.date(2026, 12, 1), [NEW_ID]),
        (dt.date(2026, 11, 23), [entry.id for entry in by_title]),
    ]


def _feed(changes, site_url: str | None) -> ET.Element:
    return ET.fromstring(atom_feed(changes, project="Team", site_url=site_url))


def test_atom_feed_lists_the_changes_with_links_relative_to_the_site_or_absolute(kb):
    relative, absolute = _feed(recent_changes(kb), None), _feed(recent_changes(kb), SITE)
    assert relative.findtext(f"{ATOM}title") == "Team: what's new"
    assert relative.findtext(f"{ATOM}updated") == "2026-12-01T00:00:00Z"
    assert [link.get("href") for link in relative.findall(f"{ATOM}link")] == ["whats-new/", "feed.xml"]
    assert [link.get("href") for link in absolute.findall(f"{ATOM}link")] == [f"{SITE}whats-new/", f"{SITE}feed.xml"]
    first = relative.find(f"{ATOM}entry")
    assert first.findtext(f"{ATOM}title") == "Reviewed: Reply quickly"
    assert first.find(f"{ATOM}link").get("href") == f"behaviours/{NEW_ID}/"
    assert first.findtext(f"{ATOM}updated") == "2026-12-01T00:00:00Z"
    assert first.findtext(f"{ATOM}published") == "2026-11-23T00:00:00Z"
    category = first.find(f"{ATOM}category")
    assert (category.get("term"), category.get("label")) == ("behaviours", "behaviour")
    assert first.findtext(f"{ATOM}summary") == "Reply to a customer the same day."


def test_atom_ids_are_unique_and_survive_a_move_of_the_site(kb):
    changes = recent_changes(kb)
    feeds = [_feed(changes, None), _feed(changes, SITE)]
    ids = [[entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")] for feed in feeds]
    assert ids[0] == ids[1] and len(set(ids[0])) == len(changes) == len(kb.entries) + 1
    assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", value) for value in ids[0])


def test_a_feed_reader_reads_the_feed_and_an_empty_one(kb):
    feed = feedparser.parse(atom_feed(recent_changes(kb), project="Team", site_url=SITE))
    assert not feed.bozo, feed.get("bozo_exception")
    newest = [SITE + f"behaviours/{NEW_ID}/", SITE + "case-notes/example-corp/"]
    assert [entry.link for entry in feed.entries[:2]] == newest
    empty = _feed([], None)
    assert empty.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00Z" and empty.findall(f"{ATOM}entry") == []


# --- kb links check -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def handbook(kb):
    """What kb links check knows of the renamed handbook at SITE, from its inventory and a built site's files."""
    data = inventory_data(kb, PAGES, project="Team", site_url=SITE)
    return handbook_from_inventory(data, "inventory.json", [], site_file_keys(["assets/logo.svg", "search/index.html"]))


def _found(text: str, handbook) -> list[str]:
    findings = Findings()
    check_text("notes.md", text, handbook, findings)
    return [f"{findings.checked} link(s)"] + [str(problem) for problem in findings.problems]


def test_live_links_pass_with_their_fragments_pages_and_files(handbook):
    text = (
        f"See {SITE}behaviours/{NEW_ID}/#why-it-matters, {SITE}go/{NEW_ID}/ and "
        f"({SITE}definitions/service-focus/index.html).\n"
        f"Also {SITE}tags/, {SITE}feed.xml, {SITE}inventory.json, {SITE}assets/logo.svg, {SITE}search/ and {SITE}.\n"
    )
    assert _found(text, handbook) == ["9 link(s)"]


def test_a_link_to_a_former_id_is_a_warning_naming_the_new_address(handbook):
    text = f"Old: {SITE}definitions/{OLD_ID}/#how, short: <{SITE}go/{OLD_ID}/>.\n"
    assert _found(text, handbook) == [
        "2 link(s)",
        f"notes.md:1:6: warning: {SITE}definitions/{OLD_ID}/#how: {RENAMED}: "
        f"link to {SITE}behaviours/{NEW_ID}/#how instead",
        f"notes.md:1:{text.index('<') + 2}: warning: {SITE}go/{OLD_ID}/: {RENAMED}: link to {SITE}go/{NEW_ID}/ instead",
    ]


def test_unknown_ids_wrong_kinds_and_missing_pages_are_errors_with_a_hint(handbook):
    found = _found(f"{SITE}behaviours/reply-quikly/\n\n  {SITE}examples/service-focus/\n{SITE}tag/\n", handbook)
    assert found[0] == "3 link(s)"
    unknown = f"notes.md:1:1: error: broken link {SITE}behaviours/reply-quikly/: no entry with id 'reply-quikly'."
    assert found[1].startswith(unknown) and "Did you mean 'reply-quickly'?" in found[1]
    assert found[2] == (
        f"notes.md:3:3: error: broken link {SITE}examples/service-focus/: "
        f"'service-focus' is a definition, not an example: link to {SITE}definitions/service-focus/"
    )
    assert found[3].startswith(f"notes.md:4:1: error: broken link {SITE}tag/: there is no page 'tag/' in the handbook.")
    assert "'tags/'" in found[3]


def test_only_links_under_the_base_are_checked_and_without_one_only_short_links(handbook, kb):
    other_sites = f"{SITE[:-1]}2/go/nope/ https://example.org/go/{NEW_ID}/ http://docs.example.org/x/\n"
    assert _found(other_sites, handbook) == ["0 link(s)"]
    data = inventory_data(kb, PAGES, project="Team", site_url=None)
    without_base = handbook_from_inventory(data, "inventory.json", [])
    wiki = "https://any.example/wiki/"
    assert _found(f"{wiki}go/{OLD_ID}/ and {wiki}behaviours/{OLD_ID}/\n", without_base) == [
        "1 link(s)",
        f"notes.md:1:1: warning: {wiki}go/{OLD_ID}/: {RENAMED}: link to {wiki}go/{NEW_ID}/ instead",
    ]


def test_base_urls_are_given_a_slash_and_the_inventorys_own_is_added(kb):
    data = inventory_data(kb, PAGES, project="Team", site_url=SITE)
    handbook = handbook_from_inventory(data, "inventory.json", ["https://mirror.example/h", SITE])
    assert handbook.base_urls == ("https://mirror.example/h/", SITE)
    assert handbook.aliases == {OLD_ID: NEW_ID} and handbook.entries[NEW_ID] == "behaviours"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"schema_version": 99, "entries": []}, "not a handbook inventory of schema version 1 (found 99)"),
        (["not", "an", "object"], "not a handbook inventory of schema version 1 (found None)"),
        ({"schema_version": 1, "entries": [{"kind": "x"}]}, "inventory entries are malformed (KeyError: 'id')"),
    ],
)
def test_an_inventory_that_is_not_ours_is_one_diagnostic(data, expected):
    with pytest.raises(KbError) as raised:
        handbook_from_inventory(data, "downloads/inventory.json", [])
    [problem] = raised.value.diagnostics
    assert str(problem).startswith(f"downloads/inventory.json:1:1: error: {expected}")


def test_a_built_sites_index_files_are_reachable_by_their_folder():
    assert site_file_keys(["index.html", "a/b/index.html", "feed.xml", "a/xindex.html"]) == {
        "index.html",
        "",
        "a/b/index.html",
        "a/b/",
        "feed.xml",
        "a/xindex.html",
    }
