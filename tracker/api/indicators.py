"""Indicators of agreements and workstreams, and their measurements."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.actions import services
from tracker.actions.models import Indicator, Measurement
from tracker.actions.queries import latest_measurements
from tracker.agreements.models import Agreement
from tracker.agreements.services import visible_agreement_ids
from tracker.api import serialize
from tracker.api.blueprint import bp
from tracker.api.common import current_api_user, page_of
from tracker.api.schemas import IndicatorList, IndicatorOut, IndicatorQuery, MeasurementList, PageQuery
from tracker.api.spec import responses, spec


def _visible_indicators() -> Any:
    return (
        select(Indicator)
        .where(Indicator.agreement_id.in_(visible_agreement_ids(current_api_user())))
        .options(joinedload(Indicator.agreement))
    )


def find_indicator(indicator_id: int) -> Indicator:
    return services.get_indicator(current_api_user(), indicator_id)


@bp.get("/indicators")
@spec.validate(query=IndicatorQuery, resp=responses(HTTP_200=IndicatorList), tags=["indicators"])
def list_indicators(query: IndicatorQuery) -> tuple[dict[str, Any], int, dict[str, str]]:
    """The indicators of the agreements you see, with their latest measurement."""
    stmt = _visible_indicators()
    if query.agreement:
        stmt = stmt.where(Indicator.agreement_id.in_(select(Agreement.id).where(Agreement.slug == query.agreement)))
    if query.workstream:
        stmt = stmt.where(Indicator.workstream_id == query.workstream)
    result = page_of(stmt.order_by(Indicator.agreement_id, Indicator.position, Indicator.id), query)
    latest = latest_measurements([i.id for i in result.items])
    body, headers = serialize.page(result, [serialize.indicator(i, latest.get(i.id)) for i in result.items])
    return body, 200, headers


@bp.get("/indicators/<int:indicator_id>")
@spec.validate(resp=responses(HTTP_200=IndicatorOut), tags=["indicators"])
def get_indicator(indicator_id: int) -> dict[str, Any]:
    """One indicator with its baseline, target and latest measurement."""
    indicator = find_indicator(indicator_id)
    return serialize.indicator(indicator, latest_measurements([indicator.id]).get(indicator.id))


@bp.get("/indicators/<int:indicator_id>/measurements")
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
    body, headers = serialize.page(result, [serialize.measurement(m) for m in result.items])
    return body, 200, headers
