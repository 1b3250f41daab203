"""The Content-Security-Policy every published page carries, as a <meta> tag first in its <head>.

The site loads only its own files. Scripts run from the site's files and, inline, only the
theme's own scripts, allowed one by one by their SHA-256 hash: Material's inline scripts differ
by page depth (new URL("../..",location)), so each page gets its own list. Inline event
handlers and javascript: URLs never run, whatever reaches a page. Material's stylesheet draws
its icons from data: SVG images, hence img-src data:. verify.py checks every published page
against this policy.

The preview (`kb serve`) is the exception: MkDocs' live reload adds an inline script that
changes with every request, so no hash can allow it; there, inline scripts are allowed outright.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable

# Data blocks the browser never runs, such as Material's <script id="__config" type="application/json">.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
_POLICY = (
    "default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
_SRC_ATTRIBUTE = re.compile(r"(?:^|\s)src\s*=", re.I)
_TYPE_ATTRIBUTE = re.compile(r"""(?:^|\s)type\s*=\s*["']?([^"'\s>]*)""", re.I)
# Material's page body: <div class="md-content" ...><article ...>contributor content</article></div>.
_CONTENT_START = re.compile(r"""<div\b[^>]*\bclass\s*=\s*["']?[^"'>]*(?<![\w-])md-content(?![\w-])""", re.I)


def policy(script_hashes: Iterable[str] | None, *, preview: bool = False) -> str:
    """The policy text: scripts from the site's files plus the given inline hashes, or no scripts at all when None.

    preview: any inline script runs too (the live reload's), for the local preview only.
    """
    if preview:
        return _POLICY.format(scripts="'self' 'unsafe-inline'")
    if script_hashes is None:
        return _POLICY.format(scripts="'none'")
    return _POLICY.format(scripts=" ".join(["'self'", *(f"'sha256-{h}'" for h in script_hashes)]))


def meta_tag(policy_text: str) -> str:
    """The <meta> element that applies a policy to the page it heads."""
    content = html.escape(policy_text, quote=False).replace('"', "&quot;")  # single quotes stay: a shorter <head>
    return f'<meta http-equiv="Content-Security-Policy" content="{content}">'


def script_hash(text: str) -> str:
    """The base64 SHA-256 of an inline script as the browser hashes it (after its newline normalisation)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def unique(hashes: Iterable[str]) -> list[str]:
    """Hashes in first-seen order, each once."""
    return list(dict.fromkeys(hashes))


def with_policy(page: str, *, preview: bool = False) -> str:
    """A theme page with its policy inserted after <head>: its own inline scripts (outside the body) allowed by hash."""
    head = _HEAD.search(page)
    if head is None:
        return page  # not a full page; verify.py reports a page without its policy
    hashes = [] if preview else unique(script_hash(text) for text in _theme_inline_scripts(page))
    tag = meta_tag(policy(hashes, preview=preview))
    return page[: head.end()] + tag + page[head.end() :]


def _theme_inline_scripts(page: str) -> list[str]:
    """The texts of the page's runnable inline scripts outside Material's page body (.md-content).

    Contributor content is only inside that body, and the sanitiser removes every script there;
    verify.py parses each page properly and fails the build if a script is not the theme's.
    """
    content = _CONTENT_START.search(page)
    # The body ends with its last </article>: the sanitiser lets no <article> through, so none is nested in it.
    body = (content.start(), page.rfind("</article>")) if content else (-1, -1)
    scripts = []
    for match in _SCRIPT.finditer(page):
        attributes, text = match.group(1), match.group(2)
        if _SRC_ATTRIBUTE.search(attributes) or body[0] <= match.start() <= body[1]:
            continue
        kind = _TYPE_ATTRIBUTE.search(attributes)
        if kind and kind.group(1).strip().lower() in DATA_SCRIPT_TYPES:
            continue
        scripts.append(text)
    return scripts
