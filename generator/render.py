"""The render stage: a KnowledgeBase in, Markdown pages with front matter out (Jinja, site_templates/).

Python prepares what each page shows (pageviews.py) and writes its prose (pageprose.py); the
templates only lay it out, and see no entry the page does not show.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.bccache import Bucket, BytecodeCache

from .addresses import (
    FILES,
    PAGES,
    PATH_PAGES,
    absolute_url,
    entry_page,
    entry_url,
    kind_index_page,
    page_url,
    path_page,
    short_url,
    tag_page,
)
from .escaping import escape_text, safe_url
from .glossary import Glossary, glossary_from, glossary_key, link_title
from .kinds import REGISTRY, kind_names, titles
from .links import RELATION_HEADINGS, KnowledgeBase
from .memo import Memo
from .pageprose import PageProse
from .pageviews import EntryView, a_to_z, entry_view, named_entries, objection_entries, path_view
from .prose import starts_with_block
from .reference import reference_pages
from .settings import DEFAULT_PROJECT
from .training import clock, fits_handout, practice_matrix, qr_svg
from .validate import ValidEntry
from .whatsnew import by_date, recent_changes

# More case notes than this and the practice matrix lists cases per behaviour: a wider grid fits no page or screen.
MATRIX_MAX_COLUMNS = 30
# A path's pages made to be printed: their links print the address they lead to.
PRINTED_PATH_PAGES = {"handout", "facilitator"}


@dataclass(frozen=True)
class Page:
    """One generated Markdown page: where it goes, its text, and the entry it shows (if any)."""

    path: str
    markdown: str
    entry_id: str | None = None
    source_path: str | None = None
    in_nav: bool = True  # False: reached by links only (entry pages are always out of the nav)


@dataclass
class RenderCache:
    """What a live preview keeps between renders, under memo.py's one policy."""

    templates: dict[str, bytes] = field(default_factory=dict)  # Jinja bytecode by template (Jinja checks sources)
    settings: tuple = ()  # what every page depends on: templates, site address, project name, glossary
    entry_pages: Memo[Page] = field(default_factory=Memo)  # by entry id, kept while (settings, view) are the same
    qr_codes: Memo[str] = field(default_factory=Memo)  # ~12 ms each (segno tries all eight masks)
    glossary: Memo[Glossary] = field(default_factory=Memo)


def render_pages(
    kb: KnowledgeBase,
    template_dir: Path,
    site_url: str | None = None,
    cache: RenderCache | None = None,
    *,
    project: str = DEFAULT_PROJECT,
) -> list[Page]:
    """Render the home page, the kind and tag pages, what's new, every entry page and the trainer pages.

    With a cache kept from the last render, an entry page whose view and settings are unchanged is reused.
    """
    cache = cache or RenderCache()  # a one-shot build keeps its cache for this render only
    definitions = glossary_key(kb)
    glossary = glossary_from(definitions, cache.glossary)
    env = make_environment(template_dir, cache, site_url=site_url, project=project, glossary=glossary)
    settings = (_template_sources(template_dir), site_url, project, definitions)
    if settings != cache.settings:
        cache.settings = settings  # one object for every page's inputs: comparing them is an identity test
    pages = [
        _render(
            env,
            "home.md.j2",
            PAGES["home"],
            counts={k: len(kb.by_kind(k)) for k in kind_names()},
            paths=kb.by_kind("paths"),
        )
    ]
    tags = kb.tags()
    pages.append(_render(env, "tags.md.j2", PAGES["tags"], tags=tags))
    for tag, items in tags.items():  # a page per tag: an edit re-renders the pages of its own tags, not everything
        pages.append(_render(env, "tag.md.j2", tag_page(tag), in_nav=False, tag=tag, items=items))
    pages.append(_render(env, "whats_new.md.j2", PAGES["whats_new"], days=by_date(recent_changes(kb))))
    pages.extend(reference_pages(kb, functools.partial(_render, env)))
    pages.append(_render(env, "search.md.j2", PAGES["search"], in_nav=False))
    for kind in kind_names():
        pages.append(
            _render(env, "kind_index.md.j2", kind_index_page(kind), kind=kind, groups=a_to_z(kb.by_kind(kind)))
        )
    for entry in kb.entries.values():
        view = entry_view(kb, entry)
        pages.append(cache.entry_pages.get(entry.id, (cache.settings, view), render_entry, env, view))
    cache.entry_pages.keep_only(kb.entries)
    pages.extend(render_trainer_pages(env, kb))
    clashes = [path for path, count in Counter(page.path for page in pages).items() if count > 1]
    if clashes:  # a bug, not a content error: ids are checked so that no entry can take a page's place
        raise RuntimeError(f"two pages would be written to {clashes}")
    return pages


def render_trainer_pages(env: Environment, kb: KnowledgeBase) -> list[Page]:
    """Render the glossary, the card deck, the practice matrix, the objection guide and each path's trainer pages."""
    cases, rows = practice_matrix(kb)
    per_case = Counter(case_id for row in rows for case_id in row.cases)
    behaviours = kb.by_kind("behaviours")
    pages = [
        _render(env, "glossary.md.j2", PAGES["glossary"], definitions=kb.by_kind("definitions")),
        _render(env, "cards.md.j2", PAGES["cards"], behaviours=behaviours, named=named_entries(kb, *behaviours)),
        _render(
            env,
            "matrix.md.j2",
            PAGES["matrix"],
            cases=cases,
            rows=rows,
            per_case=per_case,
            max_columns=MATRIX_MAX_COLUMNS,
        ),
    ]
    answering = objection_entries(kb)
    pages.append(
        _render(env, "objections.md.j2", PAGES["objections"], entries=answering, named=named_entries(kb, *answering))
    )
    for path in kb.by_kind("paths"):  # /handouts/, /facilitator/, /present/, /self-check/ <path id>/
        view = path_view(kb, path)
        for name in PATH_PAGES:
            printed = name in PRINTED_PATH_PAGES
            context = {"named": view.named, "entry": path, "e": path.model, "view": view}
            pages.append(
                _render(env, f"{name}.md.j2", path_page(path, name), in_nav=False, print_urls=printed, **context)
            )
    return pages


def render_entry(env: Environment, view: EntryView) -> Page:
    """Render one entry's page from its view, with its kind's template; its prose is written first, in field order."""
    entry, path = view.entry, entry_page(view.entry)
    written = PageProse(path, view.named, env.globals["site_url"]).write_entry(entry, env.globals["glossary"])
    page = _render(
        env,
        f"{entry.kind}.md.j2",
        path,
        named=view.named,
        written=written,
        entry=entry,
        e=entry.model,
        sections=view.sections,
        stops=view.stops,
    )
    return Page(path, page.markdown, entry.id, entry.raw.path)


def _template_sources(template_dir: Path) -> tuple:
    """The text of every page template, so that editing one re-renders every page."""
    return tuple((path.name, path.read_bytes()) for path in sorted(template_dir.glob("*.j2")))


def make_environment(
    template_dir: Path, cache: RenderCache, *, site_url: str | None, project: str, glossary: Glossary
) -> Environment:
    """One Jinja environment for all pages; fields are data, never templates."""
    env = Environment(
        loader=FileSystemLoader(template_dir),
        bytecode_cache=MemoryBytecodeCache(cache.templates),
        undefined=StrictUndefined,
        autoescape=False,  # the output is Markdown: fields are escaped for Markdown by the `md` filter
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # one environment per build: skip the three stat() calls per page that check templates
    )
    env.globals.update(
        project=project,
        pages=PAGES,
        files=FILES,
        kind_index_page=kind_index_page,
        relation_headings=RELATION_HEADINGS,
        singular={k: kind.singular for k, kind in REGISTRY.items()},
        kind_titles=titles(),
        search_boost={k: kind.search_boost for k, kind in REGISTRY.items()},
        site_url=site_url,
        glossary=glossary,
        # Permanent links are shown in full when the site's address is known (KB_SITE_URL), else site-absolute.
        permalink=lambda entry: absolute_url(entry_url(entry), site_url),
        path_page_address=lambda path, name: absolute_url(page_url(path_page(path, name)), site_url),
        short_link=lambda entry: absolute_url(short_url(entry.id), site_url),
    )
    env.filters.update(md=escape_text, json=front_matter_json, prose=_prose, url=_url, safe_url=safe_url)
    env.filters.update(path_page_url=_path_page_url, tag_url=_tag_url, link_title=link_title, clock=clock)
    env.filters["qr"] = lambda url: cache.qr_codes.get(url, url, qr_svg, url)
    env.tests.update(
        multiparagraph=lambda text: "\n\n" in text, fits_handout=fits_handout, block_start=starts_with_block
    )
    return env


class MemoryBytecodeCache(BytecodeCache):
    """Compiled Jinja templates kept in a dict; Jinja checks each against its source's checksum, so edits recompile."""

    def __init__(self, store: dict[str, bytes] | None = None) -> None:
        self.store = {} if store is None else store

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def _render(
    env: Environment,
    template: str,
    path: str,
    *,
    in_nav: bool = True,
    named: dict[str, ValidEntry] | None = None,
    print_urls: bool = False,
    **context,
) -> Page:
    """Render one template to a page at a path; its links are relative to that path, its [[id]] links name `named`."""
    named = named or {}
    writer = PageProse(path, named, env.globals["site_url"], print_urls)
    return Page(path, env.get_template(template).render(page_prose=writer, named=named, **context), in_nav=in_nav)


def front_matter_json(value) -> str:
    """A double-quoted string that YAML and JSON read as the value, holding no character Markdown or HTML could read.

    An engine that does not read front matter shows it as text: every syntax character is a \\u escape.
    """
    return '"' + value.translate(_FRONT_MATTER_ESCAPES) + '"'


def front_matter_value(markdown: str, key: str) -> str:
    """A string field of a generated page's front matter, as front_matter_json wrote it ('' when absent)."""
    head = markdown.partition("\n---")[0]
    for line in head.split("\n"):
        if line.startswith(f"{key}: "):
            value = line[len(key) + 2 :]
            return json.loads(value) if value.startswith('"') else value
    return ""


_FRONT_MATTER_ESCAPES = str.maketrans(
    {ch: f"\\u{ord(ch):04x}" for ch in '"\\<>&[](){}*_`|!#:~^=$@' + "".join(map(chr, range(32)))}
)


@pass_context
def _url(context, target: ValidEntry | str) -> str:
    """A relative link from the page being rendered to an entry or to a generated page path."""
    return context["page_prose"].url(target)


@pass_context
def _path_page_url(context, path: ValidEntry, name: str) -> str:
    """A relative link from the page being rendered to one of a learning path's trainer pages (PATH_PAGES)."""
    return context["page_prose"].url(path_page(path, name))


@pass_context
def _tag_url(context, tag: str) -> str:
    """A relative link from the page being rendered to a tag's page."""
    return context["page_prose"].url(tag_page(tag))


@pass_context
def _prose(context, text: str) -> str:
    """Contributor Markdown as safe Markdown: an entry page's fields as written in field order, anything else now."""
    written = context.get("written")
    if written is not None and id(text) in written:
        return written[id(text)]
    return context["page_prose"].write(text)
