"""The entry models per kind: the single source of truth, also exported as JSON Schema.

Pydantic models validate the loader's all-string data and convert it (dates, whole
numbers). Relation fields use `Ref` types that carry their target kinds, so the
link stage discovers every relation from the models instead of a second table.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic.json_schema import WithJsonSchema

from .errors import Diagnostic, closest, did_you_mean
from .prose import SAFE_SCHEMES, Prose, link_problem, parse_prose
from .loader import FORBIDDEN_CHARACTERS, ID_PATTERN, RawEntry, character_name, check_id

MAX_LINE = 300
# List lengths: generous for real entries, and they keep every page, tag folder and redirect a build
# writes proportional to the content (a tag list of thousands would write thousands of pages).
MAX_TAGS = 12
MAX_SHORT_LIST = 20  # sources, aliases, distinctions, perspectives
MAX_RELATED = 30
MAX_NAMES = 10  # also-known-as names
MAX_ITEMS = 20  # in practice, anti-patterns, what they did, caveats, objectives
MAX_QUESTIONS = 10
MAX_STEPS = 40
# Glossary names link every mention in other entries' prose: they must be words, not common ones.
MIN_TERM_LETTERS = 3
STOP_WORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below between both but by
can could did do does doing down during each few for from further had has have having he her here hers herself him
himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other
our ours ourselves out over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself yourselves customer customers business company service people team work
""".split())
_TERM = re.compile(r"[^\W_][\w'’&./ -]*")  # words, with the apostrophes, hyphens and dots names have
LINE_BREAKS = "\n\r\u2028\u2029"
_LINE_BREAK = re.compile(f"[{LINE_BREAKS}]")
# Material copies a shortened title's text, and a link's title, into the page as HTML (content.tooltips):
# in a one-line field, '<' may not be followed by what makes an HTML tokenizer start a tag.
_TAG_START = re.compile(r"<[A-Za-z/!?]\S{0,10}")
_SCHEME = re.compile(r"^\s*<?\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")
_URL_UNSAFE = re.compile(r"[\s<>\"'{}|\\^`]")  # would end an autolink or start Markdown/attribute syntax


@dataclass(frozen=True)
class RefTo:
    """Marks a field as a relation: which kinds it may name and how both ends are labelled."""

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
            f"'{tag.group()}' would start an HTML tag where the theme shows this line as HTML (tooltips, shortened titles): "
            "write it without the '<' or put a space after it ('a < b' is fine)"
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
        raise ValueError(f"'{value}' is too short for {what} (at least {min_letters} letters): every mention in other entries would become a link")
    if " ".join(value.casefold().split()) in STOP_WORDS:
        raise ValueError(f"'{value}' is a common word: as {what} it would link in nearly every entry; name the idea more precisely")
    return value


def fold_name(name: str) -> str:
    """A term or other name as names compare: case-insensitive, runs of whitespace as one space, dotted and dotless i as i."""
    return " ".join(name.translate(_TURKISH_I).casefold().split())


_TURKISH_I = str.maketrans("\u0130\u0131", "ii")  # a case-insensitive regex matches both with 'i'; casefold does not


def _url(value: str) -> str:
    """Accept an absolute http, https or mailto URL."""
    value = _single_line(value)
    scheme = _SCHEME.match(value)
    if scheme is None or scheme.group(1).lower() not in SAFE_SCHEMES or value.startswith("<"):
        raise ValueError("must be an http, https or mailto URL")
    if link_problem(value):
        raise ValueError(f"must be a full address: {link_problem(value)}")
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
ID_JSON = WithJsonSchema({"anyOf": [{"type": "string", "pattern": ID_PATTERN.pattern}, {"type": "integer", "minimum": 0}]})
LINE_JSON = WithJsonSchema({"type": SCALAR, "pattern": r"\S", "maxLength": MAX_LINE, "not": {"type": "string", "pattern": "<[A-Za-z/!?]"}})
MARKDOWN_JSON = WithJsonSchema({"type": SCALAR})
URL_JSON = WithJsonSchema({"type": "string", "pattern": r"^(?:[Hh][Tt][Tt][Pp][Ss]?|[Mm][Aa][Ii][Ll][Tt][Oo]):"})
DATE_JSON = WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"})
MINUTES_JSON = WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 1, "maximum": 480}, {"type": "string", "pattern": r"^[1-9][0-9]{0,2}$"}]})

def Ref(*targets: str, key: str, inverse: str, unique: bool = True) -> Any:  # noqa: N802 - reads as a type
    """An id that must name an entry of one of the target kinds (any kind when none given)."""
    return Annotated[str, AfterValidator(_entry_id), RefTo(targets, key, inverse, unique), ID_JSON]


class MarkdownText:
    """Marks a field as Markdown prose, where [[id]] links are resolved."""


Line = Annotated[str, AfterValidator(_single_line), LINE_JSON]
GlossaryTerm = Annotated[str, AfterValidator(_glossary_term), LINE_JSON]
OtherName = Annotated[str, AfterValidator(_other_name), LINE_JSON]
Markdown = Annotated[str, AfterValidator(_markdown), MarkdownText(), MARKDOWN_JSON]
Url = Annotated[str, AfterValidator(_url), URL_JSON]
Date = Annotated[dt.date, BeforeValidator(_iso_date), DATE_JSON]
EntryId = Annotated[str, AfterValidator(_entry_id), ID_JSON]
Tag = Annotated[str, AfterValidator(_entry_id), ID_JSON]
Citation_Source = Ref("sources", key="sources", inverse="cited-by", unique=False)


class KbModel(BaseModel):
    """Base of every model: unknown fields are errors, strings are not coerced from numbers."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class Citation(KbModel):
    """A source an entry rests on, with where in it to look."""

    source: Citation_Source = Field(description="Id of the source entry.")
    locator: Line | None = Field(None, description="Where in the source: a section, or 'comment by …'.")


def _citation(value: Any) -> Any:
    """Let a citation be written as a bare source id."""
    return {"source": value} if isinstance(value, str) else value


class Entry(KbModel):
    """Fields every kind of entry has."""

    kind: ClassVar[str]
    title: Line = Field(description="The entry's name, as it appears in headings and listings.")
    summary: Line = Field(description="One sentence (under 30 words) used in listings, tooltips, search and the inventory.")
    body: Markdown = Field("", description="The explanation, in Markdown. Link other entries with [[id]] or [[id|text]].")
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS, description="Lower-case, hyphenated topic tags.")
    sources: list[Annotated[Citation, BeforeValidator(_citation, json_schema_input_type=Citation_Source | Citation)]] = Field(
        default_factory=list, max_length=MAX_SHORT_LIST, description="Source ids this entry rests on, optionally as {source: id, locator: '…'}."
    )
    related: list[Ref(key="related", inverse="related")] = Field(default_factory=list, max_length=MAX_RELATED, description="Ids of related entries of any kind.")
    aliases: list[EntryId] = Field(default_factory=list, max_length=MAX_SHORT_LIST, description="Former ids of this entry; old links redirect here.")
    added: Date = Field(description="Date the entry was added, YYYY-MM-DD.")
    last_reviewed: Date | None = Field(None, description="Date the entry was last checked against its sources, YYYY-MM-DD.")


class Distinction(KbModel):
    """How a term differs from a neighbouring term."""

    term: Ref("definitions", key="distinguished-from", inverse="distinguished-from") = Field(description="Id of the neighbouring definition.")
    difference: Markdown = Field(description="How the two differ, in Markdown.")


class Perspective(KbModel):
    """One author's view of a term, where the authors disagree."""

    source: Citation_Source = Field(description="Id of the source holding this view.")
    locator: Line | None = Field(None, description="Where in the source, e.g. 'comment by …'.")
    view: Markdown = Field(description="The view, in our own words.")


class Definition(Entry):
    """A term of the field and what it means."""

    kind: ClassVar[str] = "definitions"
    term: GlossaryTerm = Field(description="The term as readers write it, lower case unless a proper noun.")
    also_known_as: list[OtherName] = Field(default_factory=list, max_length=MAX_NAMES, description="Other names for the same idea.")
    distinctions: list[Distinction] = Field(default_factory=list, max_length=MAX_SHORT_LIST, description="How this term differs from its neighbours.")
    perspectives: list[Perspective] = Field(default_factory=list, max_length=MAX_SHORT_LIST, description="Where the authors disagree, each author's view.")


class Behaviour(Entry):
    """An observable thing people do when they are customer-focused."""

    kind: ClassVar[str] = "behaviours"
    # Optional so a first draft needs only summary and why_it_matters; the content rules ask the
    # shipped handbook for 2-3 questions per behaviour before it is merged.
    in_practice: list[Markdown] = Field(default_factory=list, max_length=MAX_ITEMS, description="What it looks like in practice, one item each.")
    why_it_matters: Markdown = Field(description="Why it matters, for the customer and the company.")
    anti_patterns: list[Markdown] = Field(default_factory=list, max_length=MAX_ITEMS, description="What it looks like when it goes wrong.")
    discussion_questions: list[Line] = Field(default_factory=list, max_length=MAX_QUESTIONS, description="Two or three questions a trainer can put to a group.")


class Example(Entry):
    """A short illustrative scenario that shows one or more behaviours."""

    kind: ClassVar[str] = "examples"
    shows: list[Ref("behaviours", key="shows", inverse="examples")] = Field(min_length=1, max_length=MAX_RELATED, description="Ids of the behaviours this example shows.")
    takeaway: Markdown = Field("", description="The lesson in one or two sentences.")


class CaseNote(Entry):
    """What a real company did, as a source describes it."""

    kind: ClassVar[str] = "case-notes"
    company: Line = Field(description="The company or group of companies.")
    period: Line = Field(description="When, as the source dates it, e.g. 'as described in 2008'.")
    what_they_did: list[Markdown] = Field(min_length=1, max_length=MAX_ITEMS, description="What the source says they did, one item each.")
    demonstrates: list[Ref("behaviours", key="demonstrates", inverse="case-notes")] = Field(
        min_length=1, max_length=MAX_RELATED, description="Ids of the behaviours this case demonstrates."
    )
    caveats: list[Markdown] = Field(default_factory=list, max_length=MAX_ITEMS, description="Limits of the claim: the source's date, who says so.")


class Source(Entry):
    """An article or other work the knowledge comes from."""

    kind: ClassVar[str] = "sources"
    author: Line | None = Field(None, description="The author, where the work names one.")
    publisher: Line = Field(description="The publication, blog or organisation.")
    published: Date | None = Field(None, description="Publication date, YYYY-MM-DD, where given.")
    url: Url | None = Field(None, description="An http(s) address of the work, where known.")


class Step(KbModel):
    """One step of a learning path."""

    entry: Ref(key="steps", inverse="learning-paths") = Field(description="Id of the entry this step covers.")
    minutes: Annotated[int, MINUTES_JSON] = Field(ge=1, le=480, description="Minutes the step takes.")
    activity: Line | None = Field(None, description="What the learners do, e.g. 'Read, then discuss in pairs'.")
    notes: Markdown = Field("", description="Trainer notes for this step, in Markdown.")
    questions: list[Line] = Field(default_factory=list, description="Discussion questions for this step.", max_length=MAX_QUESTIONS)


class LearningPath(Entry):
    """An ordered, timed route through entries for onboarding or a workshop."""

    kind: ClassVar[str] = "paths"
    audience: Line = Field(description="Who the path is for.")
    format: Literal["self-study", "workshop"] = Field(description="self-study or workshop.")
    objectives: list[Line] = Field(min_length=1, max_length=MAX_ITEMS, description="What learners can do afterwards.")
    steps: list[Step] = Field(min_length=1, max_length=MAX_STEPS, description="The ordered steps.")
    discussion_questions: list[Line] = Field(default_factory=list, max_length=MAX_QUESTIONS, description="Closing questions for the whole path.")


MODELS: dict[str, type[Entry]] = {m.kind: m for m in (Definition, Behaviour, Example, CaseNote, Source, LearningPath)}


@dataclass
class ValidEntry:
    """A validated entry: its typed model plus where it came from."""

    raw: RawEntry
    model: Entry

    @property
    def id(self) -> str:
        return self.raw.id

    @property
    def kind(self) -> str:
        return self.raw.kind


# path -> (the raw entry, its validated entry, its problems): the preview re-validates only re-loaded entries.
ValidateCache = dict[str, tuple[RawEntry, ValidEntry, list[Diagnostic]]]


def validate_entries(raw_entries: list[RawEntry], cache: ValidateCache | None = None) -> tuple[list[ValidEntry], list[Diagnostic]]:
    """Validate every raw entry against its kind's model, collecting all problems."""
    if cache is None:
        return _validate_all(raw_entries)
    entries: list[ValidEntry] = []
    diagnostics: list[Diagnostic] = []
    for raw in raw_entries:
        cached = cache.get(raw.path)
        if cached is None or cached[0] is not raw:  # the loader's cache hands back the same object for an unchanged file
            valid, found = _validate_all([raw])
            cached = cache[raw.path] = (raw, valid[0], found)
        entries.append(cached[1])
        diagnostics.extend(cached[2])
    return entries, diagnostics


def _validate_all(raw_entries: list[RawEntry]) -> tuple[list[ValidEntry], list[Diagnostic]]:
    """Validate every raw entry, without a cache."""
    entries: list[ValidEntry] = []
    diagnostics: list[Diagnostic] = []
    for raw in raw_entries:
        model_class = MODELS[raw.kind]
        try:
            model = model_class.model_validate(raw.data)
        except ValidationError as exc:
            errors = _without_misspelt_missing(model_class, exc.errors())
            diagnostics.extend(_diagnostic(raw, model_class, error) for error in errors)
            model = _partial_model(model_class, raw.data, errors)
        entries.append(ValidEntry(raw, model))
        diagnostics.extend(_prose_problems(raw, model))
    return entries, diagnostics


def _prose_problems(raw: RawEntry, model: Entry) -> list[Diagnostic]:
    """What the Markdown fields may not hold (raw HTML, unsafe links...), each located in the YAML."""
    found = []
    for path, prose, _ in iter_marked(model, MarkdownText):
        for problem in getattr(prose, "problems", ()):
            found.append(Diagnostic(raw.find_in(path, problem.needle), f"'{dotted_path(path)}': {problem.message}"))
    return found


def _without_misspelt_missing(model_class: type[Entry], errors: list) -> list:
    """Drop 'missing x' when an unknown field is a misspelling of x: one mistake, one message."""
    misspelt = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            loc = tuple(error["loc"])
            match = closest(str(loc[-1]), _fields_at(model_class, loc[:-1]))
            if match:
                misspelt.add((*loc[:-1], match))
    return [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in misspelt)]


def _partial_model(model_class: type[Entry], data: dict, errors: list) -> Entry:
    """Build a model from the fields that did validate, so links in a bad file are still checked."""
    bad = {error["loc"][0] for error in errors if error["loc"]}
    good = {}
    for name, field in model_class.model_fields.items():
        if name in data and name not in bad:
            good[name] = _adapter(model_class, name).validate_python(data[name])
    return model_class.model_construct(**good)


@functools.cache
def _adapter(model_class: type[Entry], name: str) -> TypeAdapter:
    """A validator for one field of a model (cached: building one is slow)."""
    field = model_class.model_fields[name]
    annotation = Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
    return TypeAdapter(annotation)


def _diagnostic(raw: RawEntry, model_class: type[Entry], error: Any) -> Diagnostic:
    """Turn one pydantic error into a located, actionable message."""
    loc = tuple(error["loc"])
    name = dotted_path(loc)
    kind, problem = error["type"], error["msg"]
    if kind == "extra_forbidden":
        fields = _fields_at(model_class, loc[:-1])
        hint = did_you_mean(str(loc[-1]), fields) or f" Fields here: {', '.join(fields)}."
        return Diagnostic(raw.locate(loc, key=True), f"unknown field '{loc[-1]}'.{hint}")
    if kind == "missing":
        return Diagnostic(raw.locate(loc[:-1]), f"missing required field '{name}' ({_describe(model_class, loc)})")
    if error.get("input", ...) is None:  # an empty value, as `kb new` leaves it
        return Diagnostic(raw.locate(loc), f"'{name}' is empty: {_fill_in(model_class, loc)}")
    messages = {
        "string_type": "must be text, not a list or mapping",
        "list_type": "must be a list: put each item on its own line starting with '- '",
        "model_type": "must be a mapping of fields",
        "dict_type": "must be a mapping of fields",
        "int_parsing": "must be a whole number",
        "too_short": f"needs at least {error.get('ctx', {}).get('min_length', 1)} item(s)",
        "too_long": f"has more than {error.get('ctx', {}).get('max_length')} items: keep the most useful ones",
        "literal_error": f"must be one of: {error.get('ctx', {}).get('expected', '')}",
    }
    if kind in messages:
        return Diagnostic(raw.locate(loc), f"'{name}' {messages[kind]}")
    return Diagnostic(raw.locate(loc), f"'{name}': {problem.removeprefix('Value error, ')}")


def _fill_in(model_class: type[Entry], loc: tuple) -> str:
    """Say what an empty value wants; an optional field may also simply go."""
    field_loc = loc[: max(i for i, part in enumerate(loc) if not isinstance(part, int)) + 1]
    model = _model_at(model_class, field_loc[:-1])
    field = model.model_fields.get(field_loc[-1]) if model else None
    optional = field is not None and not field.is_required() and field_loc == loc
    return f"fill it in{' or delete the line' if optional else ''} ({_describe(model_class, field_loc)})"


def dotted_path(loc: tuple) -> str:
    """Render a pydantic location like steps.2.minutes as steps[2].minutes."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _model_at(model_class: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """Follow a location through nested models to the model that holds its last part."""
    current: Any = model_class
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if isinstance(current, type) and issubclass(current, BaseModel) else None
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """Find a model class inside list[...] or Annotated[...] annotations."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _fields_at(model_class: type[Entry], loc: tuple) -> list[str]:
    """Names of the fields accepted at a location."""
    model = _model_at(model_class, loc)
    return list(model.model_fields) if model else []


def _describe(model_class: type[Entry], loc: tuple) -> str:
    """The field's description, to say what a missing field wants."""
    model = _model_at(model_class, loc[:-1])
    field = model.model_fields.get(loc[-1]) if model else None
    return (field.description or "required").rstrip(".") if field else "required"


def iter_marked(model: BaseModel, marker: type, path: tuple = ()):
    """Yield (yaml path, value, marker) for every string held in fields carrying a marker type."""
    for name, mark in _field_markers(type(model), marker):
        value = getattr(model, name, None)  # partial models lack invalid fields
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            item_path = (*path, name, index) if isinstance(value, list) else (*path, name)
            if isinstance(item, BaseModel):
                yield from iter_marked(item, marker, item_path)
            elif mark is not None and isinstance(item, str):
                yield item_path, item, mark


@functools.cache
def _field_markers(model_class: type[BaseModel], marker: type) -> tuple[tuple[str, Any], ...]:
    """The fields of a model that carry a marker or hold models, with the marker (or None); cached, as walking annotations is slow."""
    found = []
    for name, field in model_class.model_fields.items():
        mark = next((m for m in _annotated_metadata(field.annotation, field.metadata) if isinstance(m, marker)), None)
        if mark is not None or _holds_models(field.annotation):  # the other fields can yield nothing: skip them
            found.append((name, mark))
    return tuple(found)


def _holds_models(annotation: Any) -> bool:
    """Whether a field's type is, or contains, a pydantic model."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_models(arg) for arg in get_args(annotation))


def _annotated_metadata(annotation: Any, metadata: list) -> list:
    """Collect Annotated metadata of a field and of its list item type."""
    found = list(metadata)
    for arg in get_args(annotation):
        found.extend(getattr(arg, "__metadata__", ()))
    return found
