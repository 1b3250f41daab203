"""The validate stage: raw entries against their kind's model, every problem located and said in contributors' terms."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from .errors import Diagnostic, closest, did_you_mean
from .fields import MarkdownText
from .introspect import describe, fields_at, iter_marked, model_at
from .memo import Memo
from .schema import MODELS, Entry
from .yamlread import RawEntry


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
            match = closest(str(loc[-1]), fields_at(model_class, loc[:-1]))
            if match:
                misspelt.add((*loc[:-1], match))
    return [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in misspelt)]


def _partial_model(model_class: type[Entry], data: dict, errors: list) -> Entry:
    """Build a model from the fields that did validate, so links in a bad file are still checked."""
    bad = {error["loc"][0] for error in errors if error["loc"]}
    good = {}
    for name in model_class.model_fields:
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
