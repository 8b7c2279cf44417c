"""The indicators resource: the indicators of agreements and workstreams, their measurements read and recorded."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.actions import services
from tracker.actions.models import Indicator, Measurement
from tracker.actions.queries import latest_measurements, visible_indicators
from tracker.actions.validation import MAX_SOURCE
from tracker.agreements.models import Agreement
from tracker.api.blueprint import Route
from tracker.api.common import current_api_user, page_of
from tracker.api.inputs import Day, Strict
from tracker.api.schemas import ApiModel, Instant, Links, PageInfo, PageQuery, Texts, answer, page_answer
from tracker.api.spec import API_PREFIX as API
from tracker.api.spec import WRITE_ERRORS, responses, spec
from tracker.core.db import refresh


class MeasurementOut(ApiModel):
    id: int
    indicator_id: int
    measured_on: date
    value: float
    source: str
    note: str
    created_at: Instant

    @classmethod
    def of(cls, m: Measurement) -> MeasurementOut:
        return cls(
            id=m.id,
            indicator_id=m.indicator_id,
            measured_on=m.measured_on,
            value=m.value,
            source=m.source or "",
            note=m.note or "",
            created_at=m.created_at,
        )


class MeasurementList(PageInfo):
    items: list[MeasurementOut]


class IndicatorOut(ApiModel):
    id: int
    agreement: str
    workstream_id: int | None
    code: str
    name: Texts
    unit: str
    direction: Literal["increase", "decrease", "maintain"]
    baseline_value: float
    baseline_on: date
    target_value: float | None
    target_on: date | None
    source: str
    latest: MeasurementOut | None
    version: int
    links: Links

    @classmethod
    def of(cls, i: Indicator, latest: Measurement | None) -> IndicatorOut:
        return cls(
            id=i.id,
            agreement=i.agreement.slug,
            workstream_id=i.workstream_id,
            code=i.code,
            name=Texts.of(i, "name"),
            unit=i.unit,
            direction=str(i.direction),
            baseline_value=i.baseline_value,
            baseline_on=i.baseline_on,
            target_value=i.target_value,
            target_on=i.target_on,
            source=i.source or "",
            latest=MeasurementOut.of(latest) if latest else None,
            version=i.version,
            links=Links(self=f"{API}/indicators/{i.id}", measurements=f"{API}/indicators/{i.id}/measurements"),
        )


class IndicatorList(PageInfo):
    items: list[IndicatorOut]


class IndicatorQuery(PageQuery):
    agreement: str | None = Field(None, max_length=64, description="Slug of an agreement")
    workstream: int | None = Field(None, ge=1, le=2**31 - 1, description="Id of a workstream")


class MeasurementCreate(Strict):
    measured_on: Day
    value: float = Field(allow_inf_nan=False)
    source: str = Field("", max_length=MAX_SOURCE)
    note: str = Field("", max_length=100_000)


def find_indicator(indicator_id: int) -> Indicator:
    return services.get_indicator(current_api_user(), indicator_id)


@spec.validate(query=IndicatorQuery, resp=responses(HTTP_200=IndicatorList), tags=["indicators"])
def list_indicators(query: IndicatorQuery) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The indicators of the agreements you see, with their latest measurement."""
    stmt = visible_indicators(current_api_user()).options(joinedload(Indicator.agreement))
    if query.agreement:
        stmt = stmt.where(Indicator.agreement_id.in_(select(Agreement.id).where(Agreement.slug == query.agreement)))
    if query.workstream:
        stmt = stmt.where(Indicator.workstream_id == query.workstream)
    result = page_of(stmt.order_by(Indicator.agreement_id, Indicator.position, Indicator.id), query)
    latest = latest_measurements([i.id for i in result.items])
    return page_answer(IndicatorList, result, [IndicatorOut.of(i, latest.get(i.id)) for i in result.items])


@spec.validate(resp=responses(HTTP_200=IndicatorOut), tags=["indicators"])
def get_indicator(indicator_id: int) -> dict[str, Any]:
    """One indicator with its baseline, target and latest measurement."""
    indicator = find_indicator(indicator_id)
    return answer(IndicatorOut.of(indicator, latest_measurements([indicator.id]).get(indicator.id)))


@spec.validate(query=PageQuery, resp=responses(HTTP_200=MeasurementList), tags=["indicators"])
def list_measurements(indicator_id: int, query: PageQuery) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The measurements of an indicator, newest first."""
    indicator = find_indicator(indicator_id)
    stmt = (
        select(Measurement)
        .where(Measurement.indicator_id == indicator.id)
        .order_by(Measurement.measured_on.desc(), Measurement.id.desc())
    )
    result = page_of(stmt, query)
    return page_answer(MeasurementList, result, [MeasurementOut.of(m) for m in result.items])


@spec.validate(
    json=MeasurementCreate, resp=responses(errors=WRITE_ERRORS, HTTP_201=MeasurementOut), tags=["indicators"]
)
def record_measurement(indicator_id: int, json: MeasurementCreate) -> tuple[dict[str, Any], int]:
    """Record a value of an indicator on a date."""
    user = current_api_user()
    measurement = services.record_measurement(
        user,
        services.get_indicator(user, indicator_id),
        measured_on=json.measured_on,
        value=json.value,
        source=json.source,
        note=json.note,
    )
    refresh()
    return answer(MeasurementOut.of(measurement)), 201


# This resource's routes, which its domain's init_app declares on the API blueprint.
ROUTES: tuple[Route, ...] = (
    ("/indicators", list_indicators, ("GET",)),
    ("/indicators/<int:indicator_id>", get_indicator, ("GET",)),
    ("/indicators/<int:indicator_id>/measurements", list_measurements, ("GET",)),
    ("/indicators/<int:indicator_id>/measurements", record_measurement, ("POST",)),
)
