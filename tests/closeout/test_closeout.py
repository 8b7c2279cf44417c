"""Close-out as the owners and co-leads do it on the page: one by one or for a selection, each action on its own."""

from __future__ import annotations

from datetime import date

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import load_agreement, make_action, make_co_lead, make_milestone, make_user, workstream
from tests.forms import submit_form
from tests.helpers import login, logout, text
from tracker.actions.models import ActionStatus, MilestoneStatus
from tracker.agreements.models import Agreement, AgreementStatus
from tracker.closeout.models import CloseoutDecision, Decision
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.core.errors import InvalidTransition
from tracker.core.lifecycle import transition

PAGE = "/agreements/idf-bxl-2021/close-out"


@pytest.fixture
def ended(app: Flask, frozen_clock) -> Agreement:
    return load_agreement(ended=True)


def test_a_co_lead_closes_out_a_selection_and_each_action_gets_its_own_fate(
    client: FlaskClient, ended: Agreement
) -> None:
    ws = workstream(ended, "ECO-DEV")
    lead = make_user("BXL", language="fr")
    make_co_lead(ws, lead)
    owner = make_user("IDF", language="fr")
    under_way = make_action(ws, owner, title="Mission en cours")
    planned = make_milestone(under_way, date(2026, 12, 1))
    draft = make_action(ws, owner, title="Projet en brouillon", status=ActionStatus.DRAFT)
    other = make_action(workstream(ended, "CULTURE"), owner, title="Action d’un autre axe")
    login(client, lead.email)
    page = client.get(PAGE)
    assert "Mission en cours" in text(page) and "Action d’un autre axe" in text(page)
    assert f'name="action_ids" value="{other.id}"' not in text(page)  # not theirs to decide
    response = submit_form(
        client,
        page,
        fields={"action_ids": [str(under_way.id), str(draft.id)], "decision": "completed", "note": "Trois missions"},
        follow_redirects=True,
    )
    body = text(response)
    assert "1 action est clôturée." in body
    # The refusal names the action by its title, not by a number nobody sees on the page.
    assert "«\u00a0Projet en brouillon\u00a0»\u00a0: Seule une action en cours peut être terminée" in body
    assert f"Action {draft.id}" not in body
    db.session.expire_all()
    assert under_way.status == ActionStatus.COMPLETED and planned.status == MilestoneStatus.CANCELLED
    assert draft.status == ActionStatus.DRAFT  # refused on its own, the other one went through
    decision = db.session.get(CloseoutDecision, under_way.id)
    assert (decision.decision, decision.note) == (Decision.COMPLETED, "Trois missions")

    response = submit_form(
        client,
        PAGE,
        fields={"action_ids": [str(draft.id)], "decision": "carried_over", "note": ""},
        follow_redirects=True,
    )
    assert "1 action est clôturée." in text(response)
    assert db.session.get(CloseoutDecision, draft.id).decision == Decision.CARRIED_OVER
    verbs = db.session.scalars(select(AuditEntry.verb).where(AuditEntry.verb == "close_out")).all()
    assert len(verbs) == 2
    history = text(client.get(f"/actions/{draft.id}"))
    assert "Décision de clôture" in history and "reportée" in history and "close_out" not in history
    # The notice now counts only the action left to decide.
    assert "1 action à clôturer" in text(client.get("/agreements/idf-bxl-2021/"))


def test_an_action_cancelled_at_close_out_leaves_no_milestone_planned(client: FlaskClient, ended: Agreement) -> None:
    owner = make_user("IDF", language="fr")
    action = make_action(workstream(ended, "CULTURE"), owner, title="Festival 2027")
    done = make_milestone(
        action, date(2026, 3, 1), title="Lieu choisi", status=MilestoneStatus.DONE, completed_on=date(2026, 3, 1)
    )
    late = make_milestone(action, date(2026, 9, 1), title="Programmation arrêtée")
    coming = make_milestone(action, date(2027, 3, 1), title="Billetterie ouverte")
    login(client, owner.email)
    submit_form(client, PAGE, fields={"action_ids": [str(action.id)], "decision": "cancelled", "note": "Sans budget"})
    db.session.expire_all()
    assert action.status == ActionStatus.CANCELLED
    assert [m.status for m in (done, late, coming)] == [MilestoneStatus.DONE, *[MilestoneStatus.CANCELLED] * 2]
    reasons = db.session.scalars(
        select(AuditEntry.comment).where(AuditEntry.entity == "milestone", AuditEntry.verb == "cancel")
    ).all()
    assert reasons == ["Sans budget", "Sans budget"]
    page = text(client.get(f"/actions/{action.id}"))
    assert "En retard" not in page  # nothing left to be late


def test_cancelling_needs_a_reason_and_changes_nothing_without_one(client: FlaskClient, ended: Agreement) -> None:
    owner = make_user("IDF", language="fr")
    action = make_action(workstream(ended, "CULTURE"), owner)
    login(client, owner.email)
    response = submit_form(client, PAGE, fields={"action_ids": [str(action.id)], "decision": "cancelled"})
    assert response.status_code == 422 and "Dites pourquoi les actions sont annulées." in text(response)
    assert f'value="{action.id}" id="pick-{action.id}" aria-labelledby="title-{action.id}" checked' in text(response)
    db.session.expire_all()
    assert action.status == ActionStatus.ACTIVE and db.session.get(CloseoutDecision, action.id) is None
    submit_form(
        client, PAGE, fields={"action_ids": [str(action.id)], "decision": "cancelled", "note": "Budget supprimé"}
    )
    db.session.expire_all()
    assert action.status == ActionStatus.CANCELLED


def test_the_note_says_its_limit_and_a_longer_one_is_refused_with_a_clear_message(
    client: FlaskClient, ended: Agreement
) -> None:
    owner = make_user("IDF", language="fr")
    action = make_action(workstream(ended, "CULTURE"), owner)
    login(client, owner.email)
    page = lxml.html.fromstring(text(client.get(PAGE)))
    note_field = page.xpath('//textarea[@name="note"]')[0]
    hint = page.xpath(f'//*[@id="{note_field.get("aria-describedby")}"]')[0].text_content()
    assert "2\u202f000 caractères au plus." in hint
    assert note_field.get("maxlength") is None  # a longer text pasted is not cut without a word
    note = "Raison détaillée. " * 139  # 2,502 characters
    response = submit_form(client, PAGE, fields={"action_ids": [str(action.id)], "decision": "cancelled", "note": note})
    assert response.status_code == 422
    assert "Au plus 2\u202f000 caractères (ce texte en compte 2\u202f501)." in text(response)
    assert note.strip() in text(response)  # the text comes back to be shortened, not lost
    db.session.expire_all()
    assert action.status == ActionStatus.ACTIVE and db.session.get(CloseoutDecision, action.id) is None


def test_nothing_is_closed_out_while_the_agreement_is_in_force(client: FlaskClient, app: Flask, frozen_clock) -> None:
    agreement = load_agreement()
    owner = make_user("IDF", language="fr")
    action = make_action(workstream(agreement, "CULTURE"), owner)
    login(client, owner.email)
    page = text(client.get(PAGE))
    assert f'value="{action.id}"' not in page and "Enregistrer la décision" not in page  # nothing to decide yet
    from tracker.closeout import decisions

    outcome = decisions.decide_many(owner, agreement, [action.id], "cancelled", "x")
    assert "une fois l’accord terminé" in outcome.refused[action.id] or outcome.refused
    db.session.expire_all()
    assert action.status == ActionStatus.ACTIVE


def test_the_agreement_closes_once_both_parties_confirm_after_the_final_report_and_every_decision(
    client: FlaskClient, ended: Agreement, frozen_clock
) -> None:
    from tracker.closeout.jobs import agreement_end
    from tracker.reports import services as reports
    from tracker.scheduling.jobs import JobContext

    agreement_end(JobContext("agreement_end", frozen_clock.now()))
    owner = make_user("IDF", language="fr")
    action = make_action(workstream(ended, "CULTURE"), owner)
    idf_admin, bxl_admin = make_user("IDF", "admin", language="fr"), make_user("BXL", "admin", language="fr")
    login(client, idf_admin.email)
    page = text(client.get(PAGE))
    assert "Le rapport final doit d’abord être publié" in page and "Confirmer la clôture pour ma partie" not in page

    report = reports.generate_report(ended, "final")
    for party in ("IDF", "BXL"):
        reports.sign_report(make_user(party, "reviewer"), report, "Lu et approuvé")
    db.session.commit()
    page = text(client.get(PAGE))
    assert "1 action attend encore sa décision de clôture" in page
    logout(client)
    login(client, owner.email)  # an admin does not decide for the owner and the co-leads
    submit_form(client, PAGE, fields={"action_ids": [str(action.id)], "decision": "cancelled", "note": "Sans suite"})
    logout(client)
    login(client, idf_admin.email)
    # The final report was published before that decision: its close-out section lacks it, so no closing on it.
    page = text(client.get(PAGE))
    assert "Une décision de clôture a été enregistrée après la génération du rapport final" in page
    assert "Confirmer la clôture pour ma partie" not in page
    with pytest.raises(InvalidTransition, match="regenerate the final report"):
        transition(ended, AgreementStatus.CLOSED.value, by=idf_admin)  # the rule is the lifecycle's, not the page's
    # The admin regenerates it on the reports page; the reviewers sign the new version on its page.
    listing = "/agreements/idf-bxl-2021/reports/"
    regenerated = submit_form(client, listing, fields={"period": "final", "regenerate": "y", "send": ""})
    new_report = regenerated.headers["Location"]
    logout(client)
    for party in ("IDF", "BXL"):
        reviewer = make_user(party, "reviewer", language="fr")
        login(client, reviewer.email)
        submit_form(client, new_report, action=f"{new_report}/sign", fields={"sign-comment": "Relu."})
        logout(client)
    login(client, idf_admin.email)

    response = submit_form(client, PAGE, action="/agreements/idf-bxl-2021/close", follow_redirects=True)
    assert "La confirmation de votre partie est enregistrée" in text(response)
    db.session.refresh(ended)
    assert ended.status == AgreementStatus.ENDED  # one party is not enough
    logout(client)
    login(client, bxl_admin.email)
    response = submit_form(client, PAGE, action="/agreements/idf-bxl-2021/close", follow_redirects=True)
    assert "L’accord est clôturé" in text(response)
    db.session.refresh(ended)
    assert ended.status == AgreementStatus.CLOSED


def test_the_command_line_lists_and_decides_with_one_line_errors(app: Flask, ended: Agreement) -> None:
    owner = make_user("IDF", language="fr")
    action = make_action(workstream(ended, "CULTURE"), owner, title="Résidence d’artistes")
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["agreements", "close-out", "idf-bxl-2021", "--by", owner.email])
    assert listed.exit_code == 0 and f"*  {action.id:>5}" in listed.output and "Résidence d’artistes" in listed.output
    bad = runner.invoke(
        args=[
            "agreements",
            "close-out",
            "idf-bxl-2021",
            "--by",
            owner.email,
            "--decision",
            "cancelled",
            "--action",
            str(action.id),
        ]
    )
    assert bad.exit_code != 0 and "Say why the actions are cancelled." in bad.output and "Traceback" not in bad.output
    unknown = runner.invoke(args=["agreements", "close-out", "nope", "--by", owner.email])
    assert unknown.exit_code != 0 and "no agreement 'nope'" in unknown.output
    done = runner.invoke(
        args=[
            "agreements",
            "close-out",
            "idf-bxl-2021",
            "--by",
            owner.email,
            "--decision",
            "carried_over",
            "--action",
            str(action.id),
        ]
    )
    assert done.exit_code == 0 and "1 decided, 0 refused." in done.output
    assert db.session.get(CloseoutDecision, action.id).decision == Decision.CARRIED_OVER


def test_the_command_line_refuses_an_action_id_beyond_any_database_integer_in_one_line(
    app: Flask, ended: Agreement
) -> None:
    owner = make_user("IDF", language="fr")
    make_action(workstream(ended, "CULTURE"), owner, title="Résidence d’artistes")
    args = ["agreements", "close-out", "idf-bxl-2021", "--by", owner.email, "--decision", "cancelled", "--note", "x"]
    for huge in ("99999999999999999999999", "9223372036854775808", "2147483648", "-1"):
        result = app.test_cli_runner().invoke(args=[*args, "--action", huge])
        assert (result.exit_code == 1 and result.exception is None) or isinstance(result.exception, SystemExit), huge
        assert "Traceback" not in result.output and "Error" not in result.output, result.output
        assert f"action {huge}: This action does not exist, or you may not see it." in result.output
        assert "0 decided, 1 refused." in result.output


def test_the_command_line_refuses_to_list_an_agreement_still_in_force(app: Flask, frozen_clock) -> None:
    in_force = load_agreement()  # extended to 2027: nothing to close out yet
    owner = make_user("IDF")
    make_action(workstream(in_force, "CULTURE"), owner, title="Résidence d’artistes")
    listed = app.test_cli_runner().invoke(args=["agreements", "close-out", in_force.slug, "--by", owner.email])
    assert listed.exit_code != 0 and "is in force until 2027-09-22" in listed.output
    assert "to decide" not in listed.output and "Traceback" not in listed.output


def test_a_decision_after_the_final_report_was_generated_outdates_its_draft_until_regenerated(
    client: FlaskClient, ended: Agreement, frozen_clock
) -> None:
    from tracker.reports import services as reports
    from tracker.reports.models import Report, ReportStatus

    owner = make_user("IDF", language="fr")
    action = make_action(workstream(ended, "CULTURE"), owner)
    reviewer = make_user("IDF", "reviewer", language="fr")
    draft = reports.generate_report(ended, "final")  # before any decision, as the demo does at load
    db.session.commit()
    login(client, reviewer.email)
    before = client.get(f"/reports/{draft.id}")  # the reviewer opens the draft, its sign form rendered
    assert "Signer pour ma partie" in text(before)
    logout(client)
    login(client, owner.email)
    submit_form(client, PAGE, fields={"action_ids": [str(action.id)], "decision": "cancelled", "note": "Sans suite"})
    logout(client)

    login(client, reviewer.email)
    refused = submit_form(client, before, action=f"/reports/{draft.id}/sign", follow_redirects=True)
    assert "Ce rapport final a été généré avant les dernières décisions de clôture" in text(refused)
    assert "Signer pour ma partie" not in text(refused)
    db.session.refresh(draft)
    assert draft.status == ReportStatus.DRAFT and not draft.signatures
    logout(client)

    admin = make_user("IDF", "admin", language="fr")
    login(client, admin.email)
    listing = "/agreements/idf-bxl-2021/reports/"
    submit_form(client, listing, fields={"period": "final", "regenerate": "y", "send": ""})
    logout(client)
    newest = db.session.scalars(select(Report).where(Report.kind == "final").order_by(Report.version.desc())).first()
    assert newest.version == 2 and newest.snapshot["closeout"]["decisions"][0]["action_id"] == action.id
    login(client, reviewer.email)
    page = text(client.get(f"/reports/{newest.id}"))
    assert "Signer pour ma partie" in page and "avant les dernières décisions" not in page
