"""The shape of an agreement data file (config/agreements/*.yaml), validated before anything is written."""

from __future__ import annotations

import datetime as dt
import re
from datetime import date
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from tracker.agreements.amendments import FIRST_DATE, LAST_DATE, MAX_EXTENSION_YEARS, MAX_TERM_YEARS, add_years

Code = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9-]{0,31}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Texts(Strict):
    """The same text in French, English and Dutch; all three are required."""

    fr: NonEmpty
    en: NonEmpty
    nl: NonEmpty


class ShortTexts(Texts):
    fr: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    en: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    nl: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r}") from None
    return value


class DayOffData(Strict):
    date: dt.date
    label: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""


class PartyData(Strict):
    code: Code
    name: ShortTexts
    # The name people know it by where room is short (« Île-de-France », « Bruxelles-Capitale »).
    short_name: ShortTexts | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    subdivision: str | None = None
    timezone: str = "Europe/Paris"
    signed_by: str | None = None
    # One-off days off of the party's administration (its admins add more in the app).
    days_off: list[DayOffData] = Field(default_factory=list)

    _tz = field_validator("timezone")(_check_timezone)


class CommitmentData(Strict):
    code: Code
    text: Texts


class WorkstreamData(Strict):
    code: Code
    title: ShortTexts
    objective: Texts
    starts_on: date | None = None
    commitments: list[CommitmentData] = Field(default_factory=list)

    @field_validator("commitments")
    @classmethod
    def _unique_commitments(cls, value: list[CommitmentData]) -> list[CommitmentData]:
        _check_unique([c.code for c in value], "commitment code")
        return value


class Dated(Strict):
    value: float
    date: dt.date


class IndicatorData(Strict):
    code: Code
    workstream: Code | None = None
    name: ShortTexts
    unit: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
    direction: Literal["increase", "decrease", "maintain"]
    baseline: Dated
    target: Dated | None = None
    source: str = ""

    @model_validator(mode="after")
    def _target_after_baseline(self) -> IndicatorData:
        if self.target is not None and self.target.date < self.baseline.date:
            raise ValueError("target.date is before baseline.date")
        return self


class AmendmentData(Strict):
    """An amendment in force, as signed: it moves the end date to `ends_on`."""

    reference: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    signed_on: date
    ends_on: date
    text: str = ""


class AgreementData(Strict):
    slug: Slug
    title: ShortTexts
    summary: Texts | None = None
    signed_on: date
    starts_on: date
    ends_on: date
    timezone: str = "Europe/Paris"
    source_url: str | None = None
    parties: list[PartyData] = Field(min_length=2)
    workstreams: list[WorkstreamData] = Field(min_length=1)
    indicators: list[IndicatorData] = Field(default_factory=list)
    amendments: list[AmendmentData] = Field(default_factory=list)
    # The slug of the ended agreement this one renews (its carried-over actions move in when it is loaded).
    succeeds: Slug | None = None

    _tz = field_validator("timezone")(_check_timezone)

    @model_validator(mode="after")
    def _consistent(self) -> AgreementData:
        for name, day in self._dates():
            if not FIRST_DATE <= day <= LAST_DATE:
                raise ValueError(f"{name} {day} is outside {FIRST_DATE.year}-{LAST_DATE.year}")
        if self.ends_on <= self.starts_on:
            raise ValueError("ends_on must be after starts_on")
        if self.ends_on > add_years(self.starts_on, MAX_TERM_YEARS):
            raise ValueError(f"ends_on: an agreement runs for {MAX_TERM_YEARS} years at most")
        # A successor may be signed after its start (with retroactive effect), as the renewal allows: the loader
        # checks its signature against the agreement it succeeds and today (services.successor_signature_window).
        if self.succeeds is None and self.signed_on > self.starts_on:
            raise ValueError("signed_on must not be after starts_on")
        if self.succeeds == self.slug:
            raise ValueError("succeeds names the agreement itself")
        _check_unique([p.code for p in self.parties], "party code")
        _check_unique([w.code for w in self.workstreams], "workstream code")
        _check_unique([c.code for w in self.workstreams for c in w.commitments], "commitment code")
        _check_unique([i.code for i in self.indicators], "indicator code")
        for index, ws in enumerate(self.workstreams):
            if ws.starts_on is not None and not self.starts_on <= ws.starts_on < self.ends_on:
                raise ValueError(f"workstreams.{index}.starts_on {ws.starts_on} is outside the agreement period")
        _check_unique([a.reference for a in self.amendments], "amendment reference")
        end = self.ends_on
        for index, amendment in enumerate(self.amendments):
            if amendment.ends_on <= end:
                raise ValueError(f"amendments.{index}.ends_on must come after {end} (the end date it moves)")
            if amendment.ends_on > add_years(end, MAX_EXTENSION_YEARS):
                raise ValueError(f"amendments.{index}.ends_on moves the end by more than {MAX_EXTENSION_YEARS} years")
            if amendment.signed_on < self.signed_on:
                raise ValueError(f"amendments.{index}.signed_on is before the agreement's signature")
            end = amendment.ends_on
        known = {w.code for w in self.workstreams}
        for index, ind in enumerate(self.indicators):
            if ind.workstream is not None and ind.workstream not in known:
                raise ValueError(f"indicators.{index}.workstream: unknown workstream {ind.workstream!r}")
        return self

    def _dates(self) -> list[tuple[str, date]]:
        """Every date of the file with its field name (`amendments.0.ends_on`), None left out."""
        days = [("signed_on", self.signed_on), ("starts_on", self.starts_on), ("ends_on", self.ends_on)]
        days += [(f"workstreams.{i}.starts_on", w.starts_on) for i, w in enumerate(self.workstreams) if w.starts_on]
        for i, a in enumerate(self.amendments):
            days += [(f"amendments.{i}.signed_on", a.signed_on), (f"amendments.{i}.ends_on", a.ends_on)]
        return days


def _check_unique(codes: list[str], what: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ValueError(f"duplicate {what} {code!r}")
        seen.add(code)


def first_error_line(exc: Exception) -> str:
    """Return one readable line naming the field of the first validation error."""
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        location = ".".join(str(part) for part in err["loc"])
        message = re.sub(r"^Value error, ", "", err["msg"])
        if err["type"] == "missing":
            message = "is required"
        elif err["type"] == "extra_forbidden":
            message = "is not a known field"
        return f"{location}: {message}" if location else message
    return str(exc)
