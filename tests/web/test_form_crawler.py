"""Issue 10: every POST form, as rendered, is accepted for every role of each party.

Each role logs in through the login form on a throwaway database holding one of everything (an agreement with
workstreams and co-leads, actions in several states with one awaiting approval, milestones overdue and ahead, a
progress log with a file, a draft report mailed for sign-off, API tokens), follows same-site links from the home
page and submits every POST form it meets with its own fields (tests/crawler.py). A form added to any page is
covered without being listed here. The number of forms submitted per role is recorded as the test's
`forms_submitted` property and printed at the end of the run.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from flask import Flask

from tests import factories
from tests.crawler import crawl
from tests.helpers import login
from tracker.accounts.models import User
from tracker.accounts.services import create_api_token
from tracker.actions import progress
from tracker.actions import services as actions
from tracker.actions.models import ActionStatus, Health, MilestoneStatus
from tracker.core.db import db
from tracker.reports import services as reports

ROLES = ("admin", "coordinator", "co-lead", "reviewer")


def _people() -> dict[tuple[str, str], User]:
    agreement = factories.load_agreement()
    eco = factories.workstream(agreement, "ECO-DEV")
    people: dict[tuple[str, str], User] = {}
    for party, language in (("IDF", "fr"), ("BXL", "nl")):
        for role in ROLES:
            people[party, role] = factories.make_user(
                party, "coordinator" if role == "co-lead" else role, language=language
            )
        factories.make_co_lead(eco, people[party, "co-lead"])
    return people


def _representative_data(people: dict[tuple[str, str], User]) -> None:
    agreement = factories.load_agreement()
    eco, culture = factories.workstream(agreement, "ECO-DEV"), factories.workstream(agreement, "CULTURE")
    owner, bxl_owner = people["IDF", "coordinator"], people["BXL", "coordinator"]
    running = factories.make_action(eco, owner, title="Mission économique croisée", health=Health.AT_RISK)
    factories.make_milestone(running, date(2026, 3, 2), title="Comité de pilotage")  # overdue
    factories.make_milestone(running, date(2026, 12, 10), title="Forum des entreprises")
    factories.make_milestone(
        running, date(2026, 2, 2), title="Lancement", status=MilestoneStatus.DONE, completed_on=date(2026, 2, 2)
    )
    progress.log_progress(
        owner, running, text="Réunion tenue.", percent=40, health="at_risk", attachments=[("cr.txt", BytesIO(b"CR"))]
    )
    proposed = actions.create_action(owner, eco, title="Forum de l'emploi", start_on="2026-01-05", due_on="2026-12-18")
    actions.transition_action(owner, proposed, "proposed")
    factories.make_action(eco, owner, title="Brouillon d'échange", status=ActionStatus.DRAFT)
    factories.make_action(culture, bxl_owner, title="Saison culturelle croisée", status=ActionStatus.ON_HOLD)
    bxl_running = factories.make_action(culture, bxl_owner, title="Résidences d'artistes")
    factories.make_milestone(bxl_running, date(2026, 10, 1), title="Appel à candidatures")
    report = reports.generate_report(agreement, "2026-Q3")
    reports.send_for_signoff(report)
    for user in people.values():
        create_api_token(user, name="export hebdomadaire")
    db.session.commit()


@pytest.mark.parametrize("party", ["IDF", "BXL"])
@pytest.mark.parametrize("role", ROLES)
def test_every_form_as_rendered_is_accepted(
    committed_app: Flask, party: str, role: str, record_property: pytest.RecordProperty
) -> None:
    people = _people()
    email = people[party, role].email
    _representative_data(people)
    db.session.close()  # the crawl's requests write: this thread holds no transaction meanwhile
    client = committed_app.test_client()
    assert login(client, email).status_code == 302

    result = crawl(client)

    record_property("forms_submitted", len(result.submitted))
    summary = f"{party} {role}: {result.report()}"
    assert not result.problems, summary
    assert len(result.pages) > 5 and result.submitted, summary
