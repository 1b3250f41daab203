"""The validate stage: raw entries against their kind's model, every problem located and said in contributors' terms."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, TypeAdapter, ValidationError

from .errors import Diagnostic, closest, did_you_mean
from .fields import MarkdownText
from .introspect import describe, fields_at, inner_model, iter_marked, model_at
from .memo import Memo
from .schema import MODELS, Entry
from .yamlread import RawEntry

DATED_FIELDS = ("added", "last_reviewed", "published")
# A contributor east of the checking machine may already have written tomorrow's date: one day of slack.
DATE_SLACK = dt.timedelta(days=1)


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


# path -> (its validated entry, its problems), kept while the raw entry is the same: the loader's cache hands back
# the same object for an unchanged file, so the preview re-validates only re-loaded entries.
ValidateCache = Memo[tuple["ValidEntry", list[Diagnostic]]]


def validate_entries(
    raw_entries: list[RawEntry], cache: ValidateCache | None = None
) -> tuple[list[ValidEntry], list[Diagnostic]]:
    """Validate every raw entry against its kind's model, collecting all problems."""
    if cache is None:
        return _validate_all(raw_entries)
    entries: list[ValidEntry] = []
    diagnostics: list[Diagnostic] = []
    cache.keep_only(raw.path for raw in raw_entries)
    for raw in raw_entries:
        entry, found = cache.get(raw.path, raw, _validate_one, raw)
        entries.append(entry)
        diagnostics.extend(found)
    return entries, diagnostics


def _validate_one(raw: RawEntry) -> tuple[ValidEntry, list[Diagnostic]]:
    """One raw entry validated, with its problems."""
    valid, found = _validate_all([raw])
    return valid[0], found


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
            model = _partial_model(model_class, raw.data, [tuple(error["loc"]) for error in errors])
        entries.append(ValidEntry(raw, model))
        diagnostics.extend(_prose_problems(raw, model))
        diagnostics.extend(_date_problems(raw, model))
    return entries, diagnostics


def _prose_problems(raw: RawEntry, model: Entry) -> list[Diagnostic]:
    """What the Markdown fields may not hold (raw HTML, unsafe links...), each located in the YAML."""
    found = []
    for path, prose, _ in iter_marked(model, MarkdownText):
        for problem in getattr(prose, "problems", ()):
            found.append(Diagnostic(raw.find_in(path, problem.needle), f"'{dotted_path(path)}': {problem.message}"))
    return found


def _date_problems(raw: RawEntry, model: Entry) -> list[Diagnostic]:
    """Dates that cannot be right: in the future, or a review before the entry was added."""
    latest = dt.date.today() + DATE_SLACK
    found = []
    for name in DATED_FIELDS:
        value = getattr(model, name, None)  # partial models may lack it
        if isinstance(value, dt.date) and value > latest:
            message = f"'{name}' is {value.isoformat()}, a date in the future: write the day it happened (YYYY-MM-DD)"
            found.append(Diagnostic(raw.locate((name,)), message))
    added, reviewed = getattr(model, "added", None), getattr(model, "last_reviewed", None)
    if isinstance(added, dt.date) and isinstance(reviewed, dt.date) and reviewed < added:
        message = (
            f"'last_reviewed' ({reviewed.isoformat()}) is before 'added' ({added.isoformat()}): "
            "an entry is reviewed after it is added; correct the date that is wrong"
        )
        found.append(Diagnostic(raw.locate(("last_reviewed",)), message))
    return found


def _without_misspelt_missing(model_class: type[Entry], errors: list) -> list:
    """Drop 'missing x' when an unknown field is a misspelling of x: one mistake, one message."""
    misspelt = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            loc = tuple(error["loc"])
            match = closest(str(loc[-1]), fields_at(model_class, loc[:-1]))
            if match:
                misspelt.add((*loc[:-1], match))
    return [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in misspelt)]


def _partial_model(model_class: type[BaseModel], data: dict, errors: list[tuple]) -> BaseModel:
    """A model of what did validate, down to list items and nested fields, so references in a bad file are checked.

    A bad list item stays in the list as None: every later problem is still located at its own index.
    """
    good = {}
    for name in model_class.model_fields:
        if name not in data:
            continue
        inner = [loc[1:] for loc in errors if loc and loc[0] == name]
        if not inner:
            good[name] = _adapter(model_class, name).validate_python(data[name])
        elif () not in inner and isinstance(data[name], list):  # only some items are bad
            item_type = _list_item_type(model_class.model_fields[name].annotation)
            good[name] = [
                _partial_item(item_type, item, [loc[1:] for loc in inner if loc[0] == index])
                for index, item in enumerate(data[name])
            ]
        elif (
            () not in inner
            and isinstance(data[name], dict)
            and (nested := inner_model(model_class.model_fields[name].annotation))
        ):
            good[name] = _partial_model(nested, data[name], inner)
    return model_class.model_construct(**good)


def _partial_item(item_type: Any, item: Any, errors: list[tuple]) -> Any:
    """One list item: validated when it has no problem, the valid part of a mapping, else None."""
    if not errors:
        return _item_adapter(item_type).validate_python(item)
    nested = inner_model(item_type)
    for before in getattr(item_type, "__metadata__", ()):  # a citation written as a bare id becomes a mapping
        if isinstance(before, BeforeValidator):
            item = before.func(item)
    if nested is None or not isinstance(item, dict):
        return None
    return _partial_model(nested, item, [loc for loc in errors if loc])


def _list_item_type(annotation: Any) -> Any:
    """The item type of a list[...] field (an optional list too)."""
    for candidate in (annotation, *get_args(annotation)):
        if get_origin(candidate) is list:
            return get_args(candidate)[0]
    return Any


@functools.cache
def _item_adapter(item_type: Any) -> TypeAdapter:
    """A validator for one list item type (cached: building one is slow)."""
    return TypeAdapter(item_type)


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
        fields = fields_at(model_class, loc[:-1])
        hint = did_you_mean(str(loc[-1]), fields) or f" Fields here: {', '.join(fields)}."
        return Diagnostic(raw.locate(loc, key=True), f"unknown field '{loc[-1]}'.{hint}")
    if kind == "missing":
        return Diagnostic(raw.locate(loc[:-1]), f"missing required field '{name}' ({describe(model_class, loc)})")
    if error.get("input", ...) is None:  # an empty value, as `kb new` leaves it
        return Diagnostic(raw.locate(loc), f"'{name}' is empty: {_fill_in(model_class, loc)}")
    messages = {
        "string_type": "must be text, not a list or mapping",
        "list_type": "must be a list: put each item on its own line starting with '- '",
        "model_type": "must be a mapping of fields",
        "dict_type": "must be a mapping of fields",
        "int_parsing": f"must be a whole number{_range(model_class, loc)}",
        "greater_than_equal": f"is {error.get('input')}: it must be a whole number{_range(model_class, loc)}",
        "less_than_equal": f"is {error.get('input')}: it must be a whole number{_range(model_class, loc)}",
        "too_short": f"needs at least {error.get('ctx', {}).get('min_length', 1)} item(s)",
        "too_long": f"has more than {error.get('ctx', {}).get('max_length')} items: keep the most useful ones",
        "literal_error": f"must be one of: {error.get('ctx', {}).get('expected', '')}",
    }
    if kind in messages:
        return Diagnostic(raw.locate(loc), f"'{name}' {messages[kind]}")
    return Diagnostic(raw.locate(loc), f"'{name}': {problem.removeprefix('Value error, ')}")


def _range(model_class: type[Entry], loc: tuple) -> str:
    """' from 1 to 480': the bounds the field's model sets, in words ('' when it sets none)."""
    names = [part for part in loc if not isinstance(part, int)]
    model = model_at(model_class, tuple(names[:-1]))
    field = model.model_fields.get(names[-1]) if model and names else None
    bounds = {
        type(m).__name__: getattr(m, type(m).__name__.lower())
        for m in getattr(field, "metadata", ())
        if type(m).__name__ in ("Ge", "Le")
    }
    if "Ge" in bounds and "Le" in bounds:
        return f" from {bounds['Ge']} to {bounds['Le']}"
    if bounds:
        return f" {'of at least' if 'Ge' in bounds else 'of at most'} {bounds.get('Ge', bounds.get('Le'))}"
    return ""


def _fill_in(model_class: type[Entry], loc: tuple) -> str:
    """Say what an empty value wants; an optional field may also simply go."""
    field_loc = loc[: max(i for i, part in enumerate(loc) if not isinstance(part, int)) + 1]
    model = model_at(model_class, field_loc[:-1])
    field = model.model_fields.get(field_loc[-1]) if model else None
    optional = field is not None and not field.is_required() and field_loc == loc
    return f"fill it in{' or delete the line' if optional else ''} ({describe(model_class, field_loc)})"


def dotted_path(loc: tuple) -> str:
    """Render a pydantic location like steps.2.minutes as steps[2].minutes."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
