"""Walking pydantic models: the model at a location, its fields, what they say of themselves, a marker type's values."""

from __future__ import annotations

import functools
from typing import Any, get_args

from pydantic import BaseModel


def model_at(model_class: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """Follow a location through nested models to the model that holds its last part."""
    current: Any = model_class
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if isinstance(current, type) and issubclass(current, BaseModel) else None
        if field is None:
            return None
        current = inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def inner_model(annotation: Any) -> type[BaseModel] | None:
    """Find a model class inside list[...] or Annotated[...] annotations."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = inner_model(arg)
        if found is not None:
            return found
    return None


def fields_at(model_class: type[BaseModel], loc: tuple) -> list[str]:
    """Names of the fields accepted at a location."""
    model = model_at(model_class, loc)
    return list(model.model_fields) if model else []


def describe(model_class: type[BaseModel], loc: tuple) -> str:
    """The field's description, to say what a missing field wants."""
    model = model_at(model_class, loc[:-1])
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
    """The fields of a model that carry a marker or hold models, with the marker (or None).

    Cached, as walking annotations is slow.
    """
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
