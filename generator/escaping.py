"""Writing contributor text so that no engine reads it as anything but text, and the link addresses prose may hold.

Every character some Markdown engine or HTML reads as syntax becomes a numeric character
reference, which every engine shows as the character and none reads as structure.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

SAFE_SCHEMES = ("http", "https", "mailto")
# Text characters that some engine reads as syntax or HTML: written as numeric character references.
# ':' (emoji, def lists), '~ ^ = $ @ !' (extensions an engine may enable) are covered too.
_SYNTAX = (
    "\\`*_[]{}|<>&#~^=$@!:\r\u2028\u2029"  # and CR and the Unicode line separators, where some engines start a new line
)
_SAFE_FIRST = "/\"'(,;"  # characters that start no block construct in any engine
_TEXT_ESCAPES = str.maketrans({ch: f"&#{ord(ch)};" for ch in _SYNTAX})
SPECIAL = re.compile("[" + re.escape(_SYNTAX) + "]")  # each becomes a reference
# Characters kept as they are in a written link address; every other one is percent-encoded.
_URL_SAFE = re.compile(r"[^A-Za-z0-9\-._~:/?#@!$&*+,;=%]")


def escape_text(text: str, *, line_start: bool = True) -> str:
    """Make contributor text literal in Markdown and in HTML, for any engine.

    At the start of a line, a first character other than a letter could start a list, a quote,
    a heading or an extension's block ('1.', '-', '>', '!!!', '===', ':'): it becomes a reference too.
    """
    escaped = text.translate(_TEXT_ESCAPES)
    first = escaped[:1]
    if (
        line_start
        and first
        and (first.isdigit() or first.isascii() and not first.isalpha() and first not in _SAFE_FIRST)
        and not escaped.startswith("&#")
    ):
        return f"&#{ord(first)};{escaped[1:]}"
    return escaped


def safe_url(url: str) -> str:
    """A checked link address with every character that could end it or start syntax percent-encoded."""
    return _URL_SAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), url)


def link_problem(url: str) -> str | None:
    """Why a link address is refused, or None for an http(s) address with a host or a mailto address."""
    if not url or url.startswith("#"):
        return (
            f"link target '{url}' points into the page: link another entry with [[id]], pages elsewhere with https://…"
        )
    scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", url)
    if scheme is None:
        return f"link target '{url}' is not a full URL: link entries with [[id]], pages elsewhere with https://…"
    if scheme.group(1).lower() not in SAFE_SCHEMES:
        return f"link scheme '{scheme.group(1)}:' is not allowed: use http, https or mailto"
    parts = urlsplit(url)
    if parts.scheme.lower() == "mailto" and "@" not in parts.path:
        return f"link target '{url}' has no address: write mailto:name@host"
    if parts.scheme.lower() != "mailto" and not parts.hostname:
        return f"link target '{url}' has no host: write https://host/…"
    return None
