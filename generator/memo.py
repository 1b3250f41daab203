"""The one cache policy of every stage: a result is kept by key and reused while the inputs it came from compare equal.

A live preview keeps one `Memo` per stage between rebuilds (`pipeline.StageCache`): the loader's results
by file, keyed on the file's bytes; the validator's by file, keyed on the raw entry; the renderer's
entry pages, keyed on what the page shows (`pageviews.EntryView`). Inputs are compared with `==`, which
Python short-cuts on identity, so an unchanged object handed on by the stage before costs one pointer
comparison, and a changed one is compared by value: a cache can be stale only if `==` is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any, Generic, TypeVar

Result = TypeVar("Result")


class Memo(Generic[Result]):
    """Results by key, each with the inputs it was made from."""

    def __init__(self) -> None:
        self._kept: dict[Hashable, tuple[Any, Result]] = {}

    def get(self, key: Hashable, inputs: Any, make: Callable[..., Result], *args: Any) -> Result:
        """The result kept for key if its inputs equal these, else make(*args), kept."""
        kept = self._kept.get(key)
        if kept is not None and kept[0] == inputs:
            return kept[1]
        result = make(*args)
        self._kept[key] = (inputs, result)
        return result

    def keep_only(self, keys: Iterable[Hashable]) -> None:
        """Forget the results of keys not listed (deleted files, entries gone)."""
        wanted = set(keys)
        for key in self._kept.keys() - wanted:
            del self._kept[key]

    def clear(self) -> None:
        """Forget everything (what every result depends on changed)."""
        self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)
