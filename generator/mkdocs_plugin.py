"""The MkDocs integration: the only module that imports mkdocs.

It runs the pipeline and adds the rendered pages to the build as in-memory files: nothing
is written outside site_dir. In the preview, a page whose text is what the last good build
had reports itself unmodified, so `mkdocs serve --dirty` rebuilds only the pages an edit
changed. Entry pages are kept out of the navigation, which would otherwise make Material's
build quadratic. Every page body passes the HTML allowlist (sanitize.py) before the theme
wraps it; every page then gets its Content-Security-Policy (csp.py), and after the build every
published file is checked (verify.py): a problem fails the build, so `kb build` publishes nothing.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from pathlib import Path

from jinja2 import Environment
from jinja2.bccache import BytecodeCache
from mkdocs.config import base
from mkdocs.config import config_options as option
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage

from . import collector
from .csp import with_policy
from .errors import KbError
from .pipeline import StageCache, build_pages, site_files
from .preview import PreviewApp, PreviewState, surviving
from .render import MemoryBytecodeCache
from .sanitize import escape_html, sanitize_html
from .searchindex import SearchPage, refine_material_index, search_pages
from .settings import Settings, nav_with_every_kind
from .verify import site_path, unsafe_site_report, verify_site

log = logging.getLogger("mkdocs.plugins.kb")
# File systems that keep modification times to the second or two (FAT) still count a new file as changed.
CLOCK_SLACK_S = 2.0


class KnowledgeBaseConfig(base.Config):
    """The plugin's options in mkdocs.yml (`plugins: [kb: {...}]`); paths are relative to mkdocs.yml."""

    content_dir = option.Type(str, default=Settings.content_dir)
    templates_dir = option.Type(str, default=Settings.templates_dir)
    # The name inventories and the feed give the handbook (default: site_name).
    project = option.Optional(option.Type(str))


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):
    """Adds the handbook's generated pages to the MkDocs build."""

    cache: StageCache | None = None
    compiled_templates: BytecodeCache | None = None
    built: dict[str, str | bytes] | None = None  # preview only: each generated file's content in the last good build
    building: dict[str, str | bytes]  # what this build generates, to become `built` if it succeeds
    theme_inputs: tuple = ()  # preview only: mkdocs.yml and the theme overrides as the last build saw them
    sources: _SourceNamer | None = None  # names the YAML in warnings about generated pages (set up with the command)
    build_started = 0.0  # time.time() when this build began: a preview rebuild verifies only the files it wrote
    preview: PreviewState | None = None  # the preview's build state, which its error page shows
    content_failed = False  # this build found content errors (preview only: it then builds no pages)
    search_plan: dict[str, SearchPage] | None = None  # what the search index holds (searchindex.py)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Keep parsed entries between preview rebuilds; let `kb serve`'s `mkdocs serve --dirty` pass --strict."""
        # MkDocs keeps a plugin that has on_startup alive across `serve` rebuilds, so the cache persists.
        self.cache = StageCache() if command == "serve" else None
        self.compiled_templates = MemoryBytecodeCache() if command == "serve" else None
        self.built = {} if command == "serve" else None
        self.preview = PreviewState() if command == "serve" else None
        self.building = {}
        self.sources = _SourceNamer()
        for handler in logging.getLogger("mkdocs").handlers:  # a handler's filter sees its child loggers' records too
            handler.addFilter(self.sources)
        if dirty:
            # MkDocs warns that a dirty build may leave the navigation stale, and strict mode turns the
            # warning into an abort. Our nav lists only the index pages, which always exist, and every
            # generated page whose text changed is rewritten (so rebuilt), hence the warning does not apply.
            logging.getLogger("mkdocs.commands.build").addFilter(_drop_dirty_build_warning)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Give every kind an A-Z page in the nav: mkdocs.yml orders them, the kind registry adds any it lacks."""
        if config.nav is not None:
            config.nav = nav_with_every_kind(config.nav)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Note when the build began."""
        self.build_started = time.time()
        self.content_failed = False

    def settings(self, config: MkDocsConfig) -> Settings:
        """The project's settings: this plugin's options with the site's name and address."""
        return Settings(
            Path(config.config_file_path).resolve().parent,
            self.config.content_dir,
            self.config.templates_dir,
            self.config.project or config.site_name,
            config.site_url,
        )

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:
        """Rebuild the preview when an entry or a page template changes."""
        settings = self.settings(config)
        for folder in (settings.content, settings.templates):
            server.watch(str(folder))
        if self.preview is not None:  # every page shows the build's problems at once, instead of a stuck server
            server.set_app(PreviewApp(server.get_app(), self.preview, settings.root))
            server.builder = surviving(server.builder)
        return server

    @event_priority(100)  # first, so plugins that index files in on_files see our pages
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Generate the pages and site files; under kb, exempt them from garbage collection until the build ends."""
        try:
            return self._add_generated_files(files, config)
        finally:
            collector.freeze_until_built()

    def _add_generated_files(self, files: Files, config: MkDocsConfig) -> Files:
        _refuse_files_outside(files, config.docs_dir)
        s = self.settings(config)
        try:
            kb, pages = build_pages(
                s.root, s.templates, s.site_url, self.cache, content_dir=s.content_dir, project=s.project
            )
        except KbError as exc:
            if self.preview is None:
                raise PluginError(f"the content has {len(exc.diagnostics)} problem(s):\n{exc}") from None
            return self._without_pages(files, config, exc.diagnostics)
        if self.built is not None and (inputs := _theme_inputs(config)) != self.theme_inputs:
            self.built, self.theme_inputs = {}, inputs  # every page's HTML may differ: rebuild them all
        self.building = {}
        self.search_plan = search_pages(kb, pages)
        if self.sources is not None:
            self.sources.by_page = {page.path: page.source_path for page in pages if page.source_path}
        for page in pages:
            inclusion = InclusionLevel.NOT_IN_NAV if page.entry_id or not page.in_nav else InclusionLevel.UNDEFINED
            file = self._generated(config, page.path, page.markdown, inclusion)
            file.edit_uri = page.source_path  # "edit this page" opens the entry's YAML, not generated Markdown
            files.append(file)
        for extra in site_files(kb, pages, project=s.project, site_url=s.site_url):  # redirects, inventories, feed
            files.append(self._generated(config, extra.path, extra.content))
        return files

    def _without_pages(self, files: Files, config: MkDocsConfig, problems: list) -> Files:
        """The preview of content with errors: no pages are built, and every address shows the problems."""
        # Printed, not logged: strict mode counts logged errors, and this build must succeed so the server serves.
        for line in [*map(str, problems), f"kb serve: {len(problems)} problem(s), shown on every page"]:
            print(line, file=sys.stderr, flush=True)  # a Diagnostic prints escaped (errors.printable)
        self.preview.fail(problems)
        self.content_failed, self.built = True, {}  # the next good build writes every page again
        config.nav = []  # the nav's pages are not generated this time
        return files

    def _generated(
        self, config: MkDocsConfig, path: str, content: str | bytes, inclusion=InclusionLevel.UNDEFINED
    ) -> File:
        """An in-memory file; in the preview it is unmodified when the last good build had the same content."""
        file = _GeneratedFile.generated(config, path, content=content, inclusion=inclusion)
        if self.built is not None:
            file.unchanged = self.built.get(path) == content
            self.building[path] = content
        return file

    @event_priority(-100)  # last: the search index and every other plugin's files are written by then
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Refine the search index; fail the build if a published file could run or load anything it should not."""
        # Raising here makes MkDocs call on_build_error, and `kb build` keeps the previous site. A preview
        # rebuild after a good build reads only what it rewrote: the rest was verified before.
        if self.content_failed:  # nothing was generated: the theme's own files are as verified before
            collector.release()
            return
        since = self.build_started - CLOCK_SLACK_S if self.built else None
        base_path = site_path(config.site_url)
        index = Path(config.site_dir) / "search" / "search_index.json"
        if self.search_plan is not None and index.is_file():  # the search plugin has written it (on_post_build)
            refine_material_index(index, self.search_plan)
        _refuse_unsafe_site(Path(config.site_dir), config.theme.dirs, base_path, since, preview=self.built is not None)
        collector.release()
        if self.preview is not None:
            self.preview.succeed()
        if self.built is not None:
            self.built = self.building

    def on_build_error(self, *, error: Exception) -> None:
        """A failed preview build may have written some pages and not others: rebuild them all next time."""
        collector.release()
        if self.built is not None:
            self.built = {}
        if self.preview is not None and not self.content_failed:
            self.preview.fail(failure=str(error) or type(error).__name__)

    def on_page_markdown(self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        """Escape the front matter that Material inserts as raw HTML: <title>, header, meta, search."""
        for key in ("title", "description"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = escape_html(page.meta[key])
        return markdown

    @event_priority(-100)  # last, so the hashes cover every inline script any plugin added
    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        """Head the page with its Content-Security-Policy, allowing its own theme scripts by hash."""
        return with_policy(output, preview=self.built is not None)

    @event_priority(-100)
    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """The same policy on the theme's static pages (404.html), which MkDocs renders without a page."""
        return (
            with_policy(output_content, preview=self.built is not None)
            if template_name.endswith(".html")
            else output_content
        )

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
    escaping = [
        f.src_uri for f in files if f.src_dir == docs_dir and not Path(f.abs_src_path).resolve().is_relative_to(docs)
    ]
    if escaping:
        raise PluginError(
            f"{docs_dir} links to files outside it: {', '.join(sorted(escaping))}. "
            "Replace each symlink with the file itself."
        )


def _refuse_unsafe_site(
    site_dir: Path, theme_dirs: list[str], base_path: str, changed_since: float | None, *, preview: bool = False
) -> None:
    """Stop the build with the first problems verify.py finds in the published files, if any."""
    problems = verify_site(site_dir, theme_dirs, base_path=base_path, changed_since=changed_since, preview=preview)
    if problems:
        raise PluginError(unsafe_site_report(problems))


def _theme_inputs(config: MkDocsConfig) -> tuple:
    """mkdocs.yml and the theme's overrides, by size and time: a page's HTML depends on them, not just its Markdown."""
    paths = [Path(config.config_file_path)]
    if config.theme.custom_dir:
        paths += sorted(path for path in Path(config.theme.custom_dir).rglob("*") if path.is_file())
    return tuple((str(path), path.stat().st_size, path.stat().st_mtime_ns) for path in paths)


class _SourceNamer(logging.Filter):
    """Adds the YAML file to any warning or error naming a generated page: none points only at Markdown nobody wrote.

    Whatever `kb check` accepts should build; a message here means a gap in the generator,
    and the YAML is where to look.
    """

    def __init__(self) -> None:
        super().__init__()
        self.by_page: dict[str, str] = {}  # generated page path -> its YAML file

    _PAGE = re.compile(r"[\w.-]+/[\w.-]+\.md")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING and self.by_page and not getattr(record, "kb_named", False):
            record.kb_named = True  # each handler runs the filter: name the sources once
            sources = {self.by_page[path] for path in self._PAGE.findall(record.getMessage()) if path in self.by_page}
            if sources:
                record.msg, record.args = f"{record.getMessage()} (generated from {', '.join(sorted(sources))})", ()
        return True


def _drop_dirty_build_warning(record: logging.LogRecord) -> bool:
    """A logging filter that drops MkDocs' generic 'dirty build' warning and nothing else."""
    return not str(record.msg).startswith("A 'dirty' build is being performed")


class _GeneratedFile(File):
    """A generated file whose modified state the plugin decides: MkDocs would deem in-memory content always modified."""

    unchanged = False

    def is_modified(self) -> bool:
        return not self.unchanged
