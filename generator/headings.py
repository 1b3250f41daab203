"""The anchors a generated page has: the ids its headings get, as the toc extension (mkdocs.yml) gives them.

inventory.json lists them per entry, so `kb links check` can tell a link to a section that exists from one
that does not. Python-Markdown's toc extension makes each id (both engines use it), so its own slugify and
de-duplication are used here; tests/test_linking.py compares the result with the ids of the built pages.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .render import Page

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_ATTRIBUTES = re.compile(r"[ \t]*\{:?([^}]*)\}[ \t]*$")  # attr_list after a heading: { .class #id }
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")
_MARKUP = re.compile(r"<[^>]*>|[*_`]")


def entry_anchors(pages: list[Page]) -> dict[str, list[str]]:
    """The heading ids of every entry page, by entry id."""
    return {page.entry_id: heading_ids(page.markdown) for page in pages if page.entry_id}


def heading_ids(markdown: str) -> list[str]:
    """The id of each heading of a page's Markdown, in page order (front matter and code blocks skipped)."""
    from markdown.extensions.toc import slugify, unique  # here: kb check never needs Python-Markdown

    ids: list[str] = []
    seen: set[str] = set()
    fenced = False
    for line in _body(markdown).split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        heading = None if fenced else _HEADING.match(line)
        if heading is None:
            continue
        text, explicit = heading.group(2), None
        attributes = _ATTRIBUTES.search(text)
        if attributes:
            text = text[: attributes.start()]
            explicit = next((part[1:] for part in attributes.group(1).split() if part.startswith("#")), None)
        anchor = explicit or unique(slugify(html.unescape(_MARKUP.sub("", text)), "-"), seen)
        seen.add(anchor)
        ids.append(anchor)
    return ids


def _body(markdown: str) -> str:
    """A page's Markdown without its front matter."""
    if markdown.startswith("---\n"):
        _, separator, body = markdown[4:].partition("\n---\n")
        return body if separator else markdown
    return markdown
