"""The entry models per kind: the single source of truth, also exported as JSON Schema.

Pydantic models validate the loader's all-string data and convert it (dates, whole numbers); the
field types are in fields.py, the validate stage in validate.py.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from .fields import (
    MAX_CHECKS,
    MAX_CHOICES,
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
    Summary,
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
    summary: Summary = Field(
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
    # For the definitions side by side (/side-by-side/): a perspective with any of these is a row there.
    by: Line | None = Field(None, description="Who holds the view, when not the source's author (a commenter).")
    scope: Line | None = Field(None, description="What the definition covers, e.g. 'the whole organisation'.")
    emphasis: Line | None = Field(None, description="What the definition stresses most.")
    test: Line | None = Field(None, description="How a team could test whether it meets this definition.")


class Objection(KbModel):
    """Something a participant may say against the entry's idea, and a facilitator's sourced answer."""

    objection: Line = Field(description="What a participant says, in their words, e.g. 'Isn't this just being nice?'.")
    answer: Markdown = Field(description="How a facilitator can answer, in our own words, in Markdown.")
    sources: list[
        Annotated[Citation, BeforeValidator(_citation, json_schema_input_type=Citation_Source | Citation)]
    ] = Field(min_length=1, max_length=MAX_SHORT_LIST, description="The sources the answer rests on.")


def _objections() -> Any:
    """The objections field of the kinds that hold ideas (definitions and behaviours)."""
    return Field(
        default_factory=list,
        max_length=MAX_QUESTIONS,
        description="Objections a facilitator may hear about this idea, each with a sourced answer.",
    )


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
    objections: list[Objection] = _objections()


class Behaviour(Entry):
    """An observable thing people do when they are customer-focused."""

    kind: ClassVar[str] = "behaviours"
    audience: Literal["anyone", "team lead or manager"] | None = Field(
        None,
        description="Who it is for: 'anyone', or 'team lead or manager' when it needs authority over a team.",
    )
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
    objections: list[Objection] = _objections()
    self_assessment: list[Line] = Field(
        default_factory=list,
        max_length=MAX_QUESTIONS,
        description="Statements a team scores itself on from 1 (never) to 5 (always), each testing this behaviour.",
    )


class Example(Entry):
    """A short illustrative scenario that shows one or more behaviours."""

    kind: ClassVar[str] = "examples"
    shows: list[Ref("behaviours", key="shows", inverse="examples")] = Field(
        min_length=1, max_length=MAX_RELATED, description="Ids of the behaviours this example shows."
    )
    takeaway: Markdown = Field("", description="The lesson in one or two sentences.")
    debrief_questions: list[Line] = Field(
        default_factory=list,
        max_length=MAX_QUESTIONS,
        description="Two or three questions a trainer asks after the group has read the scenario.",
    )


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
    # For how far to trust each source (/trust/): what kind of work it is, what it rests on, who gains.
    genre: Line | None = Field(None, description="What kind of work it is, e.g. 'blog post', 'opinion article'.")
    evidence: Line | None = Field(None, description="What its claims rest on, e.g. 'the author's experience'.")
    interest: Line | None = Field(None, description="The author's stake in the argument, or 'none stated'.")


class Step(KbModel):
    """One step of a learning path."""

    entry: Ref(key="steps", inverse="learning-paths") = Field(description="Id of the entry this step covers.")
    minutes: Annotated[int, MINUTES_JSON] = Field(ge=1, le=480, description="Minutes the step takes.")
    activity: Line | None = Field(None, description="What the learners do, e.g. 'Read, then discuss in pairs'.")
    notes: Markdown = Field("", description="Trainer notes for this step, in Markdown.")
    questions: list[Line] = Field(
        default_factory=list, description="Discussion questions for this step.", max_length=MAX_QUESTIONS
    )


class CheckQuestion(KbModel):
    """One self-check question: its choices, the right one, and why, citing the entry that teaches it."""

    question: Line = Field(description="The question, one line.")
    choices: list[Line] = Field(min_length=2, max_length=MAX_CHOICES, description="The possible answers, one each.")
    answer: Line = Field(description="The right answer, written exactly as one of the choices.")
    explanation: Markdown = Field(description="Why that answer is right, in a sentence or two, in Markdown.")
    entry: Ref(key="checks", inverse="checked-in", unique=False) = Field(
        description="Id of the entry that teaches the answer (the explanation cites it)."
    )

    @model_validator(mode="after")
    def _answer_is_a_choice(self) -> CheckQuestion:
        """The right answer is one of the choices, and no choice is offered twice."""
        if self.answer not in self.choices:
            raise ValueError(f"answer {self.answer!r} is not one of the choices: copy the right choice exactly")
        if len(set(self.choices)) != len(self.choices):
            raise ValueError("a choice is listed twice: make each choice different")
        return self


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
    materials: list[Line] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="What a facilitator prepares before the session."
    )
    self_check: list[CheckQuestion] = Field(
        default_factory=list,
        max_length=MAX_CHECKS,
        description="Questions learners answer to check themselves after the path, each with its answer.",
    )


MODELS: dict[str, type[Entry]] = {m.kind: m for m in (Definition, Behaviour, Example, CaseNote, Source, LearningPath)}
