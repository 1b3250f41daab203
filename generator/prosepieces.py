"""The pieces parsed prose is made of: contributor words, [[id]] links and Markdown prosejudge.py wrote.

A field's safe form (prose.py) is a sequence of pieces: `Words`, contributor text that is escaped when
written and in which the glossary may link terms; `WikiLink`, an [[id]] link the renderer makes; and
strings of Markdown of prosejudge.py's own. Nothing else of a field reaches a page. `_join` merges
neighbouring pieces of a kind, as the parser's runs of text are.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    """Contributor text, written escaped; where glossary terms may be linked, unless inside a link."""

    text: str
    line_start: bool = False
    linkable: bool = True


@dataclass(frozen=True)
class WikiLink:
    """An [[id]] or [[id|text]] entry link."""

    target: str
    label: str | None


Piece = str | Words | WikiLink  # str: Markdown prosejudge.py wrote
Line = list  # of pieces


def _join(lines: list[Line]) -> list[Piece]:
    """Lines of pieces as one list of pieces, neighbouring strings merged.

    Each run of neighbours is joined once when it ends: adding them one by one copies the growing
    text again for every piece (quadratic: a paragraph of 100,000 one-word lines took minutes).
    """
    pieces: list[Piece] = []
    run: list[str] = []  # the texts making up pieces[-1], while it can still grow
    for index, line in enumerate(lines):
        for piece in (["\n"] if index else []) + line:
            last = pieces[-1] if pieces else None
            if type(piece) is str and type(last) is str:
                run.append(piece)
            elif type(piece) is Words and type(last) is Words and last.linkable == piece.linkable:
                run.append(piece.text)
            elif piece != "" and not (type(piece) is Words and not piece.text):
                _end_run(pieces, run)
                pieces.append(piece)
                run = [piece] if type(piece) is str else [piece.text] if type(piece) is Words else []
    _end_run(pieces, run)
    return pieces


def _end_run(pieces: list[Piece], run: list[str]) -> None:
    """Make the last piece the text of its run of neighbours, joined."""
    if len(run) > 1:
        last = pieces[-1]
        pieces[-1] = "".join(run) if type(last) is str else Words("".join(run), last.line_start, last.linkable)
