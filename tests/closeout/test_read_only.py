"""A closed agreement is read-only everywhere: every write, by page or API, is refused with one clear message;
pages stop offering their forms; everything stays readable and exportable."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.api.helpers import Api, assert_problem, token_for
from tests.closeout.closing import close
from tests.factories import load_agreement, make_co_lead, make_user, workstream
from tests.helpers import login, text
from tracker.actions.models import Action, Indicator, Measurement, Milestone, ProgressUpdate
from tracker.agreements import amendments
from tracker.agreements.models import Agreement, Amendment, WorkstreamLead
from tracker.core.db import db
from tracker.core.errors import InvalidTransition
from tracker.mail.models import OutboxMessage
from tracker.people import services as people_admin
from tracker.reminders.digest import render_digests
from tracker.reminders.sweep import sweep
from tracker.reports.models import Report
from tracker.reports.services import generate_report, reports_awaiting

CLOSED_FR = "Cet accord est clôturé\u202f: plus rien n’y peut changer"
CLOSED_EN = "This agreement is closed: nothing in it can change any more"


@pytest.fixture
def closed(app: Flask, frozen_clock) -> dict:
    agreement = load_agreement(ended=True)
    people = close(agreement, frozen_clock)
    make_co_lead(workstream(agreement, "CULTURE"), people["owner"])
    return {**people, "agreement": agreement}


def counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Action, Milestone, ProgressUpdate, Measurement, Amendment)
    )


def test_the_pages_offer_no_write_and_refuse_one_posted_anyway(client: FlaskClient, closed: dict) -> None:
    carried = closed["carried_over"]
    before = counts()
    login(client, closed["owner"].email)
    page = text(client.get(f"/actions/{carried.id}"))
    assert "Saison croisée" in page and "Comité de pilotage" in page  # everything stays readable
    for offered in ("Modifier l’action", "Ajouter un jalon", "Consigner l’avancement", 'action="/milestones/'):
        assert offered not in page, offered
    assert f'action="/actions/{carried.id}/transition"' not in page
    assert "Nouvelle action" not in text(client.get("/agreements/idf-bxl-2021/workstreams/CULTURE"))
    imports = text(client.get("/agreements/idf-bxl-2021/import"))
    assert 'enctype="multipart/form-data"' not in imports and "export" in imports.lower()
    assert client.get("/agreements/idf-bxl-2021/export/actions.csv").status_code == 200  # still exportable

    # A write form reached by its address (a bookmark) shows the reason instead of itself.
    forms = (
        f"/actions/{carried.id}/progress",
        f"/actions/{carried.id}/edit",
        f"/actions/{carried.id}/milestones/new",
        f"/milestones/{carried.milestones[0].id}/edit",
    )
    for path in forms:
        shown = client.get(path)
        assert shown.status_code == 200 and CLOSED_FR in text(shown), path
        assert f'action="{path}"' not in text(shown) and '<form method="post" novalidate' not in text(shown), path
    # One posted anyway (an old tab) is refused with the reason, changing nothing.
    token = _token(client, f"/actions/{carried.id}")
    progress = client.post(forms[0], data={"text": "Dernier bilan", "percent": "80", "csrf_token": token})
    assert progress.status_code == 422 and CLOSED_FR in text(progress)
    edit = client.post(forms[1], data={"title": "Saison croisée 2027", "csrf_token": token})
    assert edit.status_code == 422 and CLOSED_FR in text(edit)
    milestone = client.post(forms[2], data={"title": "Bilan", "due_on": "2027-01-15", "csrf_token": token})
    assert milestone.status_code == 422 and CLOSED_FR in text(milestone)
    transition = client.post(
        f"/actions/{carried.id}/transition",
        data={"to": "on_hold", "csrf_token": token},
        follow_redirects=True,
    )
    assert CLOSED_FR in text(transition)
    db.session.expire_all()
    assert counts() == before and db.session.get(Action, carried.id).title == "Saison croisée"
    assert db.session.get(Action, carried.id).status == "active"


def _token(client: FlaskClient, path: str) -> str:
    """The CSRF token of a page the person may open (its sign-out form's: no write form is rendered any more)."""
    body = client.get(path).get_data(as_text=True)
    marker = 'name="csrf_token" value="'
    return body.split(marker, 1)[1].split('"', 1)[0]


def test_measurements_co_leads_and_amendments_are_refused_too(client: FlaskClient, closed: dict) -> None:
    agreement: Agreement = closed["agreement"]
    admin = closed["idf_admin"]
    indicator = db.session.scalars(select(Indicator).where(Indicator.agreement_id == agreement.id)).first()
    before = counts()
    login(client, admin.email)
    measure = f"/indicators/{indicator.id}/measurements/new"
    shown = text(client.get(measure))  # the form's address shows the reason instead of the form
    assert CLOSED_FR in shown and f'action="{measure}"' not in shown and 'name="value"' not in shown
    data = {"measured_on": "2026-10-01", "value": "12", "csrf_token": _token(client, measure)}
    measured = client.post(measure, data=data)  # posted anyway, from an old tab
    assert measured.status_code == 422 and CLOSED_FR in text(measured)
    assert "Enregistrer une mesure" not in text(client.get("/agreements/idf-bxl-2021/dashboard"))
    co_leads = text(client.get("/admin/co-leads"))
    assert "accord clôturé" in co_leads
    culture = workstream(agreement, "CULTURE")
    assert f'action="/admin/co-leads/{culture.id}"' not in co_leads
    colleague = make_user("IDF", language="fr")
    with pytest.raises(InvalidTransition, match="closed"):
        people_admin.set_co_lead(admin, culture.id, colleague.id)
    db.session.rollback()
    assert 'action="/agreements/idf-bxl-2021/amendments"' not in text(client.get("/agreements/idf-bxl-2021/amendments"))
    forged = {"reference": "Avenant 1", "signed_on": "2026-11-20", "new_ends_on": "2027-09-22"}
    posted = client.post(
        "/agreements/idf-bxl-2021/amendments", data={**forged, "csrf_token": _token(client, measure)}
    )  # from an old tab
    assert posted.status_code == 422 and CLOSED_FR in text(posted)
    with pytest.raises(InvalidTransition, match="closed"):
        amendments.record_amendment(
            admin, agreement, reference="Avenant 1", signed_on=date(2026, 11, 20), new_ends_on=date(2027, 9, 22)
        )
    db.session.rollback()
    assert counts() == before
    lead = db.session.get(WorkstreamLead, (culture.id, admin.party_id))
    assert lead is None or lead.user_id != colleague.id


def test_the_api_refuses_every_write_with_a_problem_and_still_reads(client: FlaskClient, closed: dict) -> None:
    carried = closed["carried_over"]
    api = Api(client, token_for(closed["owner"]))
    before = counts()
    action = api.get(f"/actions/{carried.id}")
    assert action.status_code == 200 and action.get_json()["title"] == "Saison croisée"
    agreement = api.get("/agreements/idf-bxl-2021").get_json()
    assert agreement["status"] == "closed"
    refused = [
        api.patch(f"/actions/{carried.id}", json={"version": action.get_json()["version"], "title": "Autre"}),
        api.post(f"/actions/{carried.id}/updates", json={"text": "Bilan", "percent": 90, "health": "on_track"}),
        api.post(f"/actions/{carried.id}/milestones", json={"title": "Bilan", "due_on": "2027-02-01"}),
        api.post(f"/actions/{carried.id}/transitions", json={"to": "on_hold"}),
    ]
    for response in refused:
        body = assert_problem(response, 409, "invalid-transition")
        assert CLOSED_EN in body["title"], body  # the API speaks English
    ws = workstream(closed["agreement"], "CULTURE")
    created = api.post(
        "/actions",
        json={"workstream_id": ws.id, "title": "Nouvelle", "lead_party": "IDF", "owner_id": closed["owner"].id},
    )
    assert created.status_code == 409, created.get_json()
    db.session.expire_all()
    assert counts() == before


def test_a_person_who_leaves_is_deactivated_without_touching_the_closed_agreement(closed: dict) -> None:
    owner, admin = closed["owner"], closed["idf_admin"]
    handed = people_admin.deactivate(admin, owner, successor_id=None)  # nothing open to hand over any more
    db.session.commit()
    assert handed.empty and not owner.active
    assert db.session.get(Action, closed["carried_over"].id).owner_id == owner.id  # the record stays as it was


def test_the_scheduled_report_generation_leaves_a_closed_agreement_alone(closed: dict, frozen_clock) -> None:
    from tracker.reports.jobs import report_generation
    from tracker.scheduling.jobs import JobContext

    before = db.session.scalar(select(func.count()).select_from(Report))
    assert report_generation(JobContext("report_generation", frozen_clock.now())) == {"generated": [], "mailed": 0}
    assert db.session.scalar(select(func.count()).select_from(Report)) == before


def test_loading_its_data_file_again_changes_nothing_and_a_change_is_refused_in_one_line(
    app: Flask, closed: dict, tmp_path
) -> None:
    runner = app.test_cli_runner()
    same = runner.invoke(args=["agreements", "load", "config/agreements/idf-bxl-2021.yaml"])
    assert same.exit_code == 0, same.output
    changed = tmp_path / "changed.yaml"
    source = Path("config/agreements/idf-bxl-2021.yaml").read_text(encoding="utf-8")
    changed.write_text(source.replace("Economic development", "Economic growth", 1), encoding="utf-8")
    assert source != changed.read_text(encoding="utf-8")
    refused = runner.invoke(args=["agreements", "load", str(changed)])
    assert refused.exit_code != 0 and "This agreement is closed" in refused.output
    assert "Traceback" not in refused.output and len(refused.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("ends_on: 2026-09-22", "ends_on: 2026-12-31"),  # the agreement's own fields
        ("  fr: Accord de coopération entre", "  fr: Accord de coopération renouvelée entre"),
        ("signed_by: Rudi Vervoort", "signed_by: Elke Van den Brandt"),  # who signed for a party
    ],
)
def test_a_data_file_changing_the_closed_agreement_itself_is_refused_in_one_line(
    app: Flask, closed: dict, tmp_path, before: str, after: str
) -> None:
    agreement = closed["agreement"]
    kept = (agreement.ends_on, agreement.title_fr, [s.signed_by for s in agreement.signatories])
    changed = tmp_path / "changed.yaml"
    source = Path("config/agreements/idf-bxl-2021.yaml").read_text(encoding="utf-8")
    assert before in source
    changed.write_text(source.replace(before, after, 1), encoding="utf-8")
    refused = app.test_cli_runner().invoke(args=["agreements", "load", str(changed)])
    assert refused.exit_code != 0 and "This agreement is closed" in refused.output
    assert "Traceback" not in refused.output and len(refused.output.strip().splitlines()) == 1
    db.session.expire_all()
    assert (agreement.ends_on, agreement.title_fr, [s.signed_by for s in agreement.signatories]) == kept


def test_a_closed_agreement_can_still_be_renewed_and_its_carried_over_action_moves(closed: dict) -> None:
    """Renewal links the successor and moves the carried-over actions: it reads the closed agreement and writes only
    the links, which the read-only rule leaves to it (regions may decide on a successor after closing)."""
    from datetime import date

    from tracker.closeout import renewal

    agreement: Agreement = closed["agreement"]
    successor = renewal.renew(
        agreement,
        by=closed["idf_admin"],
        slug="idf-bxl-2026",
        starts_on=date(2026, 9, 23),
        ends_on=date(2031, 9, 22),
        signed_on=date(2026, 9, 15),
    )
    db.session.commit()
    moved = closed["carried_over"].continued_by
    assert successor.succeeds_id == agreement.id and moved is not None
    assert moved.workstream.agreement_id == successor.id


def test_report_texts_and_report_generation_show_the_reason_instead_of_their_form(
    client: FlaskClient, closed: dict
) -> None:
    """The write forms still reachable by address under a closed agreement: a report text of a period whose report
    is not published (the last quarter), and the report generation of the reports page."""
    login(client, closed["idf_admin"].email)
    before = db.session.scalar(select(func.count()).select_from(Report))
    summary = "/agreements/idf-bxl-2021/narratives/2026-Q3/summary"
    period = text(client.get("/agreements/idf-bxl-2021/narratives/2026-Q3/"))
    assert CLOSED_FR in period and f'href="{summary}"' not in period  # no « Écrire » link either
    shown = client.get(summary)
    assert shown.status_code == 200 and CLOSED_FR in text(shown)
    assert f'action="{summary}"' not in text(shown) and 'name="text_fr"' not in text(shown)
    posted = client.post(summary, data={"text_fr": "Bilan", "version": "0", "csrf_token": _token(client, summary)})
    assert posted.status_code in (409, 422) and CLOSED_FR in text(posted)  # an old tab: refused with the reason
    reports_page = text(client.get("/agreements/idf-bxl-2021/reports/"))
    assert CLOSED_FR in reports_page and 'action="/agreements/idf-bxl-2021/reports/"' not in reports_page
    assert 'name="period"' not in reports_page and "Rapport final" in reports_page  # the reports stay readable
    assert db.session.scalar(select(func.count()).select_from(Report)) == before


def test_a_closed_agreements_unpublished_reports_are_offered_to_no_one_for_signing(
    client: FlaskClient, app: Flask, frozen_clock
) -> None:
    agreement = load_agreement(ended=True)
    draft = generate_report(agreement, "2026-Q3")
    db.session.commit()
    people = close(agreement, frozen_clock)
    reviewer = people["bxl_reviewer"]
    assert reports_awaiting(reviewer) == []
    login(client, reviewer.email)
    response = client.get(f"/reports/{draft.id}")
    assert response.status_code == 200 and "Ondertekenen voor mijn partij" not in text(response)
    sweep(date(2026, 11, 30))
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient_id == reviewer.id, OutboxMessage.template == "digest")
    ).all()
    rendered = [r.text for r in render_digests(rows).values() if r is not None]
    assert not any(f"/reports/{draft.id}" in body for body in rendered)
