"""The entry models per kind: the single source of truth, also exported as JSON Schema.

Pydantic models validate the loader's all-string data and convert it (dates, whole numbers); the
field types are in fields.py, the validate stage in validate.py.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from .fields import (
    MAX_ITEMS,
    MAX_NAMES,
    MAX_QUESTIONS,
    MAX_RELATED,
    MAX_SHORT_LIST,
    MAX_STEPS,
    MAX_TAGS,
    MINUTES_JSON,
    Citation_Source,
    Date,
    EntryId,
    GlossaryTerm,
    Line,
    Markdown,
    OtherName,
    Ref,
    Tag,
    Url,
)


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
    summary: Line = Field(
        description="One sentence (under 30 words) used in listings, tooltips, search and the inventory."
    )
    body: Markdown = Field(
        "", description="The explanation, in Markdown. Link other entries with [[id]] or [[id|text]]."
    )
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS, description="Lower-case, hyphenated topic tags.")
    sources: list[
        Annotated[Citation, BeforeValidator(_citation, json_schema_input_type=Citation_Source | Citation)]
    ] = Field(
        default_factory=list,
        max_length=MAX_SHORT_LIST,
        description="Source ids this entry rests on, optionally as {source: id, locator: '…'}.",
    )
    related: list[Ref(key="related", inverse="related")] = Field(
        default_factory=list, max_length=MAX_RELATED, description="Ids of related entries of any kind."
    )
    aliases: list[EntryId] = Field(
        default_factory=list,
        max_length=MAX_SHORT_LIST,
        description="Former ids of this entry; old links redirect here.",
    )
    added: Date = Field(description="Date the entry was added, YYYY-MM-DD.")
    last_reviewed: Date | None = Field(
        None, description="Date the entry was last checked against its sources, YYYY-MM-DD."
    )


class Distinction(KbModel):
    """How a term differs from a neighbouring term."""

    term: Ref("definitions", key="distinguished-from", inverse="distinguished-from") = Field(
        description="Id of the neighbouring definition."
    )
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
    also_known_as: list[OtherName] = Field(
        default_factory=list, max_length=MAX_NAMES, description="Other names for the same idea."
    )
    distinctions: list[Distinction] = Field(
        default_factory=list, max_length=MAX_SHORT_LIST, description="How this term differs from its neighbours."
    )
    perspectives: list[Perspective] = Field(
        default_factory=list, max_length=MAX_SHORT_LIST, description="Where the authors disagree, each author's view."
    )


class Behaviour(Entry):
    """An observable thing people do when they are customer-focused."""

    kind: ClassVar[str] = "behaviours"
    # Optional so a first draft needs only summary and why_it_matters; the content rules ask the
    # shipped handbook for 2-3 questions per behaviour before it is merged.
    in_practice: list[Markdown] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="What it looks like in practice, one item each."
    )
    why_it_matters: Markdown = Field(description="Why it matters, for the customer and the company.")
    anti_patterns: list[Markdown] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="What it looks like when it goes wrong."
    )
    discussion_questions: list[Line] = Field(
        default_factory=list,
        max_length=MAX_QUESTIONS,
        description="Two or three questions a trainer can put to a group.",
    )


class Example(Entry):
    """A short illustrative scenario that shows one or more behaviours."""

    kind: ClassVar[str] = "examples"
    shows: list[Ref("behaviours", key="shows", inverse="examples")] = Field(
        min_length=1, max_length=MAX_RELATED, description="Ids of the behaviours this example shows."
    )
    takeaway: Markdown = Field("", description="The lesson in one or two sentences.")


class CaseNote(Entry):
    """What a real company did, as a source describes it."""

    kind: ClassVar[str] = "case-notes"
    company: Line = Field(description="The company or group of companies.")
    period: Line = Field(description="When, as the source dates it, e.g. 'as described in 2008'.")
    what_they_did: list[Markdown] = Field(
        min_length=1, max_length=MAX_ITEMS, description="What the source says they did, one item each."
    )
    demonstrates: list[Ref("behaviours", key="demonstrates", inverse="case-notes")] = Field(
        min_length=1, max_length=MAX_RELATED, description="Ids of the behaviours this case demonstrates."
    )
    caveats: list[Markdown] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="Limits of the claim: the source's date, who says so."
    )


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
    questions: list[Line] = Field(
        default_factory=list, description="Discussion questions for this step.", max_length=MAX_QUESTIONS
    )


class LearningPath(Entry):
    """An ordered, timed route through entries for onboarding or a workshop."""

    kind: ClassVar[str] = "paths"
    audience: Line = Field(description="Who the path is for.")
    format: Literal["self-study", "workshop"] = Field(description="self-study or workshop.")
    objectives: list[Line] = Field(min_length=1, max_length=MAX_ITEMS, description="What learners can do afterwards.")
    steps: list[Step] = Field(min_length=1, max_length=MAX_STEPS, description="The ordered steps.")
    discussion_questions: list[Line] = Field(
        default_factory=list, max_length=MAX_QUESTIONS, description="Closing questions for the whole path."
    )


MODELS: dict[str, type[Entry]] = {m.kind: m for m in (Definition, Behaviour, Example, CaseNote, Source, LearningPath)}
