"""Ending agreements whose term is over (the daily job)."""

from __future__ import annotations

from sqlalchemy import select

from tracker.agreements.models import Agreement, AgreementStatus
from tracker.core import clock
from tracker.core.db import db
from tracker.core.lifecycle import transition


def end_due_agreements() -> list[str]:
    """Move every agreement in force whose end date has passed (in its own time zone) to *ended*, audited as done
    by the system; return their slugs. Flushes; the caller commits."""
    in_force = db.session.scalars(
        select(Agreement).where(Agreement.status == AgreementStatus.IN_FORCE).order_by(Agreement.id)
    ).all()
    ended = []
    for agreement in in_force:
        if clock.today(agreement.timezone) > agreement.ends_on:
            end_if_due(agreement)
            ended.append(agreement.slug)
    return ended


def end_if_due(agreement: Agreement) -> None:
    """End the agreement at once if it is in force and its end date has passed (the agreement loader's hook: a file
    loaded with a past end date), audited as the daily job does it. Flushes; the caller commits."""
    if agreement.status == AgreementStatus.IN_FORCE and clock.today(agreement.timezone) > agreement.ends_on:
        transition(agreement, AgreementStatus.ENDED.value, by=None)  # type: ignore[arg-type]
