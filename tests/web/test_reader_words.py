"""Words and numbers as the reader writes them: numbers inside messages, terms, form messages, dates, names."""

from __future__ import annotations

import re

import lxml.html
import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext, lazy_gettext, ngettext
from sqlalchemy import select

from tests import factories
from tests.forms import submit_form
from tests.helpers import login
from tracker.actions.models import Indicator
from tracker.core.db import db

NNBSP = "\u202f"


def test_numbers_inside_messages_are_written_for_the_reader(app: Flask) -> None:
    template = '{{ ngettext("%(num)d action to close out", "%(num)d actions to close out", n) }}'
    with app.test_request_context():
        with force_locale("fr"):
            assert f"10{NNBSP}000 actions" in ngettext(
                "%(num)d action to close out", "%(num)d actions to close out", 10000
            )
            assert f"10{NNBSP}000 actions" in render_template_string(template, n=10000)
            assert f"12{NNBSP}500" in str(lazy_gettext("At most %(n)d characters.", n=12500))
            # A year or an id is a name, not a quantity: never grouped.
            assert "2026" in gettext("Q%(quarter)s %(year)s", quarter=4, year=2026)
        with force_locale("nl"):
            assert "10.000 acties" in render_template_string(template, n=10000)
            assert "7,4" in gettext("%(label)s: %(value)s", label="x", value=7.4)
        with force_locale("en"):
            assert "10,000 actions" in render_template_string(template, n=10000)


@pytest.mark.parametrize(("lang", "required"), [("fr", "Ce champ est obligatoire."), ("nl", "Dit veld is verplicht.")])
def test_the_forms_own_messages_are_in_the_readers_language(
    app: Flask, client: FlaskClient, frozen_clock, lang: str, required: str
) -> None:
    factories.load_agreement()
    admin = factories.make_user("IDF", "admin", language=lang)
    login(client, admin.email)
    page = client.get("/admin/reminders")
    response = submit_form(client, page, fields={"overdue_first_day": "", "stale_after_days": "3"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert required in html
    errors = " ".join(lxml.html.document_fromstring(html).xpath("//*[contains(@class, 'error')]//text()"))
    assert "This field" not in errors and "Number must" not in errors and "'" not in errors, errors


@pytest.mark.parametrize(
    ("lang", "share", "people", "rank"),
    [
        ("fr", "6,9\u00a0%", f"8{NNBSP}700{NNBSP}000 personnes", "5e position"),
        ("nl", "6,9%", "8.700.000 personen", "5e plaats"),
    ],
)
def test_measurement_values_read_with_their_unit_as_people_write_them(
    app: Flask, client: FlaskClient, frozen_clock, lang: str, share: str, people: str, rank: str
) -> None:
    factories.load_agreement()
    admin = factories.make_user("IDF", "admin", language=lang)
    login(client, admin.email)
    found = {}
    for code in ("BE-FR-EXPORT-SHARE", "BE-FRENCH-SPEAKERS", "BE-FR-CUSTOMER-RANK"):
        indicator = db.session.scalars(select(Indicator).where(Indicator.code == code)).one()
        page = lxml.html.document_fromstring(client.get(f"/indicators/{indicator.id}/measurements/new").get_data())
        found[code] = re.sub(r"[ \n\t]+", " ", " ".join(page.xpath("//main//p[contains(@class, 'meta')]//text()")))
    assert share in found["BE-FR-EXPORT-SHARE"] and "percent" not in found["BE-FR-EXPORT-SHARE"], found
    assert people in found["BE-FRENCH-SPEAKERS"], found
    assert rank in found["BE-FR-CUSTOMER-RANK"] and "rang" not in found["BE-FR-CUSTOMER-RANK"], found  # 5th place


def test_ranks_are_ordinals_in_each_language(app: Flask) -> None:
    from tracker.actions.units import quantity

    with app.test_request_context():
        said = {}
        for lang in ("fr", "nl", "en"):
            with force_locale(lang):
                said[lang] = [quantity(n, "rank") for n in (1, 2, 3, 11, 22)]
    assert said == {
        "fr": ["1re position", "2e position", "3e position", "11e position", "22e position"],
        "nl": ["1e plaats", "2e plaats", "3e plaats", "11e plaats", "22e plaats"],
        "en": ["ranked 1st", "ranked 2nd", "ranked 3rd", "ranked 11th", "ranked 22nd"],
    }


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_parties_are_named_not_coded(app: Flask, client: FlaskClient, frozen_clock, lang: str) -> None:
    agreement = factories.load_agreement()
    admin = factories.make_user("IDF", "admin", language=lang, name="Alice Martin")
    factories.make_user("BXL", "coordinator", name="Bram Peeters")
    login(client, admin.email)
    ws = agreement.workstreams[0]
    page = lxml.html.document_fromstring(
        client.get(f"/agreements/{agreement.slug}/workstreams/{ws.code}/actions/new").get_data()
    )
    owners = page.xpath("//select[@name='owner_id']/option/text()")
    header = " ".join(page.xpath("//*[contains(@class, 'user-name')]//text()"))
    idf, bxl = (s.party.text("name", lang) for s in sorted(agreement.signatories, key=lambda s: s.party.code != "IDF"))
    assert any(f"({bxl})" in o for o in owners) and not any("(BXL)" in o or "(IDF)" in o for o in owners), owners
    assert idf in header and "IDF" not in header.replace(idf, ""), header
