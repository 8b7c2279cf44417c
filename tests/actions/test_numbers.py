"""Numbers typed as each reader writes them (« 7,4 », « 1 234,5 », `1.234,5`) and counts without decimals."""

from __future__ import annotations

from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import PASSWORD
from tests.forms import submit_form
from tests.workspace.conftest import World
from tracker.actions.models import Direction, Indicator, Measurement
from tracker.core.db import db

# A figure in millions of euros: decimals and thousands, unlike a percentage (bounded to 0–100) or a count.
TRADE = "FR-BE-EXPORTS-MEUR"


@pytest.fixture
def trade(world: World) -> Indicator:
    made = Indicator(agreement_id=world.agreement.id, workstream_id=world.ws.id, code=TRADE, unit="MEUR",
                     name_fr="Exportations françaises vers la Belgique", name_en="French exports to Belgium",
                     name_nl="Franse export naar België", direction=Direction.INCREASE, baseline_value=25.5,
                     baseline_on=date(2021, 9, 23))  # fmt: skip
    db.session.add(made)
    db.session.commit()
    return made


def log_in(client: FlaskClient, email: str) -> None:
    assert submit_form(client, "/login", fields={"email": email, "password": PASSWORD}).status_code == 302


def indicator(code: str) -> Indicator:
    return db.session.scalars(select(Indicator).where(Indicator.code == code)).one()


def record(client: FlaskClient, code: str, value: str):
    return submit_form(
        client,
        f"/indicators/{indicator(code).id}/measurements/new",
        fields={"measured_on": "2026-03-01", "value": value, "source": "Douanes"},
    )


def values(code: str) -> list[float]:
    return list(db.session.scalars(select(Measurement.value).where(Measurement.indicator_id == indicator(code).id)))


def test_a_french_reader_types_a_decimal_comma_and_grouped_thousands(
    client: FlaskClient, world: World, trade: Indicator
) -> None:
    log_in(client, world.co_lead.email)  # French by default
    assert record(client, TRADE, "7,4").status_code == 303
    assert record(client, TRADE, "1 234,5").status_code == 303
    assert record(client, TRADE, "7.5").status_code == 303  # a point still reads as decimals
    assert record(client, TRADE, "2.345,5").status_code == 303  # grouped the Belgian way
    assert record(client, TRADE, "3\u202f456,5").status_code == 303  # narrow no-break space
    assert record(client, TRADE, "4\u00a0567,5").status_code == 303
    assert sorted(values(TRADE)) == [7.4, 7.5, 1234.5, 2345.5, 3456.5, 4567.5]
    refused = record(client, TRADE, "7,4,1")
    assert refused.status_code == 422 and "Un nombre est nécessaire." in refused.get_data(as_text=True)


def test_a_dutch_reader_types_dutch_grouping(client: FlaskClient, world: World, trade: Indicator) -> None:
    world.co_lead.language = "nl"
    db.session.commit()
    log_in(client, world.co_lead.email)
    assert record(client, TRADE, "1.234,5").status_code == 303
    assert values(TRADE) == [1234.5]


def test_a_count_of_people_takes_no_decimals_and_reads_grouped(client: FlaskClient, world: World) -> None:
    log_in(client, world.admin.email)
    refused = record(client, "BE-COMMUNITY-IDF", "63 595,18")
    assert refused.status_code == 422
    assert "Cet indicateur compte des unités entières" in refused.get_data(as_text=True)
    assert record(client, "BE-COMMUNITY-IDF", "63 595").status_code == 303
    page = client.get("/agreements/idf-bxl-2021/dashboard").get_data(as_text=True)
    # The value reads with its unit as people write it, not with the unit's name aside (« (personnes) »).
    assert "63\u202f595\u00a0personnes" in page or "63\u202f595 personnes" in page, page
    assert "(personnes)" not in page and "63\u202f595,18" not in page
