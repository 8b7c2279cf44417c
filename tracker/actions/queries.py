"""Read queries of the action pages: the action with what its page shows, its progress log, the choices of the
action form, indicators with their latest measurement, and which actions a user may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import joinedload, selectinload
from wtforms.fields.choices import SelectChoice

from tracker.accounts.models import Role, User
from tracker.actions.models import Action, ActionApproval, Indicator, Measurement, ProgressUpdate
from tracker.agreements.models import AgreementParty, Workstream, WorkstreamLead
from tracker.agreements.services import visible_agreement_ids
from tracker.core.db import db
from tracker.core.errors import NotFound
from tracker.core.pagination import Page, paginate
from tracker.web.i18n import commitment_number, localized

UPDATES_PER_PAGE = 20
ACTION_NOT_FOUND = _l("This action does not exist, or you may not see it.")


def visible_workstream_ids(user: User):
    return select(Workstream.id).where(Workstream.agreement_id.in_(visible_agreement_ids(user)))


def action_visible_to(user: User) -> ColumnElement[bool]:
    """Return the condition that keeps only actions of agreements the user's party signed."""
    return Action.workstream_id.in_(visible_workstream_ids(user))


def find_action(user: User, action_id: int) -> Action:
    """Return the action with what its page shows, if the user may see it (NotFound otherwise)."""
    action = db.session.scalar(
        select(Action)
        .where(Action.id == action_id, action_visible_to(user))
        .options(
            # A proposed action's page also reads the agreement's signatories (one more query, their parties
            # joined): the approval state party by party.
            joinedload(Action.workstream).joinedload(Workstream.agreement),
            joinedload(Action.owner),
            joinedload(Action.lead_party),
            selectinload(Action.workstream, Workstream.leads).joinedload(WorkstreamLead.user),
            selectinload(Action.commitments),
            selectinload(Action.milestones),
            selectinload(Action.approvals).joinedload(ActionApproval.user),
        )
    )
    if action is None:
        raise NotFound(ACTION_NOT_FOUND)
    return action


def progress_log(action: Action, page: int = 1) -> Page[ProgressUpdate]:
    """Return a page of the action's progress log, newest first, with authors and evidence files."""
    return paginate(
        select(ProgressUpdate)
        .where(ProgressUpdate.action_id == action.id)
        .options(joinedload(ProgressUpdate.author), selectinload(ProgressUpdate.attachments))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc()),
        page,
        UPDATES_PER_PAGE,
    )


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
    codes = {s.party_id: s.party.code for s in signatories}
    form.owner_id.choices = [SelectChoice(str(u.id), f"{u.name} ({codes.get(u.party_id, '')})") for u in people]
    form.lead_party_id.choices = [SelectChoice(str(s.party_id), localized(s.party, "name")) for s in signatories]
    form.commitment_ids.choices = [
        SelectChoice(str(c.id), f"{commitment_number(c.position)} — {localized(c, 'text')}")
        for c in workstream.commitments
    ]


@dataclass(frozen=True)
class IndicatorLine:
    indicator: Indicator
    latest: Measurement | None


def indicators_with_latest(agreement_id: int, workstream_id: int | None) -> list[IndicatorLine]:
    """Return the indicators of a workstream (or the agreement-wide ones) with their latest measurement."""
    latest_on = (
        select(Measurement.indicator_id, func.max(Measurement.measured_on).label("measured_on"))
        .group_by(Measurement.indicator_id)
        .subquery()
    )
    scope = Indicator.workstream_id == workstream_id if workstream_id is not None else Indicator.workstream_id.is_(None)
    rows = db.session.execute(
        select(Indicator, Measurement)
        .outerjoin(latest_on, latest_on.c.indicator_id == Indicator.id)
        .outerjoin(
            Measurement,
            and_(Measurement.indicator_id == Indicator.id, Measurement.measured_on == latest_on.c.measured_on),
        )
        .where(Indicator.agreement_id == agreement_id, scope)
        .order_by(Indicator.position, Indicator.id, Measurement.id.desc())
    )
    lines: dict[int, IndicatorLine] = {}
    for indicator, measurement in rows:
        lines.setdefault(indicator.id, IndicatorLine(indicator, measurement))
    return list(lines.values())
