"""Choices offered by the workspace's forms (people, parties, commitments), in a couple of queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from tracker.accounts.models import Role, User
from tracker.agreements.models import AgreementParty, Workstream
from tracker.core.db import db
from tracker.web.i18n import commitment_number, localized


def fill_action_choices(form: Any, workstream: Workstream) -> None:
    """Offer as owners the active coordinators and admins of the agreement's parties, its parties, and the
    workstream's commitments."""
    signatories = db.session.scalars(
        select(AgreementParty).where(AgreementParty.agreement_id == workstream.agreement_id)
    ).all()
    party_ids = [s.party_id for s in signatories]
    people = db.session.scalars(
        select(User)
        .where(User.party_id.in_(party_ids), User.active.is_(True), User.role != Role.REVIEWER)
        .order_by(User.name, User.id)
    ).all()
    parties = {s.party_id: localized(s.party, "name") for s in signatories}
    form.owner_id.choices = [SelectChoice(str(u.id), f"{u.name} ({parties.get(u.party_id, '')})") for u in people]
    form.lead_party_id.choices = [SelectChoice(str(s.party_id), localized(s.party, "name")) for s in signatories]
    form.commitment_ids.choices = [
        SelectChoice(str(c.id), f"{commitment_number(c.position)} — {localized(c, 'text')}")
        for c in workstream.commitments
    ]
