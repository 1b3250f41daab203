"""The render stage: a KnowledgeBase in, Markdown pages with front matter out (Jinja, site_templates/)."""

from __future__ import annotations

from collections import Counter
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.bccache import BytecodeCache, Bucket

from .glossary import glossary_from, glossary_key, link_title, link_words
from .addresses import FILES, PAGES, absolute_url, entry_page, entry_url, handout_page, kind_index_page, relative_path, short_url, tag_page
from .links import RELATION_HEADINGS, KnowledgeBase
from .escaping import escape_text, safe_url
from .prose import Prose, WikiLink, parse_prose, starts_with_block, write_prose
from .kinds import REGISTRY, kind_names, titles
from .validate import ValidEntry
from .training import fits_handout, path_stops, practice_matrix, qr_svg
from .whatsnew import by_date, recent_changes

# Relations an entry template shows in its own way, so the generic lists skip them.
SHOWN_INLINE = {"sources", "steps", "distinguished-from", "mentions", "related"}
SECTION_ORDER = ["shows", "demonstrates", "examples", "case-notes", "distinguished-from", "learning-paths", "cited-by", "mentioned-in", "related"]
# More case notes than this and the practice matrix lists cases per behaviour: a wider grid fits no page or screen.
MATRIX_MAX_COLUMNS = 30


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
    """What a live preview keeps between renders: compiled templates, and entry pages with what they showed."""

    templates: dict[str, bytes] = field(default_factory=dict)  # Jinja bytecode by template
    settings: tuple = ()  # what every page depends on: templates, site address, glossary
    entry_pages: dict[str, tuple[tuple, Page]] = field(default_factory=dict)  # entry id -> (its inputs, its page)


def render_pages(kb: KnowledgeBase, template_dir: Path, site_url: str | None = None, cache: RenderCache | None = None) -> list[Page]:
    """Render the home page, the kind indexes, the tag index, what's new, every entry page and the trainer pages.

    With a cache, an entry page whose inputs (page_inputs) are what they were last time is not rendered again.
    """
    env = make_environment(template_dir, kb, site_url, cache)
    if cache is not None:
        settings = (_template_sources(template_dir), site_url, glossary_key(kb))
        if settings != cache.settings:
            cache.settings, cache.entry_pages = settings, {}
    pages = [_render(env, "home.md.j2", PAGES["home"])]
    tags = kb.tags()
    pages.append(_render(env, "tags.md.j2", PAGES["tags"], tags=tags))
    for tag, items in tags.items():  # a page per tag: an edit re-renders the pages of its own tags, not one page of everything
        page = _render(env, "tag.md.j2", tag_page(tag), tag=tag, items=items)
        pages.append(Page(page.path, page.markdown, in_nav=False))
    pages.append(_render(env, "whats_new.md.j2", PAGES["whats_new"], days=by_date(recent_changes(kb))))
    for kind in kind_names():
        pages.append(_render(env, "kind_index.md.j2", kind_index_page(kind), kind=kind, groups=a_to_z(kb.by_kind(kind))))
    for entry in kb.entries.values():
        pages.append(render_entry(env, kb, entry) if cache is None else _render_entry_cached(env, kb, entry, cache))
    if cache is not None:
        for gone in cache.entry_pages.keys() - kb.entries.keys():
            del cache.entry_pages[gone]
    pages.extend(render_trainer_pages(env, kb))
    clashes = [path for path, count in Counter(page.path for page in pages).items() if count > 1]
    if clashes:  # a bug, not a content error: ids are checked so that no entry can take a page's place
        raise RuntimeError(f"two pages would be written to {clashes}")
    return pages


def render_trainer_pages(env: Environment, kb: KnowledgeBase) -> list[Page]:
    """Render the glossary, the behaviour card deck, the practice matrix and a printable handout per path."""
    cases, rows = practice_matrix(kb)
    per_case = Counter(case_id for row in rows for case_id in row.cases)
    pages = [
        _render(env, "glossary.md.j2", PAGES["glossary"], definitions=kb.by_kind("definitions")),
        _render(env, "cards.md.j2", PAGES["cards"], behaviours=kb.by_kind("behaviours")),
        _render(env, "matrix.md.j2", PAGES["matrix"], cases=cases, rows=rows, per_case=per_case, max_columns=MATRIX_MAX_COLUMNS),
    ]
    for path in kb.by_kind("paths"):
        handout = _render(env, "handout.md.j2", handout_page(path), entry=path, e=path.model, print_urls=True)
        pages.append(Page(handout.path, handout.markdown, in_nav=False))
    return pages


def render_entry(env: Environment, kb: KnowledgeBase, entry: ValidEntry) -> Page:
    """Render one entry with its kind's template."""
    path = entry_page(entry)
    page = _render(
        env, f"{entry.kind}.md.j2", path, entry=entry, e=entry.model, sections=relation_sections(kb, entry),
        stops=path_stops(kb, entry.id), glossary_seen={entry.id},  # a definition's own page never links its term
    )
    return Page(path, page.markdown, entry.id, entry.raw.path)


def _render_entry_cached(env: Environment, kb: KnowledgeBase, entry: ValidEntry, cache: RenderCache) -> Page:
    """Reuse the entry's page from the last render when nothing it shows has changed."""
    inputs = page_inputs(kb, entry)
    cached = cache.entry_pages.get(entry.id)
    if cached is not None and cached[0] == inputs:
        return cached[1]
    page = render_entry(env, kb, entry)
    cache.entry_pages[entry.id] = (inputs, page)
    return page


def page_inputs(kb: KnowledgeBase, entry: ValidEntry) -> tuple:
    """Everything an entry page shows besides the templates and glossary: its relations both ways, the
    entries at their other ends, and for each learning path among them every step (previous/next links).

    An unchanged file keeps its ValidEntry object between preview rebuilds, so comparing these tuples
    is mostly identity checks.
    """
    relations = kb.relation_map(entry.id)
    ids = {entry.id} | {other for side in relations for _, others in side for other in others}
    for other in list(ids):
        if kb.entries[other].kind == "paths":
            ids.update(step.entry for step in kb.entries[other].model.steps)
    return relations, tuple(kb.entries[other] for other in sorted(ids))


def _template_sources(template_dir: Path) -> tuple:
    """The text of every page template, so that editing one re-renders every page."""
    return tuple((path.name, path.read_bytes()) for path in sorted(template_dir.glob("*.j2")))


def relation_sections(kb: KnowledgeBase, entry: ValidEntry) -> list[tuple[str, list[ValidEntry]]]:
    """The relation lists of an entry page: declared, derived, then related, each once."""
    sections = [(key, kb.outgoing(entry.id, key)) for key in kb.outgoing_keys(entry.id) if key not in SHOWN_INLINE]
    sections += [(key, kb.incoming(entry.id, key)) for key in kb.incoming_keys(entry.id) if key != "related"]
    related = kb.related(entry.id)
    if related:
        sections.append(("related", related))
    return sorted(sections, key=lambda section: SECTION_ORDER.index(section[0]) if section[0] in SECTION_ORDER else len(SECTION_ORDER))


def a_to_z(entries: list[ValidEntry]) -> list[tuple[str, list[ValidEntry]]]:
    """Group entries sorted by title under their initial letter ('#' for anything else)."""
    groups: dict[str, list[ValidEntry]] = {}
    for entry in entries:
        initial = entry.model.title[:1].upper()
        groups.setdefault(initial if initial.isalpha() else "#", []).append(entry)
    return list(groups.items())


def make_environment(template_dir: Path, kb: KnowledgeBase, site_url: str | None = None, cache: RenderCache | None = None) -> Environment:
    """One Jinja environment for all pages; fields are data, never templates."""
    env = Environment(
        loader=FileSystemLoader(template_dir),
        bytecode_cache=MemoryBytecodeCache(cache.templates) if cache is not None else None,
        undefined=StrictUndefined,
        autoescape=False,  # the output is Markdown: fields are escaped for Markdown by the `md` filter
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # one environment per build: skip the three stat() calls per page that check templates for edits
    )
    env.globals.update(kb=kb, pages=PAGES, files=FILES, kind_index_page=kind_index_page, relation_headings=RELATION_HEADINGS, singular={k: kind.singular for k, kind in REGISTRY.items()}, kind_titles=titles(), search_boost={k: kind.search_boost for k, kind in REGISTRY.items()}, glossary=glossary_from(kb), site_url=site_url)
    # Permanent links are shown in full when the site's address is known (KB_SITE_URL), else site-absolute.
    env.globals.update(permalink=lambda entry: absolute_url(entry_url(entry), site_url), short_link=lambda entry: absolute_url(short_url(entry.id), site_url))
    env.filters.update(md=escape_text, json=front_matter_json, prose=_prose, url=_url, safe_url=safe_url)
    env.filters.update(qr=qr_svg, handout_url=_handout_url, tag_url=_tag_url, link_title=link_title)
    env.tests.update(multiparagraph=lambda text: "\n\n" in text, fits_handout=fits_handout, block_start=starts_with_block)
    return env


class MemoryBytecodeCache(BytecodeCache):
    """Compiled Jinja templates kept in a dict; Jinja checks each one against its source's checksum, so edits recompile."""

    def __init__(self, store: dict[str, bytes] | None = None) -> None:
        self.store = {} if store is None else store

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def _render(env: Environment, template: str, path: str, **context) -> Page:
    """Render one template to a page at a path; links in it are relative to that path."""
    return Page(path, env.get_template(template).render(page_path=path, **context))


def front_matter_json(value) -> str:
    """A double-quoted string that YAML and JSON read as the value, holding no character Markdown or HTML could read.

    An engine that does not read front matter shows it as text: every syntax character is a \\u escape.
    """
    return '"' + value.translate(_FRONT_MATTER_ESCAPES) + '"'


_FRONT_MATTER_ESCAPES = str.maketrans({ch: f"\\u{ord(ch):04x}" for ch in '"\\<>&[](){}*_`|!#:~^=$@' + "".join(map(chr, range(32)))})


@pass_context
def _url(context, target: ValidEntry | str) -> str:
    """A relative link from the page being rendered to an entry or to a generated page path."""
    path = entry_page(target) if isinstance(target, ValidEntry) else target
    return relative_path(path, posixpath.dirname(context["page_path"]))


@pass_context
def _handout_url(context, path: ValidEntry) -> str:
    """A relative link from the page being rendered to a learning path's handout."""
    return _url(context, handout_page(path))


@pass_context
def _tag_url(context, tag: str) -> str:
    """A relative link from the page being rendered to a tag's page."""
    return _url(context, tag_page(tag))


@pass_context
def _prose(context, text: str) -> str:
    """Contributor Markdown as safe Markdown: [[id]] links made relative; on entry pages, glossary terms linked."""
    kb: KnowledgeBase = context["kb"]
    seen = context.get("glossary_seen")
    prose = text if isinstance(text, Prose) else parse_prose(text)  # defaults ("") never passed the validator

    def link(wiki: WikiLink) -> str:
        target = kb.entries[wiki.target]
        if seen is not None:
            seen.add(target.id)  # an explicit link to a definition counts as its first mention
        label = escape_text(wiki.label or target.model.title, line_start=False)
        printed = f' <span class="kb-url">({escape_text(context["permalink"](target), line_start=False)})</span>' if context.get("print_urls") else ""
        return f"[{label}]({_url(context, target)}){printed}"

    if seen is None:
        return write_prose(prose, link)
    url_for = lambda definition_id: _url(context, kb.entries[definition_id])  # noqa: E731
    return write_prose(prose, link, lambda piece: link_words(piece, context["glossary"], seen, url_for))
