"""The MkDocs integration: the only module that imports mkdocs.

It runs the pipeline, writes the rendered pages into a cache folder outside docs_dir
(only the ones whose text changed), and adds them as generated files. Entry pages are
kept out of the navigation, which would otherwise make Material's build quadratic.
Every page body passes the HTML allowlist (sanitize.py) before the theme wraps it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from jinja2 import Environment
from jinja2.bccache import BytecodeCache, Bucket
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage

from .errors import KbError
from .inventory import SiteFile
from .pipeline import StageCache, build_pages, site_files
from .render import Page
from .sanitize import escape_text, sanitize_html

log = logging.getLogger("mkdocs.plugins.kb")
CACHE = Path(".cache") / "kb" / "pages"
STATIC_CACHE = Path(".cache") / "kb" / "static"  # redirects, inventories, feed: copied as they are


class KnowledgeBasePlugin(BasePlugin):
    """Adds the handbook's generated pages to the MkDocs build."""

    cache: StageCache | None = None
    compiled_templates: BytecodeCache | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Keep parsed entries between preview rebuilds; let `mkdocs serve --dirty` (what `kb serve` runs) pass --strict."""
        # MkDocs keeps a plugin that has on_startup alive across `serve` rebuilds, so the cache persists.
        self.cache = StageCache() if command == "serve" else None
        self.compiled_templates = _MemoryBytecodeCache() if command == "serve" else None
        if dirty:
            # MkDocs warns that a dirty build may leave the navigation stale, and strict mode turns the
            # warning into an abort. Our nav lists only the index pages, which always exist, and every
            # generated page whose text changed is rewritten (so rebuilt), hence the warning does not apply.
            logging.getLogger("mkdocs.commands.build").addFilter(_drop_dirty_build_warning)

    @event_priority(100)  # first, so plugins that index files in on_files see our pages
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        _refuse_files_outside(files, config.docs_dir)
        root = Path(config.config_file_path).resolve().parent
        try:
            kb, pages, diagnostics = build_pages(root, site_url=config.site_url, cache=self.cache)
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

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """In the preview, keep the theme's compiled templates: MkDocs recompiles all ~50 on every rebuild."""
        if self.compiled_templates is not None:
            env.bytecode_cache = self.compiled_templates
        return env


def _refuse_files_outside(files: Files, docs_dir: str) -> None:
    """Stop the build if a symlink would publish a file from outside docs_dir (MkDocs follows them)."""
    docs = Path(docs_dir).resolve()
    escaping = [f.src_uri for f in files if f.src_dir == docs_dir and not Path(f.abs_src_path).resolve().is_relative_to(docs)]
    if escaping:
        raise PluginError(f"{docs_dir} links to files outside it: {', '.join(sorted(escaping))}. Replace each symlink with the file itself.")


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled Jinja templates kept in memory; Jinja checks each one against its source's checksum, so edits recompile."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def _generated_file(config: MkDocsConfig, cache: Path, page: Page) -> File:
    """Back a page by a real file in the cache and describe it to MkDocs."""
    target = cache / page.path
    _write_if_changed(target, page.markdown.encode("utf-8"))
    inclusion = InclusionLevel.NOT_IN_NAV if page.entry_id or not page.in_nav else InclusionLevel.UNDEFINED
    file = File.generated(config, page.path, abs_src_path=str(target), inclusion=inclusion)
    file.edit_uri = page.source_path  # "edit this page" opens the entry's YAML, not generated Markdown
    return file


def _write_if_changed(target: Path, content: bytes) -> None:
    """Write a cached file only when its bytes changed, so unchanged pages keep their timestamps."""
    if target.is_file() and target.read_bytes() == content:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)


def _drop_dirty_build_warning(record: logging.LogRecord) -> bool:
    """A logging filter that drops MkDocs' generic 'dirty build' warning and nothing else."""
    return not str(record.msg).startswith("A 'dirty' build is being performed")


def _remove_stale(cache: Path, keep: set[str], pattern: str = "*.md") -> None:
    """Delete cached files that are no longer generated (pages of deleted entries, dropped redirects)."""
    for path in cache.rglob(pattern):
        if path.relative_to(cache).as_posix() not in keep:
            path.unlink()


def _add_site_files(files: Files, config: MkDocsConfig, cache: Path, extras: list[SiteFile]) -> None:
    """Add the non-Markdown files (redirects, inventories, feed), each backed by a file in the cache."""
    for extra in extras:
        target = cache / extra.path
        _write_if_changed(target, extra.content)
        files.append(File.generated(config, extra.path, abs_src_path=str(target)))
    _remove_stale(cache, {extra.path for extra in extras}, "*.*")
