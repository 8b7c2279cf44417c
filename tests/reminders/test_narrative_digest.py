"""Before a report is due, the digests tell each co-lead which assessments still wait on them, and the admins which
executive summary; once both French and Dutch are written, nobody hears of it again."""

from __future__ import annotations

from datetime import date

from flask import Flask

from tests.factories import make_user
from tests.reminders.conftest import World, at
from tests.smtp import SmtpSink
from tracker.core import clock
from tracker.core.db import db
from tracker.mail.delivery import deliver_pending
from tracker.reminders.sweep import sweep
from tracker.reports.narratives import services as narratives
from tracker.reports.services import generate_report, period_of

# Two weeks before the fourth quarter of 2026 ends (a Thursday): the first reminder of its report's texts.
TWO_WEEKS_BEFORE = date(2026, 12, 17)
ONE_WEEK_BEFORE = date(2026, 12, 24)


def _write(world: World, lead, texts: dict[str, str]) -> None:
    period = period_of(world.agreement, "2026-Q4")
    subject = narratives.subject_of(world.agreement, "ECO-DEV")
    current = narratives.get_narrative(world.agreement, period, subject)
    base = current.versions_count if current else 0
    narratives.save_narrative(lead, world.agreement, period, subject, texts, base)
    db.session.commit()


def test_co_leads_hear_of_the_assessment_they_still_owe(mail_app: Flask, smtp_server: SmtpSink, world: World) -> None:
    admin = make_user("BXL", "admin", name="Ans Admin", language="nl")
    _write(world, world.lead_idf, {"fr": "Bilan rédigé en français seulement."})
    clock.freeze(at(TWO_WEEKS_BEFORE, 7))
    sweep(TWO_WEEKS_BEFORE)
    deliver_pending()

    french = smtp_server.to(world.lead_idf.email)[0].part("plain")
    assert "BILANS À RÉDIGER AVANT LE RAPPORT\u202f: CHANTIERS QUE VOUS COPILOTEZ" in french
    assert "Le développement économique" in french
    assert "/agreements/idf-bxl-2021/narratives/2026-Q4/ECO-DEV" in french
    assert "Rapport trimestriel · T4 2026" in french
    dutch = smtp_server.to(world.lead_bxl.email)[0].part("plain")
    assert "EVALUATIES TE SCHRIJVEN VÓÓR HET VERSLAG: WERKSPOREN DIE U MEE LEIDT" in dutch
    summary = smtp_server.to(admin.email)[0].part("plain")
    assert "BELEIDSSAMENVATTINGEN TE SCHRIJVEN VÓÓR HET VERSLAG" in summary
    assert "/agreements/idf-bxl-2021/narratives/2026-Q4/summary" in summary
    assert not any("RAPPORT" in m.part("plain") for m in smtp_server.to(world.camille.email))  # not a co-lead

    _write(world, world.lead_bxl, {"fr": "Bilan rédigé en français seulement.", "nl": "Nu ook in het Nederlands."})
    clock.freeze(at(ONE_WEEK_BEFORE, 7))
    sweep(ONE_WEEK_BEFORE)
    deliver_pending()
    assert len(smtp_server.to(world.lead_idf.email)) == 1  # nothing else was due for them: no second digest
    assert len(smtp_server.to(admin.email)) == 2  # the summary is still missing


def test_nobody_hears_of_texts_once_the_report_is_generated(app: Flask, world: World) -> None:
    from tracker.mail.models import OutboxMessage

    generate_report(world.agreement, "2026-Q4")
    db.session.commit()
    clock.freeze(at(TWO_WEEKS_BEFORE, 7))
    sweep(TWO_WEEKS_BEFORE)
    leads = {world.lead_idf.id, world.lead_bxl.id}
    assert not [m for m in db.session.query(OutboxMessage).all() if m.context.get("user_id") in leads
                and "narratives" in m.context.get("items", {})]  # fmt: skip


def test_the_final_reports_texts_are_asked_for_before_the_end_not_after(app: Flask, frozen_clock) -> None:
    from sqlalchemy import select

    from tests.factories import load_agreement, make_co_lead, workstream
    from tracker.mail.models import OutboxMessage

    agreement = load_agreement(ended=True)  # ends on 2026-09-22
    lead = make_user("IDF", language="fr")
    make_co_lead(workstream(agreement, "CULTURE"), lead)

    def items_on(day: date) -> dict[str, list[int]]:
        clock.freeze(at(day, 7))
        sweep(day)
        rows = db.session.execute(select(OutboxMessage.recipient, OutboxMessage.context)).all()
        return next((ctx["items"] for email, ctx in rows if email == lead.email and ctx["on"] == day.isoformat()), {})

    assert items_on(date(2026, 9, 15))["narratives"] == [workstream(agreement, "CULTURE").id]  # a week before
    assert "narratives" not in items_on(date(2026, 9, 29))  # ended: the final report is the scheduler's now
