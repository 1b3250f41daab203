"""The MkDocs integration: the only module that imports mkdocs.

It runs the pipeline, writes the rendered pages into a cache folder outside docs_dir
(only the ones whose text changed), and adds them as generated files. Entry pages are
kept out of the navigation, which would otherwise make Material's build quadratic.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from .errors import KbError
from .pipeline import build_pages
from .render import Page

log = logging.getLogger("mkdocs.plugins.kb")
CACHE = Path(".cache") / "kb" / "pages"


class KnowledgeBasePlugin(BasePlugin):
    """Adds the handbook's generated pages to the MkDocs build."""

    @event_priority(100)  # first, so plugins that index files in on_files see our pages
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        root = Path(config.config_file_path).resolve().parent
        try:
            _, pages, diagnostics = build_pages(root)
        except KbError as exc:
            raise PluginError(f"the content has {len(exc.diagnostics)} problem(s):\n{exc}") from None
        for diagnostic in diagnostics:
            log.info(str(diagnostic))
        cache = root / CACHE
        for page in pages:
            files.append(_generated_file(config, cache, page))
        _remove_stale(cache, {page.path for page in pages})
        return files


def _generated_file(config: MkDocsConfig, cache: Path, page: Page) -> File:
    """Back a page by a real file in the cache and describe it to MkDocs."""
    target = cache / page.path
    _write_if_changed(target, page.markdown)
    inclusion = InclusionLevel.NOT_IN_NAV if page.entry_id else InclusionLevel.UNDEFINED
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
