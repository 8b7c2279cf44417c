"""Read queries of the action pages: the action with what its page shows, its progress log, the choices of the
action form, indicators with their latest measurement, and which actions a user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, func, select
from sqlalchemy.orm import joinedload, selectinload
from wtforms.fields.choices import SelectChoice

from tracker.accounts.models import Role, User
from tracker.actions.models import Action, ActionApproval, Indicator, Measurement, ProgressUpdate
from tracker.agreements.models import AgreementParty, Workstream, WorkstreamLead
from tracker.agreements.services import visible_agreement_ids
from tracker.core.db import db
from tracker.core.pagination import Page, paginate
from tracker.web.i18n import commitment_number, localized

UPDATES_PER_PAGE = 20


def visible_workstream_ids(user: User):
    return select(Workstream.id).where(Workstream.agreement_id.in_(visible_agreement_ids(user)))


def action_visible_to(user: User) -> ColumnElement[bool]:
    """Return the condition that keeps only actions of agreements the user's party signed."""
    return Action.workstream_id.in_(visible_workstream_ids(user))


def action_page_options() -> tuple[Any, ...]:
    """Loader options for what the action page shows (for access.get_action): its place, people, commitments,
    milestones and approvals."""
    return (
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


def latest_measurement_ids(indicator_ids: Any, until: date | None = None) -> Subquery:
    """Return a subquery of (indicator_id, id): the latest measurement of each of `indicator_ids` (a list or a
    select of ids), the last measured and, on one day, the last recorded; only those measured on or before
    `until` when given. Indicators without one have no row. The one way every page, export and report reads
    "an indicator's latest measurement"."""
    ranked = select(
        Measurement.indicator_id,
        Measurement.id,
        func.row_number()
        .over(partition_by=Measurement.indicator_id, order_by=(Measurement.measured_on.desc(), Measurement.id.desc()))
        .label("rank"),
    ).where(Measurement.indicator_id.in_(indicator_ids))
    if until is not None:
        ranked = ranked.where(Measurement.measured_on <= until)
    ranked_rows = ranked.subquery()
    return select(ranked_rows.c.indicator_id, ranked_rows.c.id).where(ranked_rows.c.rank == 1).subquery()


def latest_measurements(indicator_ids: list[int]) -> dict[int, Measurement]:
    """Return {indicator id: its latest measurement} for those of `indicator_ids` that have one (one query)."""
    if not indicator_ids:
        return {}
    latest = latest_measurement_ids(indicator_ids)
    rows = db.session.scalars(select(Measurement).join(latest, latest.c.id == Measurement.id))
    return {m.indicator_id: m for m in rows}


def indicators_with_latest(agreement_id: int, workstream_id: int | None) -> list[IndicatorLine]:
    """Return the indicators of a workstream (or the agreement-wide ones, for None) with their latest measurement,
    in their order (one query)."""
    scope = Indicator.workstream_id == workstream_id if workstream_id is not None else Indicator.workstream_id.is_(None)
    in_scope = and_(Indicator.agreement_id == agreement_id, scope)
    latest = latest_measurement_ids(select(Indicator.id).where(in_scope))
    rows = db.session.execute(
        select(Indicator, Measurement)
        .outerjoin(latest, latest.c.indicator_id == Indicator.id)
        .outerjoin(Measurement, Measurement.id == latest.c.id)
        .where(in_scope)
        .order_by(Indicator.position, Indicator.id)
    )
    return [IndicatorLine(indicator, measurement) for indicator, measurement in rows]
