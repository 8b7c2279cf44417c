"""Far-off dates: refused at every door (forms, API, import), and survived by every output when old rows hold them.

The domain of a date people give is 2000-01-01..2099-12-31 (tracker.actions.validation.FIRST_DATE/LAST_DATE).
Rows written before that rule may hold anything a date column takes, 0001-01-01 and 9999-12-31 included: the
calendar feeds, pages, exports, reports, reminders and the API must still answer.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from tests.api.helpers import Api, assert_problem, token_for
from tests.factories import load_agreement, make_action, make_co_lead, make_milestone, make_user, workstream
from tests.forms import submit_form
from tests.helpers import login
from tracker.actions.models import Milestone
from tracker.core.db import db
from tracker.reminders.sweep import sweep
from tracker.reports import render, services

FAR = [date(9999, 12, 31), date(1, 1, 1)]


@pytest.mark.parametrize("far", ["9999-12-31", "0001-01-01", "2100-01-01", "1999-12-31"])
def test_a_far_date_is_refused_by_the_api_and_the_page_with_the_window(client, frozen_clock, far: str) -> None:
    agreement = load_agreement()
    owner = make_user("IDF", language="en")
    action = make_action(workstream(agreement), owner)
    api = Api(client, token_for(owner))
    refused = api.post(f"/actions/{action.id}/milestones", json={"title": "Bilan", "due_on": far})
    body = assert_problem(refused, 422, "validation-failed")
    assert "between January 1, 2000 and December 31, 2099" in str(body["errors"]["due_on"])
    owner.language = "fr"
    db.session.commit()
    login(client, owner.email)
    page = submit_form(client, f"/actions/{action.id}/milestones/new", fields={"title": "Bilan", "due_on": far})
    # The window as a French reader writes it, « 1er » included (not 2000-01-01).
    assert page.status_code == 422 and "entre le 1er janvier 2000 et le 31 décembre 2099" in page.get_data(as_text=True)
    assert db.session.query(Milestone).count() == 0


def test_the_import_refuses_a_far_date_on_its_line(client, frozen_clock) -> None:
    agreement = load_agreement()
    admin = make_user("IDF", "admin")
    header = "action_ref,workstream,title,description,owner_email,lead_party,start_on,due_on,milestone_title,milestone_due_on\n"
    row = f"A1,{workstream(agreement).code},Salon,,{admin.email},IDF,2026-01-05,2026-12-18,Bilan,9999-12-31\n"
    response = client.post(
        "/api/v1/agreements/idf-bxl-2021/import?dry_run=true",
        data={"file": (io.BytesIO((header + row).encode()), "a.csv")},
        headers={"Authorization": f"Bearer {token_for(admin)}"},
        content_type="multipart/form-data",
    )
    errors = assert_problem(response, 422, "import-rejected")["row_errors"]
    assert [(e["line"], e["column"]) for e in errors] == [(2, "milestone_due_on")]
    assert "2099" in errors[0]["message"]


def test_every_output_copes_with_far_dates_already_stored(client, frozen_clock) -> None:
    agreement = load_agreement()
    owner, idf_lead, bxl_lead = make_user("IDF"), make_user("IDF"), make_user("BXL")
    ws = workstream(agreement)
    make_co_lead(ws, idf_lead)
    make_co_lead(ws, bxl_lead)
    action = make_action(ws, owner, start_on=date(1, 1, 1), due_on=date(9999, 12, 31))
    for far in FAR:
        make_milestone(action, far, title=f"Jalon {far.year}")
    make_milestone(action, date(2026, 8, 20), title="Jalon ordinaire")

    for person in (owner, idf_lead, bxl_lead):
        feed = client.get(f"/calendar/{person.feed_token}.ics")
        assert feed.status_code == 200
        starts = {e.decoded("dtstart") for e in Calendar.from_ical(feed.get_data()).walk("VEVENT")}
        assert date(9999, 12, 31) in starts

    login(client, owner.email)
    for path in ("/", f"/actions/{action.id}", f"/agreements/{agreement.slug}/",
                 f"/agreements/{agreement.slug}/workstreams/{ws.code}", "/search?q=Jalon",
                 f"/agreements/{agreement.slug}/export/milestones.csv",
                 f"/agreements/{agreement.slug}/export/actions.xlsx"):  # fmt: skip
        assert client.get(path).status_code == 200, path
    book = load_workbook(io.BytesIO(client.get(f"/agreements/{agreement.slug}/export/milestones.xlsx").data))
    assert book.worksheets[0].max_row == 4

    api = Api(client, token_for(owner, scope="read"))
    for path in (f"/actions/{action.id}", f"/actions/{action.id}/milestones", "/actions?overdue=true"):
        assert api.get(path).status_code == 200, path

    for day in (date(2026, 11, 30), date(2026, 12, 1)):
        sweep(day)  # reminders: due soon, overdue and escalations around the far dates
    db.session.commit()

    report = services.generate_report(agreement, "final")
    db.session.commit()
    html = render.render(report, "fr", "html").decode()
    assert action.title in html and "31 déc. 9999" in html  # the action's outcome row, with its far dates
    assert render.render(report, "en", "xlsx").startswith(b"PK")
