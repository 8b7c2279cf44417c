"""Who may do what: every URL and verb of the application, for each role and party, as a table.

The JSON API's routes are tabled the same way in tests/api/test_permission_matrix.py (bearer tokens).
A route missing from MATRIX fails `test_every_route_is_in_the_matrix`: whoever adds a route adds its row
(see ROW HELPERS below: `everyone(200)`, `agreement_readers(200)`, `editors(303)`, `admins(200)`, ...).
SCOPE_ROWS add rows for objects of another party (a mail to the outsider, the outsider's account): the admin
gets 404 for them too.
Roles: anonymous; owner (IDF coordinator owning the action); co_lead (BXL coordinator co-leading ECO-DEV);
coordinator (IDF, neither owner nor co-lead); reviewer (BXL); admin (IDF); outsider (coordinator of a party
that did not sign the agreement: every object of the agreement is 404 for them).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import factories
from tests.helpers import csrf_check_off, login
from tracker.accounts.models import User
from tracker.accounts.services import create_api_token
from tracker.actions import services
from tracker.actions.models import Indicator
from tracker.core.db import db
from tracker.reminders.unsubscribe import unsubscribe_token

ROLES = ("anonymous", "owner", "co_lead", "coordinator", "reviewer", "admin", "outsider")
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass(frozen=True)
class Row:
    path: str  # placeholders: {action} {milestone} {attachment} {indicator} {message}
    expect: dict[str, int]
    data: Callable[[Any], dict[str, Any]] | None = None  # form fields of a POST (the CSRF token is added)


# ROW HELPERS: expected status per role, from a default and overrides.
def statuses(default: int, **overrides: int) -> dict[str, int]:
    return {role: overrides.get(role, default) for role in ROLES}


def everyone(status: int, **overrides: int) -> dict[str, int]:
    """Any logged-in user gets `status`; anonymous visitors are sent to the login page."""
    return statuses(status, anonymous=302, **overrides)


def agreement_readers(status: int, **overrides: int) -> dict[str, int]:
    """Everyone of a party of the agreement; outsiders get 404."""
    return everyone(status, outsider=404, **overrides)


def editors(status: int, **overrides: int) -> dict[str, int]:
    """The action's owner, the workstream's co-leads and admins; other coordinators and reviewers get 403."""
    return agreement_readers(status, coordinator=403, reviewer=403, **overrides)


def admins(status: int, **overrides: int) -> dict[str, int]:
    return everyone(403, admin=status, **overrides)


ACTION_FORM = {"title": "Titre", "start_on": "2026-01-05", "due_on": "2026-12-18"}

MATRIX: dict[tuple[str, str], Row] = {
    ("static", "GET"): Row("/static/css/app.css", statuses(200)),
    ("web.index", "GET"): Row("/", everyone(200)),
    ("web.healthz", "GET"): Row("/healthz", statuses(200)),
    ("web.favicon", "GET"): Row("/favicon.ico", statuses(200)),
    ("web.set_language", "POST"): Row("/language", statuses(302), lambda w: {"lang": "en", "next": "/"}),
    ("accounts.login", "GET"): Row(
        "/login", statuses(200, owner=302, co_lead=302, coordinator=302, reviewer=302, admin=302, outsider=302)
    ),
    ("accounts.login", "POST"): Row("/login", statuses(302, anonymous=200), lambda w: {"email": "x@example.org"}),
    ("accounts.logout", "POST"): Row("/logout", statuses(302), lambda w: {}),
    ("accounts.profile", "GET"): Row("/profile", everyone(200)),
    ("accounts.profile", "POST"): Row("/profile", everyone(422), lambda w: {"profile-name": ""}),
    ("accounts.change_password", "POST"): Row("/profile/password", everyone(422), lambda w: {}),
    ("agreements.index", "GET"): Row("/agreements/", everyone(200)),
    ("agreements.show", "GET"): Row("/agreements/idf-bxl-2021/", agreement_readers(200)),
    ("agreements.amendments_page", "GET"): Row("/agreements/idf-bxl-2021/amendments", agreement_readers(200)),
    ("agreements.amendments_page", "POST"): Row(
        "/agreements/idf-bxl-2021/amendments", admins(422, outsider=404), lambda w: {"reference": ""}
    ),
    ("closeout.page", "GET"): Row("/agreements/idf-bxl-2021/close-out", agreement_readers(200)),
    # The agreement is in force in this table: nothing to close out yet (a decision is refused, changing nothing).
    ("closeout.page", "POST"): Row(
        "/agreements/idf-bxl-2021/close-out",
        agreement_readers(303),
        lambda w: {"action_ids": w.action.id, "decision": "cancelled", "note": "Fin"},
    ),
    # In force: there is nothing to close yet; the refusal is flashed on the close-out page.
    ("closeout.close", "POST"): Row("/agreements/idf-bxl-2021/close", agreement_readers(303), lambda w: {}),
    # In force in this table: admins read why there is no successor to prepare yet; their POST comes back refused.
    ("closeout.renew", "GET"): Row("/agreements/idf-bxl-2021/renew", admins(200, outsider=404)),
    ("closeout.renew", "POST"): Row(
        "/agreements/idf-bxl-2021/renew", admins(422, outsider=404), lambda w: {"slug": "idf-bxl-2027", "confirm": "y"}
    ),
    # Nothing is proposed (in force): an admin's confirmation comes back refused on the form, a withdrawal is flashed.
    ("closeout.confirm_renewal", "POST"): Row(
        "/agreements/idf-bxl-2021/renew/confirm", admins(422, outsider=404), lambda w: {"confirm-confirm": "y"}
    ),
    ("closeout.withdraw_renewal", "POST"): Row(
        "/agreements/idf-bxl-2021/renew/withdraw", admins(303, outsider=404), lambda w: {}
    ),
    # Admins and reviewers download the archive package; here the agreement is in force, so there is none yet
    # (404 « being prepared »); coordinators may not download it at all.
    ("closeout.archive", "GET"): Row(
        "/agreements/idf-bxl-2021/archive.zip", agreement_readers(404, owner=403, co_lead=403, coordinator=403)
    ),
    ("agreements.confirm_amendment", "POST"): Row(
        "/agreements/idf-bxl-2021/amendments/999999/confirm", everyone(404), lambda w: {}
    ),
    ("workspace.dashboard", "GET"): Row("/agreements/idf-bxl-2021/dashboard", agreement_readers(200)),
    ("workspace.workstream", "GET"): Row("/agreements/idf-bxl-2021/workstreams/ECO-DEV", agreement_readers(200)),
    ("workspace.search", "GET"): Row("/search?q=mission", everyone(200)),
    ("actions.milestones", "GET"): Row("/agreements/idf-bxl-2021/milestones/overdue", agreement_readers(200)),
    ("actions.progress", "GET"): Row("/agreements/idf-bxl-2021/progress", agreement_readers(200)),
    ("workspace.my_work_list", "GET"): Row("/my-work/milestones", everyone(200)),
    ("actions.action", "GET"): Row("/actions/{action}", agreement_readers(200)),
    ("actions.new_action", "GET"): Row(
        "/agreements/idf-bxl-2021/workstreams/ECO-DEV/actions/new", agreement_readers(200, reviewer=403)
    ),
    ("actions.new_action", "POST"): Row(
        "/agreements/idf-bxl-2021/workstreams/ECO-DEV/actions/new",
        agreement_readers(303, reviewer=403),
        lambda w: {**ACTION_FORM, "owner_id": w.users["owner"].id, "lead_party_id": w.users["owner"].party_id},
    ),
    ("actions.edit_action", "GET"): Row("/actions/{action}/edit", editors(200)),
    ("actions.edit_action", "POST"): Row(
        "/actions/{action}/edit",
        editors(303),
        lambda w: {
            **ACTION_FORM,
            "owner_id": w.action.owner_id,
            "lead_party_id": w.action.lead_party_id,
            "version": w.action.version,
        },
    ),
    ("actions.new_milestone", "GET"): Row("/actions/{action}/milestones/new", editors(200)),
    ("actions.new_milestone", "POST"): Row(
        "/actions/{action}/milestones/new", editors(303), lambda w: {"title": "Comité", "due_on": "2026-05-01"}
    ),
    ("actions.edit_milestone", "GET"): Row("/milestones/{milestone}/edit", editors(200)),
    ("actions.edit_milestone", "POST"): Row(
        "/milestones/{milestone}/edit",
        editors(303),
        lambda w: {"title": "Comité", "due_on": "2026-06-01", "version": w.milestone.version},
    ),
    ("actions.log_progress", "GET"): Row("/actions/{action}/progress", editors(200)),
    ("actions.log_progress", "POST"): Row(
        "/actions/{action}/progress", editors(303), lambda w: {"text": "Fait", "percent": "10", "health": "on_track"}
    ),
    ("actions.download", "GET"): Row("/attachments/{attachment}/download", agreement_readers(200)),
    ("actions.new_measurement", "GET"): Row("/indicators/{indicator}/measurements/new", editors(200, owner=403)),
    ("actions.new_measurement", "POST"): Row(
        "/indicators/{indicator}/measurements/new",
        editors(303, owner=403),
        lambda w: {"measured_on": "2025-06-01", "value": "7"},
    ),
    ("actions.approvals", "GET"): Row("/approvals", everyone(200)),
    ("actions.action_transition", "POST"): Row(
        "/actions/{action}/transition", editors(303), lambda w: {"to": "on_hold"}
    ),
    ("actions.milestone_transition", "POST"): Row(
        "/milestones/{milestone}/transition",
        editors(303),
        lambda w: {"to": "cancelled", "comment": "Plus utile", "version": w.milestone.version},
    ),
    ("reminders.settings_page", "GET"): Row("/admin/reminders", admins(200)),
    ("reminders.settings_page", "POST"): Row("/admin/reminders", admins(422), lambda w: {"due_soon_days": "x"}),
    # The link in each digest works without logging in (the token names its person); a forged one is 404.
    ("reminders.unsubscribe_page", "GET"): Row("/unsubscribe/{unsubscribe}", statuses(200)),
    ("reminders.unsubscribe_now", "POST"): Row("/unsubscribe/{unsubscribe}", statuses(200), lambda w: {}),
    ("audit.index", "GET"): Row("/admin/audit", admins(200)),
    ("audit.export", "GET"): Row("/admin/audit/export.csv", admins(200)),
    ("transfer.export_agreement", "GET"): Row("/agreements/idf-bxl-2021/export/actions.csv", agreement_readers(200)),
    ("transfer.export_workstream", "GET"): Row(
        "/agreements/idf-bxl-2021/workstreams/ECO-DEV/export/milestones.xlsx", agreement_readers(200)
    ),
    ("transfer.import_template", "GET"): Row("/agreements/idf-bxl-2021/import/template.csv", agreement_readers(200)),
    ("transfer.import_page", "GET"): Row("/agreements/idf-bxl-2021/import", agreement_readers(200)),
    ("transfer.import_page", "POST"): Row("/agreements/idf-bxl-2021/import", agreement_readers(422), lambda w: {}),
    # The calendar address works without logging in: its token names the person.
    ("feeds.calendar_feed", "GET"): Row("/calendar/{feed}.ics", statuses(200)),
    ("tokens.create_token", "POST"): Row(
        "/profile/tokens",
        everyone(201),
        lambda w: {"token-name": "Tableur", "token-scope": "read", "token-expires_in": "90"},
    ),
    ("tokens.revoke_token", "GET"): Row("/profile/tokens/{token}/revoke", everyone(404, owner=200)),
    ("tokens.revoke_token", "POST"): Row("/profile/tokens/{token}/revoke", everyone(404, owner=302), lambda w: {}),
    ("tokens.reset_feed", "POST"): Row("/profile/feed/reset", everyone(302), lambda w: {}),
    ("days_off.index", "GET"): Row("/admin/days-off", admins(200)),
    ("days_off.add", "POST"): Row("/admin/days-off", admins(422), lambda w: {"on": "soon"}),
    ("days_off.remove", "POST"): Row("/admin/days-off/2026-12-01/delete", admins(404), lambda w: {}),
    ("people.index", "GET"): Row("/admin/people", admins(200)),
    ("people.invite", "POST"): Row("/admin/people", admins(422), lambda w: {}),
    ("people.show", "GET"): Row("/admin/people/{person}", admins(200)),
    ("people.update", "POST"): Row("/admin/people/{person}", admins(422), lambda w: {}),
    # The person owns an action: deactivating them needs a colleague to hand it to.
    ("people.deactivate", "POST"): Row("/admin/people/{person}/deactivate", admins(422), lambda w: {}),
    ("people.co_leads", "GET"): Row("/admin/co-leads", admins(200)),
    ("people.set_co_lead", "POST"): Row("/admin/co-leads/{workstream}", admins(302), lambda w: {}),
    # Mailed links: a forged one is 404 for everyone; asking for a reset link is open to all.
    ("passwords.welcome", "GET"): Row("/welcome/forged", statuses(404)),
    ("passwords.welcome", "POST"): Row("/welcome/forged", statuses(404), lambda w: {}),
    ("passwords.reset", "GET"): Row("/password/reset/forged", statuses(404)),
    ("passwords.reset", "POST"): Row("/password/reset/forged", statuses(404), lambda w: {}),
    ("passwords.forgot", "GET"): Row("/password/forgot", statuses(200)),
    ("passwords.forgot", "POST"): Row("/password/forgot", statuses(422), lambda w: {}),
    ("mail.index", "GET"): Row("/admin/outbox", admins(200)),
    ("mail.show", "GET"): Row("/admin/outbox/{message}", admins(200)),
    ("mail.body_html", "GET"): Row("/admin/outbox/{message}/body.html", admins(200)),
    ("mail.resend", "POST"): Row("/admin/outbox/{message}/resend", admins(422), lambda w: {}),  # no confirmation
    ("mail.send_test", "POST"): Row("/admin/outbox/test", admins(302), lambda w: {}),
    ("reports.static", "GET"): Row("/static/reports/report.css", statuses(200)),
    ("reports.index", "GET"): Row("/agreements/idf-bxl-2021/reports/", agreement_readers(200)),
    # Only admins generate (a bad period: 422); the others are refused before the period is read.
    ("reports.generate", "POST"): Row(
        "/agreements/idf-bxl-2021/reports/", agreement_readers(403, admin=422), lambda w: {"period": "Q9"}
    ),
    ("reports.show", "GET"): Row("/reports/{report}", agreement_readers(200)),
    # A draft's file: the scheduler prepares it, the page says so meanwhile (202).
    ("reports.download", "GET"): Row("/reports/{report}/fr.xlsx", agreement_readers(202)),
    # Sign and return answer with a redirect to the report, whose message says what happened (only the
    # reviewer's succeed); outsiders get 404.
    ("reports.sign", "POST"): Row("/reports/{report}/sign", agreement_readers(302), lambda w: {}),
    # Regenerating (a new version of the report's period): admins only, back to the new version's page.
    ("reports.regenerate", "POST"): Row("/reports/{report}/regenerate", agreement_readers(403, admin=302), lambda w: {}),
    ("reports.return_", "POST"): Row(
        "/reports/{report}/return", agreement_readers(302), lambda w: {"return-comment": "À revoir"}
    ),
    # Report texts: everyone of the agreement reads them; a workstream's co-leads write its assessment (admins
    # write the executive summary, not the assessments).
    ("reports.narratives_index", "GET"): Row("/agreements/idf-bxl-2021/narratives/", agreement_readers(200)),
    ("reports.narratives_period", "GET"): Row("/agreements/idf-bxl-2021/narratives/final/", agreement_readers(200)),
    ("reports.narrative_edit", "GET"): Row(
        "/agreements/idf-bxl-2021/narratives/final/ECO-DEV", agreement_readers(403, co_lead=200)
    ),
    ("reports.narrative_edit", "POST"): Row(
        "/agreements/idf-bxl-2021/narratives/final/ECO-DEV",
        agreement_readers(403, co_lead=303),
        lambda w: {"text_fr": "Bilan de l’axe.", "version": "0"},
    ),
    ("reports.narrative_history", "GET"): Row(
        "/agreements/idf-bxl-2021/narratives/final/ECO-DEV/history", agreement_readers(200)
    ),
}


# Admin routes asked about what concerns another party: a mail to the outsider, about no agreement of the admin's.
SCOPE_ROWS: list[tuple[str, str, Row]] = [
    ("mail.show", "GET", Row("/admin/outbox/{foreign_message}", admins(404))),
    ("mail.body_html", "GET", Row("/admin/outbox/{foreign_message}/body.html", admins(404))),
    ("mail.resend", "POST", Row("/admin/outbox/{foreign_message}/resend", admins(404), lambda w: {"confirm": "y"})),
    ("people.show", "GET", Row("/admin/people/{outsider}", admins(404))),
    ("people.update", "POST", Row("/admin/people/{outsider}", admins(404), lambda w: {"role": "admin"})),
    ("people.deactivate", "POST", Row("/admin/people/{outsider}/deactivate", admins(404), lambda w: {})),
]


@dataclass
class Objects:
    users: dict[str, User]
    action: Any
    milestone: Any
    ids: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def objects(app: Flask) -> Objects:
    agreement = factories.load_agreement()
    ws = factories.workstream(agreement, "ECO-DEV")
    factories.make_party("OTH")
    users = {
        "owner": factories.make_user("IDF", "coordinator"),
        "co_lead": factories.make_user("BXL", "coordinator"),
        "coordinator": factories.make_user("IDF", "coordinator"),
        "reviewer": factories.make_user("BXL", "reviewer"),
        "admin": factories.make_user("IDF", "admin"),
        "outsider": factories.make_user("OTH", "coordinator"),
    }
    factories.make_co_lead(ws, users["co_lead"])
    action = factories.make_action(ws, users["owner"])
    milestone = factories.make_milestone(action, factories.date(2026, 4, 1))
    attachment = services.store_evidence(users["owner"], action, "preuve.pdf", io.BytesIO(PDF))
    from tracker.mail.services import queue_test_message

    message = queue_test_message(users["admin"])
    foreign_message = _mail_to(users["outsider"])
    from tracker.reports.services import generate_report

    report = generate_report(agreement, "2026-Q3")
    db.session.commit()
    indicator = db.session.query(Indicator).filter_by(code="BE-FR-EXPORT-SHARE").one()
    ids = {
        "action": action.id,
        "milestone": milestone.id,
        "attachment": attachment.id,
        "indicator": indicator.id,
        "message": message.id,
        "foreign_message": foreign_message.id,
        "report": report.id,
        "workstream": ws.id,
        "person": users["owner"].id,
        "outsider": users["outsider"].id,
        "unsubscribe": unsubscribe_token(users["reviewer"]),
        "feed": users["owner"].feed_token,
        "token": create_api_token(users["owner"], name="matrix", scope="read", expires_in_days=1)[0].id,
    }
    return Objects(users=users, action=action, milestone=milestone, ids=ids)


def _mail_to(user: User) -> Any:
    from tracker.mail.outbox import queue_mail

    return queue_mail(to=user, template="test_message", context={"requested_by": "OTH"}, dedupe_key="matrix:oth")


def _routes(app: Flask) -> set[tuple[str, str]]:
    """Every (endpoint, method) but the JSON API's, which tests/api/test_permission_matrix.py tables the same way."""
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if not rule.rule.startswith("/api/")
        for method in rule.methods or ()
        if method not in {"HEAD", "OPTIONS"}
    }


def test_every_route_is_in_the_matrix(app: Flask) -> None:
    routes = _routes(app)
    missing = sorted(routes - set(MATRIX))
    assert not missing, f"add these routes to MATRIX in {__file__}: {missing}"
    assert not sorted(set(MATRIX) - routes), "MATRIX lists routes that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says(client: FlaskClient, objects: Objects, role: str) -> None:
    user = objects.users.get(role)
    if user is not None:
        login(client, user.email)
    wrong = []
    # Most rows are requests no page offers this role: the permission is under test, not the token (the pages'
    # forms are submitted as rendered by tests/web/test_form_crawler.py).
    with csrf_check_off(client.application):
        for (endpoint, method), row in MATRIX.items():
            if endpoint in {"accounts.logout", "accounts.change_password"}:
                continue  # they end the session: checked last, below
            status = _call(client, objects, row, method)
            if status != row.expect[role]:
                wrong.append(f"{method} {row.path} ({endpoint}): got {status}, expected {row.expect[role]}")
        for endpoint, method, row in SCOPE_ROWS:
            status = _call(client, objects, row, method)
            if status != row.expect[role]:
                wrong.append(f"{method} {row.path} ({endpoint}): got {status}, expected {row.expect[role]}")
        for endpoint in ("accounts.change_password", "accounts.logout"):
            row = MATRIX[(endpoint, "POST")]
            status = _call(client, objects, row, "POST")
            if status != row.expect[role]:
                wrong.append(f"POST {row.path} ({endpoint}): got {status}, expected {row.expect[role]}")
    assert not wrong, "\n".join(wrong)


def _call(client: FlaskClient, objects: Objects, row: Row, method: str) -> int:
    db.session.expire_all()
    path = row.path.format(**objects.ids)
    if method == "GET":
        return client.get(path).status_code
    return client.post(path, data=row.data(objects) if row.data else {}).status_code
