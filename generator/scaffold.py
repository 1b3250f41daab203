"""The skeleton `kb new` writes: every field of a kind, each with the comment its model gives it."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .errors import KbError, did_you_mean
from .introspect import inner_model
from .kinds import REGISTRY, kind_names
from .schema import MODELS, Entry
from .schema_export import modeline
from .settings import Settings

COMMON_FIRST = ("title", "summary")
COMMON_LAST = ("body", "tags", "sources", "related", "aliases", "added", "last_reviewed")
_PLAIN = re.compile(r"^[A-Za-z][^:#'\"\n]*[^\s:]$")  # safe unquoted: starts with a letter, no ': ' or ' #'
_YAML_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def kind_words() -> dict[str, str]:
    """Every way a contributor may name a kind (plural, singular, spaced), to the kind."""
    names = {}
    for folder, kind in REGISTRY.items():
        for name in (folder, folder.removesuffix("s"), kind.singular, f"{kind.singular}s", *kind.other_names):
            names[name.replace(" ", "-")] = folder
    return names


def resolve_kind(word: str) -> tuple[str | None, str]:
    """The kind a word names, or None with a did-you-mean hint."""
    names = kind_words()
    key = re.sub(r"[\s_]+", "-", word.strip().lower())
    if key in names:
        return names[key], ""
    singulars = [kind.singular.replace(" ", "-") for kind in REGISTRY.values()]
    return None, did_you_mean(key, singulars + list(kind_names())) or f" Use one of: {', '.join(singulars)}."


def entry_skeleton(kind: str, title: str, added: dt.date) -> str:
    """A new entry's YAML: prefilled title and date, every other field empty and commented."""
    model = MODELS[kind]
    lines = [
        modeline(kind),
        f"# A new {REGISTRY[kind].singular}: {_first_line(model.__doc__)}",
        "# Fill in every empty field marked (required); fill or delete the optional ones. Then run: kb check",
        "# Field guide, style guide and review checklist: CONTRIBUTING.md",
    ]
    prefilled = {"title": yaml_string(title), "added": added.isoformat()}
    for name in field_order(model):
        lines.append("")
        lines.extend(_field_lines(name, model.model_fields[name], prefilled.get(name), indent=""))
    return "\n".join(lines) + "\n"


def field_order(model: type[Entry]) -> list[str]:
    """Title and summary first, the kind's own fields next, the common bookkeeping last."""
    own = [name for name in model.model_fields if name not in COMMON_FIRST + COMMON_LAST]
    return [*COMMON_FIRST, *own, *COMMON_LAST]


def yaml_string(text: str) -> str:
    """A YAML scalar that reads back as exactly this text: plain when safe, else double-quoted."""
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS and " #" not in text:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _field_lines(name: str, field: FieldInfo, value: str | None, indent: str, item: bool = False) -> list[str]:
    """A field's comment and its key, with an empty value, a prefilled one, or a nested item."""
    comment = f"{indent}# {field.description} ({'required' if field.is_required() else 'optional'})"
    choices = _choices(field.annotation)
    if choices:
        comment = comment.removesuffix(")") + f"; one of: {', '.join(choices)})"
    key = f"{indent}{'- ' if item else ''}{name}:"
    if value is not None:
        return [comment, f"{key} {value}"]
    is_list = _is_list(field.annotation)
    nested = inner_model(field.annotation)
    if not field.is_required():
        shape = [f"{indent}# Each item: {_item_shape(nested)}"] if is_list and nested is not None else []
        return [comment, *shape, key + _empty_default(field, is_list)]
    if is_list and nested is not None:
        return [comment, key, *_item_lines(nested, indent + "  ")]
    if is_list:
        return [comment, key, f"{indent}  -"]
    return [comment, key]


def _item_lines(model: type[BaseModel], indent: str) -> list[str]:
    """One list item of a nested model, its fields under a single '- '."""
    lines: list[str] = []
    for position, (name, field) in enumerate(model.model_fields.items()):
        field_indent = indent if position == 0 else indent + "  "
        lines.extend(_field_lines(name, field, None, field_indent, item=position == 0))
    return lines


def _item_shape(model: type[BaseModel]) -> str:
    """The fields of a nested item in one line, for lists that start empty."""
    return "; ".join(
        f"{name} ({'required' if f.is_required() else 'optional'}): {f.description.rstrip('.')}"
        for name, f in model.model_fields.items()
    )


def _empty_default(field: FieldInfo, is_list: bool) -> str:
    """What an optional field starts as: an empty list, empty text or nothing."""
    if is_list:
        return " []"
    return ' ""' if field.default == "" else ""


def _is_list(annotation: Any) -> bool:
    """Whether a field holds a list (possibly optional)."""
    return get_origin(annotation) is list or any(_is_list(arg) for arg in get_args(annotation) if arg is not type(None))


def _choices(annotation: Any) -> list[str]:
    """The allowed values of a Literal field, if it is one."""
    if get_origin(annotation) is Literal:
        return [str(arg) for arg in get_args(annotation)]
    return [choice for arg in get_args(annotation) for choice in _choices(arg)]


def _first_line(text: str | None) -> str:
    """A docstring's first line, lower-cased to follow 'A new behaviour:'."""
    first = text.strip().splitlines()[0] if text else ""
    return first[:1].lower() + first[1:]


def refuse_taken_id(settings: Settings, entry_id: str) -> None:
    """Raise when an entry file, a live id or an alias already uses entry_id, in any kind."""
    folder = settings.content_dir
    if not settings.content.is_dir():
        raise KbError.at(folder, f"no {folder}/ folder: run kb new from the project root, or pass --root")
    for kind in kind_names():
        rel = f"{folder}/{kind}/{entry_id}.yaml"
        if (settings.root / rel).exists():
            raise KbError.at(rel, f"id '{entry_id}' is taken by this file: choose another title, or pass --id")
    from .pipeline import check  # here: writing a skeleton needs no pipeline, only this last check does

    kb, _ = check(settings.root, review_hints=False, content_dir=folder)
    owner = kb.entries.get(kb.aliases.get(entry_id, ""))
    if owner is not None:
        where = owner.raw.locate(("aliases", owner.model.aliases.index(entry_id)))
        message = (
            f"'{entry_id}' is a former id of '{owner.id}', and old links redirect there: "
            "choose another title, or pass --id"
        )
        raise KbError.at(where, message)
