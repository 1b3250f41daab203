"""Contributor prose written into one page: [[id]] links made relative to it, glossary terms linked in field order.

An entry page's prose is written before its template runs, field by field in the model's order, so
which mention of a term gets the tooltip depends on the entry alone, never on where a template puts
a field. Other pages (handouts, cards) link entries but not glossary terms.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from .addresses import absolute_url, entry_page, entry_url, relative_path
from .escaping import escape_text
from .fields import MarkdownText
from .glossary import Glossary, link_words
from .introspect import iter_marked
from .prose import Prose, parse_prose, write_prose
from .prosepieces import WikiLink
from .validate import ValidEntry


@dataclass(frozen=True)
class PageProse:
    """How prose is written on one page: where the page is, the entries it may link, and what paper needs."""

    page_path: str
    named: dict[str, ValidEntry]  # the entries [[id]] links may name on this page
    site_url: str | None = None
    print_urls: bool = False  # a handout prints each link's address after it

    def url(self, target: ValidEntry | str) -> str:
        """A relative link from this page to an entry or to a generated page path."""
        path = entry_page(target) if isinstance(target, ValidEntry) else target
        return relative_path(path, posixpath.dirname(self.page_path))

    def permalink(self, entry: ValidEntry) -> str:
        """An entry's permanent address: in full when the site's address is known, else site-absolute."""
        return absolute_url(entry_url(entry), self.site_url)

    def write(self, text: str, glossary: Glossary | None = None, seen: set[str] | None = None) -> str:
        """Safe Markdown of a field; with a glossary, first mentions of terms not in `seen` linked (and added to it)."""
        prose = text if isinstance(text, Prose) else parse_prose(text)  # defaults ("") never passed the validator

        def link(wiki: WikiLink) -> str:
            target = self.named[wiki.target]
            if seen is not None:
                seen.add(target.id)  # an explicit link to a definition counts as its first mention
            label = escape_text(wiki.label or target.model.title, line_start=False)
            address = escape_text(self.permalink(target), line_start=False)
            printed = f' <span class="kb-url">({address})</span>' if self.print_urls else ""
            return f"[{label}]({self.url(target)}){printed}"

        if glossary is None or seen is None:
            return write_prose(prose, link)
        url_for = lambda definition_id: self.url(glossary.pages[definition_id])  # noqa: E731
        return write_prose(prose, link, lambda piece: link_words(piece, glossary, seen, url_for))

    def write_entry(self, entry: ValidEntry, glossary: Glossary) -> dict[int, str]:
        """Every Markdown field of an entry written in field order, by the field value's identity.

        A definition's own page never links its own term.
        """
        seen = {entry.id}
        return {id(text): self.write(text, glossary, seen) for _, text, _ in iter_marked(entry.model, MarkdownText)}
