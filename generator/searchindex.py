"""What the site's search index holds, for either engine: one document per page that readers look for.

An engine indexes every page, a document per section. That ranks the tag pages and A-Z lists (which
repeat every entry's summary) above the entries, lets an entry rank for words of its neighbours'
summaries (its relation lists), and costs about 4 KB an entry. So after the engine has written its
index, `refine` rewrites it from the pages the generator made:

- an entry page becomes one document: its own sections' text (not its relation lists, not the footer; past
  TEXT_CHARS each further word once), with its other names (term, also-known-as, company, author, tags,
  former ids and its id) and the US spellings of those and of its title in a `names` field that search
  weighs like the title, and its kind's search boost;
- a trainer page (glossary, card deck, practice matrix, a path's handout and trainer pages) is found by
  its title and description only: its text repeats the entries';
- tag pages, the tag list, the A-Z pages, the home page and what's new are left out.

The text stays the engine's own (escaped HTML it made from the page); what this module adds is the
generator's plain text, HTML-escaped. Above QUICK_ABOVE documents, Material's index is split in two (see
refine_material_index). The query side (typos, plurals, stop words, the split index) is the site script
site_templates/assets/javascripts/search-worker.js, under MkDocs + Material; Zensical searches its own way.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .addresses import PAGES, page_url
from .kinds import REGISTRY, kind_names
from .links import RELATION_HEADINGS, KnowledgeBase
from .render import Page, front_matter_value

# An entry's text is indexed as written up to this many characters (the result's teaser: its summary and body
# come first), then as its further words once each: at 5,000 entries the index stays under 1.5 KB an entry.
TEXT_CHARS = 600
_PUNCTUATION = ".,:!?()[]'\"“”‘’…"  # not ';', which ends a character reference
NAMES_BOOST = 1000  # the names field weighs as much as the title (Material's default title boost)
QUICK_ABOVE = 1000  # documents: a larger index is built in two steps (refine_material_index)
FULL_INDEX = "full_index.json"  # beside search_index.json
# Pages nobody searches for: they list other pages' titles and summaries.
_LEFT_OUT = {
    PAGES["home"],
    PAGES["tags"],
    PAGES["whats_new"],
    PAGES["search"],
    *(f"{kind}/index.md" for kind in kind_names()),
}
_MARKUP = re.compile(r"</?(?:p|ul|ol|li|pre|code|sub|sup)>")  # the only tags the engines keep in index text
_LISTS = frozenset({*RELATION_HEADINGS.values(), "Sources"})  # section titles of lists of other entries
# The entry footer (entry.md.j2), at the end of a page's last section: "Tags: …", "Added <date>", the permanent link.
_ADDED = re.compile(r"<p>Added \d{4}-\d\d-\d\d")
# UK spellings in the content and their US forms (the content is written in UK English): organise, behaviour,
# centre, practise, focussed, travelling. "-ise" only after stems that take "-ize" (not promise, otherwise).
_US_SPELLINGS = (
    (re.compile(r"\b(\w*(?:al|an|gn|it|im|og|ar|or|ic))is(e|es|ed|ing|ation|ations)\b"), r"\1iz\2"),
    (re.compile(r"(avi|col|fav|hon|lab|neighb|hum|flav|rum)our"), r"\1or"),
    (re.compile(r"\b(\w*cent)re(d|s)?\b"), lambda m: m[1] + {"d": "ered", "s": "ers"}.get(m[2] or "", "er")),
    (re.compile(r"\bpractis(e|ed|es|ing)\b"), r"practic\1"),
    (re.compile(r"\bfocuss(ed|ing)\b"), r"focus\1"),
    (re.compile(r"\b(travel|cancel|label|model|signal|fuel|counsel|level)l(ed|ing|ers?)\b"), r"\1\2"),
    (re.compile(r"\b(progr|catal|dial)(amme|ogue)s?\b"), lambda m: m[1] + {"amme": "am", "ogue": "og"}[m[2]]),
)


@dataclass(frozen=True)
class SearchPage:
    """How one page is indexed: whole (an entry: its own text) or by title and description only."""

    title: str
    description: str
    names: tuple[str, ...] = ()
    boost: float | None = None
    whole: bool = False


def search_pages(kb: KnowledgeBase, pages: Iterable[Page]) -> dict[str, SearchPage]:
    """Every page search should find, by URL, in the order the index should hold them (kinds by boost first)."""
    plan: dict[str, SearchPage] = {}
    order = {kind: -(REGISTRY[kind].search_boost or 1) for kind in kind_names()}
    listed = sorted(pages, key=lambda p: order.get(kb.entries[p.entry_id].kind, 0) if p.entry_id else 0)
    for page in listed:
        if page.path in _LEFT_OUT or page.path.startswith("tags/"):
            continue
        title, description = (
            front_matter_value(page.markdown, "title"),
            front_matter_value(page.markdown, "description"),
        )
        if page.entry_id:
            entry = kb.entries[page.entry_id]
            names = _names(title, [*other_names(entry.model), entry.id.replace("-", " ")])  # the id: its first title
            plan[page_url(page.path)] = SearchPage(title, description, names, REGISTRY[entry.kind].search_boost, True)
        else:
            plan[page_url(page.path)] = SearchPage(title, description, _names(title, []))
    return plan


def _names(title: str, others: list[str]) -> tuple[str, ...]:
    """A page's names field: its other names and the US spellings of those and of its title."""
    return tuple(name for name in with_us_spellings([title, *others]) if name != title)


def other_names(model) -> list[str]:
    """An entry's other names as readers type them: term, also-known-as, company, author, tags and former ids."""
    names = [getattr(model, "term", None), *getattr(model, "also_known_as", ()), getattr(model, "company", None)]
    names += [getattr(model, "author", None), *(tag.replace("-", " ") for tag in model.tags)]
    names += [alias.replace("-", " ") for alias in model.aliases]
    return [name for name in names if name]


def with_us_spellings(names: Iterable[str]) -> tuple[str, ...]:
    """The names, and their US spelling where it differs ("organisation" -> "organization"), each once."""
    names = list(names)
    folded = [name.casefold() for name in names]  # search folds case anyway
    us = "\n".join(folded)  # each rule runs once over all of a page's names, not once per name
    for pattern, replacement in _US_SPELLINGS:
        us = pattern.sub(replacement, us)
    found = []
    for name, plain, spelled in zip(names, folded, us.split("\n"), strict=True):
        found += [name] if spelled == plain else [name, spelled]
    return tuple(dict.fromkeys(found))


def refine_material_index(path: Path, plan: dict[str, SearchPage], quick_above: int = QUICK_ABOVE) -> None:
    """Rewrite MkDocs + Material's search/search_index.json: the planned documents, names weighed like titles.

    Above quick_above documents, Material's index holds each page's title, names and summary (built within a
    second of loading a page), and the whole documents go to FULL_INDEX, which search-worker.js fetches and builds
    beside it once a reader searches, then answers from.
    """
    index = json.loads(path.read_text(encoding="utf-8"))
    index["config"]["fields"]["names"] = {"boost": NAMES_BOOST}

    def document(url: str, page: SearchPage, title: str, text: str) -> dict:
        doc = {"location": url, "title": title, "text": text, "names": names_text(page)}
        return doc | ({"boost": page.boost} if page.boost else {})

    docs = refine(index["docs"], plan, document)
    if len(docs) > quick_above:
        _write_json(path.with_name(FULL_INDEX), {"config": index["config"], "docs": docs})
        index["config"] = index["config"] | {"full_index": FULL_INDEX}
        docs = [doc | {"text": _escape(plan[doc["location"]].description)} for doc in docs]
    _write_json(path, index | {"docs": docs})


def _write_json(path: Path, data: dict) -> None:
    """A search index as the engines write theirs: compact JSON."""
    path.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")


def refine_zensical_index(path: Path, plan: dict[str, SearchPage]) -> None:
    """Rewrite Zensical's search.json the same way; it searches only title, text and path, so names lead the text."""
    index = json.loads(path.read_text(encoding="utf-8"))

    def document(url: str, page: SearchPage, title: str, text: str) -> dict:
        names = f"{names_text(page)} · " if page.names else ""
        return {"location": url, "level": 1, "title": title, "text": names + text, "path": [], "tags": []}

    _write_json(path, index | {"items": refine(index["items"], plan, document)})


def refine(docs: list[dict], plan: dict[str, SearchPage], make_doc) -> list[dict]:
    """The engine's documents as one per planned page; make_doc(url, page, title_html, text_html) writes one."""
    sections: dict[str, list[tuple[bool, str]]] = {}  # page URL -> (is a list of other entries, text), in order
    titles: dict[str, str] = {}
    for doc in docs:
        url, _, section = doc["location"].partition("#")
        if url not in plan or not plan[url].whole:
            continue
        if not section:
            titles[url] = doc["title"]
        sections.setdefault(url, []).append((bool(section) and html.unescape(doc["title"]) in _LISTS, doc["text"]))
    refined = []
    for url, page in plan.items():
        if page.whole and url in sections:
            listed, last = sections[url][-1]
            kept = [text for is_list, text in sections[url][:-1] if not is_list]
            kept += [] if listed else [_without_footer(last)]
            text = _compact(" ".join(_MARKUP.sub(" ", " ".join(kept)).split()))
            refined.append(make_doc(url, page, titles.get(url, _escape(page.title)), text))
        elif not page.whole:
            refined.append(make_doc(url, page, _escape(page.title), _escape(page.description)))
    return refined


def _without_footer(text: str) -> str:
    """A page's last section without the entry footer: from the last "Added <date>" paragraph on, and its tags."""
    at = text.rfind("<p>Added ")
    if at < 0 or not _ADDED.match(text, at):
        return text
    head = text[:at].rstrip()
    tags = head.rfind("<p>Tags: ")
    return head[:tags] if tags >= 0 and head.endswith("</p>") and "<" not in head[tags + 3 : -4] else head


def _compact(text: str) -> str:
    """The first TEXT_CHARS characters as written (the result's teaser), then each later word not yet seen, once.

    Every word of the page stays findable; only repeats go (search weighs a repeat little, the index pays for each).
    Words are whole runs between spaces, so a character reference is never cut.
    """
    if len(text) <= TEXT_CHARS:
        return text
    cut = text.rfind(" ", 0, TEXT_CHARS + 1)
    if cut <= 0:  # no space in the teaser's length: one long word is the teaser
        cut = text.find(" ") if " " in text else len(text)
    head, tail = text[:cut], text[cut:].split()
    seen = {_word_key(word) for word in head.split()}
    later = []
    for word in tail:
        if (key := _word_key(word)) not in seen:
            seen.add(key)
            later.append(word.strip(_PUNCTUATION))
    return f"{head} … {' '.join(later)}" if later else head


def _word_key(word: str) -> str:
    """A word as search tells it from others: without surrounding punctuation, case folded."""
    return word.strip(_PUNCTUATION).casefold()


def names_text(page: SearchPage) -> str:
    """The names field: the page's other names, HTML-escaped, one after another."""
    return _escape(" · ".join(page.names))


def _escape(text: str) -> str:
    """Plain text as the escaped HTML the engines' indexes hold."""
    return html.escape(text, quote=False)
