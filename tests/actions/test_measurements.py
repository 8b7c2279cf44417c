"""Indicator measurements: recorded by co-leads and admins, dated sensibly, audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.actions.conftest import Team
from tracker.actions import services
from tracker.actions.models import Indicator
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.core.errors import NotFound, PermissionDenied, ValidationFailed


@pytest.fixture
def indicator(team: Team) -> Indicator:
    return db.session.scalars(select(Indicator).where(Indicator.code == "BE-FR-EXPORT-SHARE")).one()


def test_a_co_lead_records_a_measurement(team: Team, indicator: Indicator, frozen_clock) -> None:
    found = services.get_indicator(team.bxl_lead, indicator.id)
    measurement = services.record_measurement(
        team.bxl_lead, found, measured_on="2026-06-30", value="7.2", source="Douanes", note="<b>provisoire</b>"
    )
    assert (measurement.value, measurement.measured_on, measurement.note) == (
        7.2,
        date(2026, 6, 30),
        "<b>provisoire</b>",
    )
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "measurement")).one()
    assert entry.changes["value"] == 7.2 and entry.agreement_id == indicator.agreement_id


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"measured_on": "2026-11-28"}, "measured_on"),
        ({"measured_on": "2021-01-01"}, "measured_on"),
        ({"measured_on": ""}, "measured_on"),
        ({"value": "sept"}, "value"),
        ({"value": "inf"}, "value"),
        ({"value": "1e308"}, "value"),
        ({"value": "-2000000000000"}, "value"),
        ({"source": "x" * 301}, "source"),
        ({"value": "100.1"}, "value"),  # a percentage over 100
        ({"value": "1234.5"}, "value"),
        ({"value": "-0.5"}, "value"),  # a percentage below 0
    ],
)
def test_bad_measurements_are_refused(team: Team, indicator: Indicator, frozen_clock, values, field) -> None:
    arguments = {"measured_on": "2026-06-30", "value": 7, **values}
    with pytest.raises(ValidationFailed) as refused:
        services.record_measurement(team.idf_lead, indicator, **arguments)
    assert field in refused.value.errors
    assert indicator.measurements == []


def test_others_may_not_record(team: Team, indicator: Indicator, frozen_clock) -> None:
    for user in (team.owner, team.reviewer):
        with pytest.raises(PermissionDenied):
            services.record_measurement(user, indicator, measured_on="2026-06-30", value=7)
    with pytest.raises(NotFound):
        services.get_indicator(team.outsider, indicator.id)
    with pytest.raises(NotFound):
        services.record_measurement(team.outsider, indicator, measured_on="2026-06-30", value=7)


def test_a_huge_value_stored_before_the_bound_still_reads(
    app, client, team: Team, indicator: Indicator, frozen_clock
) -> None:
    from tests.helpers import login
    from tracker.actions.models import Measurement

    db.session.add(
        Measurement(indicator=indicator, measured_on=date(2026, 6, 30), value=1e308, recorded_by_id=team.idf_lead.id)
    )
    db.session.commit()
    login(client, team.idf_lead.email)
    assert client.get("/agreements/idf-bxl-2021/dashboard").status_code == 200
    with app.test_request_context():
        from tracker.actions.units import measure

        assert measure(1e308, "people") == "1E308"  # shown as stored, never an error page
