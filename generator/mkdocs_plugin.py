"""The MkDocs integration: the only module that imports mkdocs.

It runs the pipeline, writes the rendered pages into a cache folder outside docs_dir
(only the ones whose text changed), and adds them as generated files. Entry pages are
kept out of the navigation, which would otherwise make Material's build quadratic.
Every page body passes the HTML allowlist (sanitize.py) before the theme wraps it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage

from .errors import KbError
from .inventory import SiteFile
from .pipeline import build_pages, site_files
from .render import Page
from .sanitize import escape_text, sanitize_html

log = logging.getLogger("mkdocs.plugins.kb")
CACHE = Path(".cache") / "kb" / "pages"
STATIC_CACHE = Path(".cache") / "kb" / "static"  # redirects, inventories, feed: copied as they are


class KnowledgeBasePlugin(BasePlugin):
    """Adds the handbook's generated pages to the MkDocs build."""

    @event_priority(100)  # first, so plugins that index files in on_files see our pages
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        _refuse_files_outside(files, config.docs_dir)
        root = Path(config.config_file_path).resolve().parent
        try:
            kb, pages, diagnostics = build_pages(root, site_url=config.site_url)
        except KbError as exc:
            raise PluginError(f"the content has {len(exc.diagnostics)} problem(s):\n{exc}") from None
        for diagnostic in diagnostics:
            log.info(str(diagnostic))
        cache = root / CACHE
        for page in pages:
            files.append(_generated_file(config, cache, page))
        _remove_stale(cache, {page.path for page in pages})
        _add_site_files(files, config, root / STATIC_CACHE, site_files(kb, pages, project=config.site_name, site_url=config.site_url))
        return files

    def on_page_markdown(self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        """Escape the front matter that Material inserts as raw HTML: <title>, header, meta, search."""
        for key in ("title", "description"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = escape_text(page.meta[key])
        return markdown

    @event_priority(-100)  # last, so nothing another plugin adds to the body escapes the allowlist
    def on_page_content(self, html: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        """Pass every page body through the HTML allowlist."""
        return sanitize_html(html)


def _refuse_files_outside(files: Files, docs_dir: str) -> None:
    """Stop the build if a symlink would publish a file from outside docs_dir (MkDocs follows them)."""
    docs = Path(docs_dir).resolve()
    escaping = [f.src_uri for f in files if f.src_dir == docs_dir and not Path(f.abs_src_path).resolve().is_relative_to(docs)]
    if escaping:
        raise PluginError(f"{docs_dir} links to files outside it: {', '.join(sorted(escaping))}. Replace each symlink with the file itself.")


def _generated_file(config: MkDocsConfig, cache: Path, page: Page) -> File:
    """Back a page by a real file in the cache and describe it to MkDocs."""
    target = cache / page.path
    _write_if_changed(target, page.markdown)
    inclusion = InclusionLevel.NOT_IN_NAV if page.entry_id or not page.in_nav else InclusionLevel.UNDEFINED
    file = File.generated(config, page.path, abs_src_path=str(target), inclusion=inclusion)
    file.edit_uri = page.source_path  # "edit this page" opens the entry's YAML, not generated Markdown
    return file


def _write_if_changed(target: Path, text: str) -> None:
    """Write a page only when its text changed, so unchanged pages keep their timestamps."""
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _remove_stale(cache: Path, keep: set[str]) -> None:
    """Delete cached pages of entries that no longer exist."""
    for path in cache.rglob("*.md"):
        if path.relative_to(cache).as_posix() not in keep:
            path.unlink()


def _add_site_files(files: Files, config: MkDocsConfig, cache: Path, extras: list[SiteFile]) -> None:
    """Add the non-Markdown files (redirects, inventories, feed), each backed by a file in the cache."""
    for extra in extras:
        target = cache / extra.path
        if not (target.is_file() and target.read_bytes() == extra.content):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(extra.content)
        files.append(File.generated(config, extra.path, abs_src_path=str(target)))
    keep = {extra.path for extra in extras}
    for path in cache.rglob("*.*"):  # redirects of former ids that were dropped
        if path.relative_to(cache).as_posix() not in keep:
            path.unlink()
