"""Which agreements a user may see, and reading them."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, select
from sqlalchemy.orm import selectinload

from tracker.accounts.models import User
from tracker.agreements.models import Agreement, AgreementParty, Workstream, WorkstreamLead
from tracker.core.db import db
from tracker.core.errors import NotFound


def visible_agreement_ids(user: User) -> Select[tuple[int]]:
    """Return a subquery of the ids of the agreements the user's party signed."""
    return select(AgreementParty.agreement_id).where(AgreementParty.party_id == user.party_id)


def can_see_agreement(user: User, agreement_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(AgreementParty.agreement_id == agreement_id, AgreementParty.party_id == user.party_id)
            )
        )
    )


def list_agreements(user: User) -> Sequence[Agreement]:
    """Return the agreements the user may see, newest first."""
    return db.session.scalars(
        select(Agreement)
        .where(Agreement.id.in_(visible_agreement_ids(user)))
        .options(selectinload(Agreement.signatories))
        .order_by(Agreement.signed_on.desc())
    ).all()


def get_agreement(user: User, slug: str) -> Agreement:
    """Return the agreement if the user's party signed it; otherwise it does not exist for them."""
    agreement = db.session.scalar(
        select(Agreement)
        .where(Agreement.slug == slug, Agreement.id.in_(visible_agreement_ids(user)))
        .options(
            selectinload(Agreement.signatories),
            selectinload(Agreement.workstreams).selectinload(Workstream.leads).joinedload(WorkstreamLead.user),
        )
    )
    if agreement is None:
        raise NotFound(_l("This agreement does not exist, or you may not see it."))
    return agreement


def get_workstream(user: User, slug: str, code: str) -> Workstream:
    """Return a workstream of an agreement the user may see."""
    workstream = db.session.scalar(
        select(Workstream)
        .join(Agreement)
        .where(Agreement.slug == slug, Workstream.code == code, Agreement.id.in_(visible_agreement_ids(user)))
        .options(selectinload(Workstream.commitments), selectinload(Workstream.leads).joinedload(WorkstreamLead.user))
    )
    if workstream is None:
        raise NotFound(_l("This workstream does not exist, or you may not see it."))
    return workstream
