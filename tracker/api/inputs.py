"""Pydantic models of what clients send; the services check the values and answer 422 with field errors.

JSON types are taken strictly: `true` is no number, `"5"` no integer and `1.0` no percent; a date is an ISO
text (`"2026-12-01"`), never a number of seconds.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator
from pydantic import Strict as StrictMode
from pydantic_core import PydanticCustomError

from tracker.actions.validation import MAX_OUTCOME, MAX_SOURCE, MAX_TITLE
from tracker.api.schemas import ApiModel, HealthName
from tracker.core.lifecycle import MAX_COMMENT_LENGTH
from tracker.core.text import clean_line, clean_text

ID = Field(ge=1, le=2**31 - 1)
VERSION_HELP = "The version you read; or send If-Match with the ETag instead"


def _iso_text(value: Any) -> Any:
    if not isinstance(value, str):
        raise PydanticCustomError("date_type", "Input should be a valid date")
    return value


# JSON has no date type: a day is an ISO text, parsed as such (the rest of the model stays strict).
Day = Annotated[date, StrictMode(False), BeforeValidator(_iso_text)]


class Strict(ApiModel):
    """What every request body derives from: unknown fields refused, no value of another JSON type taken for
    the one declared, text cleaned of control characters.

    Every text field is single-line (`clean_line`) unless its name is in `MULTILINE` (`clean_text`), so that
    a new field is safe in a mail header or a file name by default (see tracker/core/text.py).
    """

    model_config = ConfigDict(extra="forbid", strict=True)
    MULTILINE: ClassVar[frozenset[str]] = frozenset({"description", "comment", "text", "note"})

    @field_validator("*", mode="after")
    @classmethod
    def _clean_text(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, str):
            return value
        return clean_text(value) if info.field_name in cls.MULTILINE else clean_line(value)


class ActionCreate(Strict):
    workstream_id: int = ID
    title: str = Field(max_length=MAX_TITLE)
    description: str = Field("", max_length=100_000)
    owner_id: int | None = Field(None, ge=1, le=2**31 - 1, description="Default: you")
    lead_party: str | None = Field(None, max_length=16, description="Party code; default: the owner's party")
    start_on: Day | None = None
    due_on: Day | None = None
    commitment_ids: list[int] = Field(default_factory=list, max_length=200)


class ActionUpdate(Strict):
    """Only the fields sent are changed."""

    version: int | None = Field(None, ge=1, le=2**31 - 1, description=VERSION_HELP)
    title: str | None = Field(None, max_length=MAX_TITLE)
    description: str | None = Field(None, max_length=100_000)
    owner_id: int | None = Field(None, ge=1, le=2**31 - 1)
    lead_party: str | None = Field(None, max_length=16)
    start_on: Day | None = None
    due_on: Day | None = None
    commitment_ids: list[int] | None = Field(None, max_length=200)


class TransitionIn(Strict):
    to: Literal["draft", "proposed", "active", "on_hold", "completed", "cancelled"]
    comment: str | None = Field(
        None, max_length=MAX_COMMENT_LENGTH, description="Needed for some moves (return, cancel)"
    )
    outcome: str | None = Field(
        None, max_length=MAX_OUTCOME, description="What the action achieved (« résultat »), kept when `to` is completed"
    )


class TransitionOut(ApiModel):
    name: str
    to: str
    label: str
    comment: Literal["none", "optional", "required"]
    allowed: bool
    blocked: str | None


class TransitionList(ApiModel):
    status: str
    items: list[TransitionOut]


class ApprovalIn(Strict):
    comment: str | None = Field(None, max_length=MAX_COMMENT_LENGTH)


class ApprovalOut(ApiModel):
    party: str
    person: str
    approved_at: datetime


class ApprovalList(ApiModel):
    status: str
    items: list[ApprovalOut]


class MilestoneCreate(Strict):
    title: str = Field(max_length=MAX_TITLE)
    due_on: Day


class MilestoneUpdate(Strict):
    """Change the title or move the due date (a move counts as a reschedule for calendars)."""

    version: int | None = Field(None, ge=1, le=2**31 - 1, description=VERSION_HELP)
    title: str | None = Field(None, max_length=MAX_TITLE)
    due_on: Day | None = None
    comment: str | None = Field(None, max_length=MAX_COMMENT_LENGTH)


class MilestoneTransitionIn(Strict):
    to: Literal["done", "cancelled"]
    version: int | None = Field(None, ge=1, le=2**31 - 1, description=VERSION_HELP)
    completed_on: Day | None = Field(
        None, description="For done: the day it was done, from the action's start to today (default: today)"
    )
    evidence_url: str | None = Field(None, max_length=2000)
    comment: str | None = Field(None, max_length=MAX_COMMENT_LENGTH, description="For cancelled: the reason (needed)")


class UpdateCreate(Strict):
    text: str = Field(max_length=100_000)
    percent: int = Field(ge=0, le=100)
    health: HealthName


class MeasurementCreate(Strict):
    measured_on: Day
    value: float = Field(allow_inf_nan=False)
    source: str = Field("", max_length=MAX_SOURCE)
    note: str = Field("", max_length=100_000)
