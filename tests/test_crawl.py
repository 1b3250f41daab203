"""Zero broken links: the built site crawled over HTTP, every page, link, anchor and redirect followed."""

from __future__ import annotations

from pathlib import Path

from kbtest import serve_folder
from siteserver import crawl, page_urls, unreached_pages


def _assert_every_page_is_reached_and_no_link_broken(site: Path) -> None:
    """Serve a built site and crawl it from its home page and every page."""
    with serve_folder(site) as base_url:
        broken, linked = crawl(base_url, page_urls(site, base_url))
    assert broken == []
    assert len(linked) > 1, "the crawl found no link on the home page"
    assert unreached_pages(site, linked) == []


def test_crawl_of_the_fixture_site_finds_no_broken_link_and_reaches_every_page(fixture_site):
    _assert_every_page_is_reached_and_no_link_broken(fixture_site)


def test_crawl_of_the_shipped_site_finds_no_broken_link_and_reaches_every_page(shipped_build):
    _assert_every_page_is_reached_and_no_link_broken(shipped_build[0])


def test_crawl_reports_a_missing_page_a_missing_anchor_a_broken_redirect_and_an_orphan(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">a</a> <a href="gone/">gone</a> <link href="x.css" rel="stylesheet">'
    )
    (tmp_path / "a" / "index.html").write_text(
        '<h2 id="here">Here</h2><a href="../#nowhere">home</a><a href="#here">up</a>'
    )
    (tmp_path / "x.css").write_text("")
    (tmp_path / "orphan.html").write_text('<p>nobody links here</p><a href="only-from-orphan.html">x</a>')
    (tmp_path / "only-from-orphan.html").write_text("<p>reached only from an orphan</p>")
    (tmp_path / "old.html").write_text(
        '<meta http-equiv="refresh" content="0; url=moved/"><a href="redirected-only.html">x</a>'
    )
    (tmp_path / "redirected-only.html").write_text("<p>linked only from a redirect page</p>")
    with serve_folder(tmp_path) as base_url:
        broken, linked = crawl(base_url, page_urls(tmp_path, base_url))
    assert broken == ["/: gone/ (HTTP 404)", "/a/: ../#nowhere (no such anchor)", "/old.html: moved/ (HTTP 404)"]
    assert unreached_pages(tmp_path, linked) == ["/orphan.html", "/redirected-only.html"]
