"""Indicators with their latest measurement (one query)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select

from tracker.actions.models import Indicator, Measurement
from tracker.core.db import db


@dataclass(frozen=True)
class IndicatorLine:
    indicator: Indicator
    latest: Measurement | None


def indicators_with_latest(agreement_id: int, workstream_id: int | None) -> list[IndicatorLine]:
    """Return the indicators of a workstream (or the agreement-wide ones) with their latest measurement."""
    latest_on = (
        select(Measurement.indicator_id, func.max(Measurement.measured_on).label("measured_on"))
        .group_by(Measurement.indicator_id)
        .subquery()
    )
    scope = Indicator.workstream_id == workstream_id if workstream_id is not None else Indicator.workstream_id.is_(None)
    rows = db.session.execute(
        select(Indicator, Measurement)
        .outerjoin(latest_on, latest_on.c.indicator_id == Indicator.id)
        .outerjoin(
            Measurement,
            and_(Measurement.indicator_id == Indicator.id, Measurement.measured_on == latest_on.c.measured_on),
        )
        .where(Indicator.agreement_id == agreement_id, scope)
        .order_by(Indicator.position, Indicator.id, Measurement.id.desc())
    )
    lines: dict[int, IndicatorLine] = {}
    for indicator, measurement in rows:
        lines.setdefault(indicator.id, IndicatorLine(indicator, measurement))
    return list(lines.values())
