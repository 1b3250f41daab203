"""The field types of entries: what a one-line field, a glossary name, prose, an address, a date or a relation accepts.

Each type is a validator plus the JSON Schema hint an editor checks as the contributor types; the
validators are the authority. Relation fields (`Ref`) carry their target kinds and keys, so the link
stage discovers every relation from the models.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any

from markdown.extensions.toc import slugify
from pydantic import AfterValidator, BeforeValidator
from pydantic.json_schema import WithJsonSchema

from .escaping import SAFE_SCHEMES, link_problem
from .ids import ID_PATTERN, check_id
from .prose import Prose, parse_prose
from .yamlread import FORBIDDEN_CHARACTERS, character_name

MAX_LINE = 300
# List lengths: generous for real entries, and they keep every page, tag folder and redirect a build
# writes proportional to the content (a tag list of thousands would write thousands of pages).
MAX_TAGS = 12
MAX_SHORT_LIST = 20  # sources, aliases, distinctions, perspectives
MAX_RELATED = 30
MAX_NAMES = 10  # also-known-as names
MAX_ITEMS = 20  # in practice, anti-patterns, what they did, caveats, objectives
MAX_QUESTIONS = 10  # also objections per entry
MAX_CHECKS = 20  # self-check questions per path
MAX_CHOICES = 6  # choices per self-check question
MAX_STEPS = 40
MAX_SUMMARY_WORDS = 29  # the style guide: a summary is one sentence, under 30 words
# Glossary names link every mention in other entries' prose: they must be words, not common ones.
MIN_TERM_LETTERS = 3
STOP_WORDS = frozenset(
    """
a about above after again against all am an and any are as at be because been before being below between both but by
can could did do does doing down during each few for from further had has have having he her here hers herself him
himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other
our ours ourselves out over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself yourselves customer customers business company service people team work
""".split()
)
_TERM = re.compile(r"[^\W_][\w'’&./ -]*")  # words, with the apostrophes, hyphens and dots names have
LINE_BREAKS = "\n\r\u2028\u2029"
_LINE_BREAK = re.compile(f"[{LINE_BREAKS}]")
# Material copies a shortened title's text, and a link's title, into the page as HTML (content.tooltips):
# in a one-line field, '<' may not be followed by what makes an HTML tokenizer start a tag.
_TAG_START = re.compile(r"<[A-Za-z/!?]\S{0,10}")
# A heading's id is the toc extension's slug of its text (headings.py); Material's elements have ids '__…'. These are
# the characters whose NFKD form, which the slug keeps, is '_'.
_LOW_LINE = re.compile("[_\ufe33\ufe34\ufe4d-\ufe4f\uff3f].*[_\ufe33\ufe34\ufe4d-\ufe4f\uff3f]")
_SCHEME = re.compile(r"^\s*<?\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")
_URL_UNSAFE = re.compile(r"[\s<>\"'{}|\\^`]")  # would end an autolink or start Markdown/attribute syntax


@dataclass(frozen=True)
class RefTo:
    """Marks a field as a relation: which kinds it may name and the relation's key at each end."""

    targets: tuple[str, ...]
    key: str  # the relation as seen from this entry (links.RELATION_HEADINGS says how a page heads it)
    inverse: str  # the same relation as seen from the target
    unique: bool = False  # each target at most once in the field (a citation may repeat, with another locator)


def _single_line(value: str) -> str:
    """Strip a one-line field and refuse line breaks in it."""
    value = value.strip()
    if _LINE_BREAK.search(value):  # compiled, not a per-character loop: 25,000 one-line fields at 5,000 entries
        raise ValueError("must be a single line: remove the line break (use a '>-' block only for body text)")
    _refuse_invisible_characters(value)
    if not value:
        raise ValueError("must not be empty")
    if len(value) > MAX_LINE:
        raise ValueError(f"is {len(value)} characters; keep it under {MAX_LINE}")
    if tag := _TAG_START.search(value):
        raise ValueError(
            f"'{tag.group()}' would start an HTML tag where the theme shows this line as HTML "
            "(tooltips, shortened titles): "
            "write it without the '<' or put a space after it ('a < b' is fine)"
        )
    if _LOW_LINE.search(value) and slugify(value, "-").startswith("__"):  # the slug only when it may be one
        raise ValueError(
            "starts with two underscores: as a heading, its id would be one of the theme's own ('__config', "
            "'__search'), which break the theme's scripts; start it with a word"
        )
    return value


def _summary(value: str) -> str:
    """Hold a summary to the style guide's length: it is shown whole in listings, tooltips and search results."""
    words = len(value.split())
    if words > MAX_SUMMARY_WORDS:
        raise ValueError(
            f"has {words} words; the style guide asks for under {MAX_SUMMARY_WORDS + 1}: "
            "shorten it to one sentence that stands on its own"
        )
    return value


def _refuse_invisible_characters(value: str) -> None:
    """Refuse control and bidi characters, which a double-quoted YAML escape like "\u202e" can smuggle in."""
    found = FORBIDDEN_CHARACTERS.search(value)  # compiled: a per-character loop cost ~1 s at 5,000 entries
    if found is not None:
        bad = found.group()
        raise ValueError(f"contains the invisible character U+{ord(bad):04X} ({character_name(bad)}): delete it")


def _markdown(value: str) -> Prose:
    """Parse Markdown prose; what it may not hold is reported by the validate stage, located in the YAML."""
    _refuse_invisible_characters(value)
    return parse_prose(value.strip())


def _glossary_term(value: str) -> str:
    """Accept a term that can safely link its mentions: words, at least three letters, not a common word."""
    return _name(value, MIN_TERM_LETTERS, "a glossary term")


def _other_name(value: str) -> str:
    """Accept another name of a term: words, not a common one (a short abbreviation like CX is kept, never linked)."""
    return _name(value, 2, "another name")


def _name(value: str, min_letters: int, what: str) -> str:
    """Accept a name made of words with at least min_letters letters, not a common word."""
    value = _single_line(value)
    if not value[0].isalnum():
        raise ValueError(f"{what} starts with a letter or digit, not '{value[0]}'")
    if not _TERM.fullmatch(value):
        bad = next(ch for ch in value if not (ch.isalnum() or ch in "'’&./ -"))
        raise ValueError(f"{what} is made of words: remove '{bad}' (letters, digits, spaces and ' - . & / only)")
    if sum(ch.isalpha() for ch in value) < min_letters:
        raise ValueError(
            f"'{value}' is too short for {what} (at least {min_letters} letters): "
            "every mention in other entries would become a link"
        )
    if " ".join(value.casefold().split()) in STOP_WORDS:
        raise ValueError(
            f"'{value}' is a common word: as {what} it would link in nearly every entry; name the idea more precisely"
        )
    return value


def fold_name(name: str) -> str:
    """A term or other name as compared: case-insensitive, whitespace runs as one space, dotted and dotless i as i."""
    return " ".join(name.translate(_TURKISH_I).casefold().split())


_TURKISH_I = str.maketrans("\u0130\u0131", "ii")  # a case-insensitive regex matches both with 'i'; casefold does not


def _url(value: str) -> str:
    """Accept an absolute http, https or mailto URL."""
    value = _single_line(value)
    scheme = _SCHEME.match(value)
    if scheme is None or scheme.group(1).lower() not in SAFE_SCHEMES or value.startswith("<"):
        raise ValueError("must be an http, https or mailto URL")
    if problem := link_problem(value):
        raise ValueError(f"must be a full address: {problem}")
    unsafe = _URL_UNSAFE.search(value)
    if unsafe:
        raise ValueError(f"must not contain {unsafe.group(0)!r}: percent-encode it (e.g. %20 for a space)")
    return value


def _entry_id(value: str) -> str:
    """Accept an id in the entry id form."""
    value = value.strip()
    problem = check_id(value)
    if problem:
        raise ValueError(f"'{value}' is not an id: {problem}")
    return value


def _iso_date(value: Any) -> Any:
    """Accept only YYYY-MM-DD dates, so '2024-1-2' or a timestamp never slips through."""
    if isinstance(value, str):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise ValueError(f"'{value}' is not a date: write YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"'{value}' is not a real date ({exc}): write YYYY-MM-DD") from None
    return value


# What an editor checks as the contributor types (kb schema); the validators above stay the authority.
# The loader keeps every scalar's text, so `title: 1984` or `tags: [2008]` are fine although YAML reads numbers.
SCALAR = ["string", "number", "boolean"]
ID_JSON = WithJsonSchema(
    {"anyOf": [{"type": "string", "pattern": ID_PATTERN.pattern}, {"type": "integer", "minimum": 0}]}
)
LINE_JSON = WithJsonSchema(
    {"type": SCALAR, "pattern": r"\S", "maxLength": MAX_LINE, "not": {"type": "string", "pattern": "<[A-Za-z/!?]"}}
)
MARKDOWN_JSON = WithJsonSchema({"type": SCALAR})
URL_JSON = WithJsonSchema({"type": "string", "pattern": r"^(?:[Hh][Tt][Tt][Pp][Ss]?|[Mm][Aa][Ii][Ll][Tt][Oo]):"})
DATE_JSON = WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"})
MINUTES_JSON = WithJsonSchema(
    {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 480}, {"type": "string", "pattern": r"^[1-9][0-9]{0,2}$"}]}
)


def Ref(*targets: str, key: str, inverse: str, unique: bool = True) -> Any:  # noqa: N802 - reads as a type
    """An id that must name an entry of one of the target kinds (any kind when none given)."""
    return Annotated[str, AfterValidator(_entry_id), RefTo(targets, key, inverse, unique), ID_JSON]


class MarkdownText:
    """Marks a field as Markdown prose, where [[id]] links are resolved."""


Line = Annotated[str, AfterValidator(_single_line), LINE_JSON]
Summary = Annotated[str, AfterValidator(_single_line), AfterValidator(_summary), LINE_JSON]
GlossaryTerm = Annotated[str, AfterValidator(_glossary_term), LINE_JSON]
OtherName = Annotated[str, AfterValidator(_other_name), LINE_JSON]
Markdown = Annotated[str, AfterValidator(_markdown), MarkdownText(), MARKDOWN_JSON]
Url = Annotated[str, AfterValidator(_url), URL_JSON]
Date = Annotated[dt.date, BeforeValidator(_iso_date), DATE_JSON]
EntryId = Annotated[str, AfterValidator(_entry_id), ID_JSON]
Tag = Annotated[str, AfterValidator(_entry_id), ID_JSON]
Citation_Source = Ref("sources", key="sources", inverse="cited-by", unique=False)
