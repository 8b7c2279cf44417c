"""Issue 14, done when: the journey of an ended agreement in the browser. The end banner shows; the co-leads close
out every unfinished action on the close-out page (some completed, some cancelled with a reason, two carried over
at once); an admin regenerates the final report (generated before the decisions) so that it lists them; an admin of
each party starts the successor (one proposes, the other confirms); the reviewers of both parties sign the final
report; both admins confirm the closing; the scheduler's job builds the archive, and the zip downloaded from the
page validates as a bag."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.conftest import download_bag, log_in, log_out
from tests.closeout.closing import keep_small_files
from tracker.actions.models import Action
from tracker.agreements.models import Agreement, AgreementStatus
from tracker.closeout.jobs import agreement_archive, agreement_end
from tracker.core.db import db
from tracker.reports import services as reports
from tracker.reports.models import Report, ReportStatus
from tracker.scheduling.jobs import JobContext

AGREEMENT = "/agreements/idf-bxl-2021/"
CLOSE_OUT = "/agreements/idf-bxl-2021/close-out"
WAITING_ON_ME = "section[aria-labelledby='my-approvals']"  # « Mon travail »: what waits on me

pytestmark = pytest.mark.usefixtures("patient")  # a report page draws its charts


def _decide(page: Page, titles: list[str], decision: str, note: str = "") -> None:
    """Tick the actions on the close-out page, choose the decision, write the note and record it."""
    page.goto(CLOSE_OUT)
    for title in titles:
        page.get_by_role("checkbox", name=title).check()
    page.get_by_label(decision, exact=True).check()
    if note:
        page.get_by_label("Résultat, motif ou remarque").fill(note)
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_role("status").first).to_contain_text("clôturée")


def _world(frozen_clock) -> dict[str, object]:
    agreement = factories.load_agreement(ended=True)
    agreement_end(JobContext("agreement_end", frozen_clock.now()))  # the daily job: in force → ended
    culture, eco = factories.workstream(agreement, "CULTURE"), factories.workstream(agreement, "ECO-DEV")
    people = {
        "idf_lead": factories.make_user("IDF", email="camille@example.org", name="Camille Martin"),
        "bxl_lead": factories.make_user("BXL", email="an@example.org", name="An Janssens"),
        "idf_admin": factories.make_user("IDF", "admin", email="admin.idf@example.org", name="Claire Admin"),
        "bxl_admin": factories.make_user("BXL", "admin", email="admin.bxl@example.org", name="Bart Admin"),
        "idf_reviewer": factories.make_user("IDF", "reviewer", email="sophie@example.org", name="Sophie Leroy"),
        "bxl_reviewer": factories.make_user("BXL", "reviewer", email="jan@example.org", name="Jan Peeters"),
    }
    factories.make_co_lead(culture, people["idf_lead"])
    factories.make_co_lead(eco, people["bxl_lead"])
    owner = factories.make_user("IDF", name="Owen Owner")
    for title in ("Résidences croisées", "Saison croisée", "Festival des cultures urbaines"):
        factories.make_action(culture, owner, title=title)
    for title in ("Mission des incubateurs", "Salon des exportateurs"):
        factories.make_action(eco, owner, title=title)
    reports.generate_report(agreement, "final")  # generated before the close-out, as the demo does at load
    db.session.commit()
    return people


def test_an_ended_agreement_is_closed_out_renewed_signed_closed_and_archived(
    page: Page, live_app, frozen_clock, tmp_path: Path
) -> None:
    people = _world(frozen_clock)

    # The co-leads close out every unfinished action of their workstreams.
    log_in(page, "camille@example.org", keyboard=True)
    page.goto(AGREEMENT)
    expect(page.get_by_text("Cet accord a pris fin le 22 septembre 2026", exact=False).first).to_be_visible()
    _decide(page, ["Saison croisée", "Festival des cultures urbaines"], "Reportée dans l’accord suivant")
    _decide(page, ["Résidences croisées"], "Terminée", "Douze résidences accueillies")
    log_out(page)
    log_in(page, "an@example.org", keyboard=True)
    _decide(page, ["Mission des incubateurs"], "Annulée", "Budget non reconduit")
    _decide(page, ["Salon des exportateurs"], "Terminée", "Salon tenu en mai 2026")
    expect(page.get_by_role("button", name="Enregistrer la décision")).to_have_count(0)  # nothing left to decide
    log_out(page)

    # The final report was generated before these decisions: the admin makes a new version that lists them.
    log_in(page, people["idf_admin"].email, keyboard=True)
    page.goto(AGREEMENT + "reports/")
    page.get_by_label("Période", exact=True).fill("final")
    page.get_by_label("Faire une nouvelle version si cette période a déjà un rapport").check()
    page.get_by_role("button", name="Générer").click()
    expect(page.get_by_role("status").first).to_contain_text("version 2")

    # An admin of each party starts the successor: Île-de-France proposes, Brussels confirms.
    page.goto(AGREEMENT)
    page.get_by_role("link", name="Préparer l’accord suivant").click()
    expect(page.get_by_text("2 actions reportées y passeront, avec leurs jalons ouverts.")).to_be_visible()
    page.get_by_label("Je propose cet accord suivant pour ma partie", exact=False).check()
    page.get_by_role("button", name="Proposer l’accord suivant").click()
    expect(page.get_by_role("status").first).to_contain_text("La confirmation de votre partie est enregistrée")
    expect(page.get_by_role("heading", name="Accord suivant en attente de confirmation")).to_be_visible()
    expect(page.get_by_role("button", name="Confirmer l’accord suivant")).to_have_count(0)  # not twice by one party
    log_out(page)
    log_in(page, people["bxl_admin"].email, keyboard=True)
    page.goto(AGREEMENT)
    expect(page.locator("#renewal-proposal")).to_contain_text("Accord suivant proposé par Claire Admin")
    page.get_by_role("link", name="Voir la proposition").click()
    assert_accessible(page)
    page.get_by_label("Date de signature de l’accord suivant").fill("2026-09-15")
    page.get_by_label("Je confirme pour ma partie", exact=False).check()
    page.get_by_role("button", name="Confirmer l’accord suivant").click()
    expect(page).to_have_url(re.compile(r"/agreements/idf-bxl-2026/$"))
    expect(page.get_by_role("status").first).to_contain_text("L’accord suivant est prêt")
    log_out(page)

    # The reviewers of both parties sign the final report; it is published.
    for reviewer, status in (("idf_reviewer", "Signé par une partie"), ("bxl_reviewer", "Publié")):
        log_in(page, people[reviewer].email, keyboard=True)
        page.locator(WAITING_ON_ME).get_by_role("link", name="Rapport final", exact=False).click()
        page.get_by_role("button", name="Signer pour ma partie").click()
        expect(page.get_by_role("status").first).to_contain_text(status)
        log_out(page)
    db.session.rollback()  # a fresh transaction sees what the web server committed
    report = db.session.scalars(select(Report).where(Report.kind == "final", Report.version == 2)).one()
    assert report.status == ReportStatus.PUBLISHED
    keep_small_files(report)  # the scheduler's report_files job keeps the published files (PDFs are slow to draw)

    # The admins confirm the closing, one per party.
    for admin, message in (
        ("idf_admin", "La confirmation de votre partie est enregistrée"),
        ("bxl_admin", "L’accord est clôturé"),
    ):
        log_in(page, people[admin].email, keyboard=True)
        page.goto(CLOSE_OUT)
        page.locator("section[aria-labelledby='closing-heading']").get_by_role("button").click()
        expect(page.get_by_role("status").first).to_contain_text(message)
        log_out(page)

    # The scheduler's job builds the archive; an admin downloads it, and the bag validates.
    db.session.rollback()
    assert agreement_archive(JobContext("agreement_archive", frozen_clock.now()))["archived"] == ["idf-bxl-2021"]
    db.session.commit()
    log_in(page, people["idf_admin"].email, keyboard=True)
    page.goto(CLOSE_OUT)
    download_bag(
        page, page.get_by_role("link", name="Télécharger le paquet d’archive"), tmp_path, "idf-bxl-2021-archive"
    )

    db.session.rollback()
    ended = db.session.scalars(select(Agreement).where(Agreement.slug == "idf-bxl-2021")).one()
    assert ended.status == AgreementStatus.ARCHIVED and ended.succeeded_by is not None
    moved = db.session.scalars(select(Action.title).where(Action.continues_action_id.is_not(None))).all()
    assert sorted(moved) == ["Festival des cultures urbaines", "Saison croisée"]
