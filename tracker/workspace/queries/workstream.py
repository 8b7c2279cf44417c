"""The workstream page: its commitments with the actions serving each, a filtered and sorted page of actions,
and the milestones of those actions for the timeline."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload

from tracker.accounts.models import User
from tracker.actions.models import Action, ActionStatus, Health, Milestone, MilestoneStatus, action_commitments
from tracker.agreements.models import Agreement, Amendment, Party, Workstream
from tracker.agreements.services import get_workstream
from tracker.core.db import db
from tracker.core.numbers import parse_db_int
from tracker.core.pagination import Page, clamp, paginate
from tracker.workspace.queries.common import agreement_today
from tracker.workspace.queries.indicators import IndicatorLine, indicators_with_latest

ACTIONS_PER_COMMITMENT = 5
SORTS = {
    "due": (Action.due_on,),
    "start": (Action.start_on,),
    "title": (Action.title,),
    "status": (Action.status,),
    "health": (Action.health,),
    "percent": (Action.percent,),
    "updated": (Action.updated_at,),
}


@dataclass(frozen=True)
class ActionFilters:
    """The workstream page's filters, read from untrusted query arguments (unknown values are dropped)."""

    status: ActionStatus | None = None
    health: Health | None = None
    party: str | None = None
    owner: int | None = None
    overdue: bool = False
    late: bool = False
    commitment: int | None = None  # only the actions serving this commitment
    sort: str = "due"
    descending: bool = False
    page: int = 1
    per_page: int = 25

    @classmethod
    def from_args(cls, args: Any, per_page: int) -> ActionFilters:
        page, size = clamp(args.get("page"), args.get("per_page"), per_page)
        return cls(
            status=_enum(ActionStatus, args.get("status")),
            health=_enum(Health, args.get("health")),
            party=(args.get("party") or "").upper()[:16] or None,
            owner=parse_db_int(args.get("owner", "")),
            overdue=args.get("overdue") in {"1", "on", "true"},
            late=args.get("late") in {"1", "on", "true"},
            commitment=parse_db_int(args.get("commitment", "")),
            sort=args.get("sort") if args.get("sort") in SORTS else "due",
            descending=args.get("order") == "desc",
            page=page,
            per_page=size,
        )

    def query_args(self, **changes: Any) -> dict[str, Any]:
        """Return the query arguments that reproduce these filters, with `changes` applied (for links)."""
        values = {
            "status": self.status.value if self.status else None,
            "health": self.health.value if self.health else None,
            "party": self.party,
            "owner": self.owner,
            "overdue": "1" if self.overdue else None,
            "late": "1" if self.late else None,
            "commitment": self.commitment,
            "sort": self.sort if self.sort != "due" else None,
            "order": "desc" if self.descending else None,
            "page": self.page if self.page > 1 else None,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}


def _enum(kind: Any, raw: str | None) -> Any:
    try:
        return kind(raw) if raw else None
    except ValueError:
        return None


@dataclass
class WorkstreamFrame:
    """What the page shows around its body: the workstream, its agreement and co-leads, the agreement's today."""

    workstream: Workstream
    agreement: Agreement
    today: date


@dataclass
class WorkstreamPage:
    workstream: Workstream
    agreement: Agreement
    today: date
    filters: ActionFilters
    actions: Page[Action]
    milestones: dict[int, list[Milestone]]
    serving: dict[int, list[Action]] = field(default_factory=dict)
    serving_counts: dict[int, int] = field(default_factory=dict)
    owners: list[User] = field(default_factory=list)
    indicators: list[IndicatorLine] = field(default_factory=list)
    original_ends_on: date | None = None  # the end date before the amendments in effect moved it, if any


def load_workstream_frame(user: User, slug: str, code: str) -> WorkstreamFrame:
    """Return the workstream of an agreement the user may see, with its agreement (NotFound otherwise)."""
    workstream = get_workstream(user, slug, code)
    agreement = (
        db.session.scalars(
            select(Agreement).where(Agreement.id == workstream.agreement_id).options(joinedload(Agreement.signatories))
        )
        .unique()
        .one()
    )
    return WorkstreamFrame(workstream, agreement, agreement_today(agreement))


def load_workstream_page(frame: WorkstreamFrame, filters: ActionFilters) -> WorkstreamPage:
    """Return the body of the workstream page (the frame is already visible to the user), in a fixed number of
    queries."""
    workstream, agreement, today = frame.workstream, frame.agreement, frame.today
    actions = paginate(_filtered(workstream, filters, today), filters.page, filters.per_page)
    serving, counts = _actions_by_commitment(workstream)
    return WorkstreamPage(
        workstream=workstream,
        agreement=agreement,
        today=today,
        filters=filters,
        actions=actions,
        milestones=_milestones_of([a.id for a in actions.items]),
        serving=serving,
        serving_counts=counts,
        owners=_owners(workstream),
        indicators=indicators_with_latest(agreement.id, workstream.id),
        original_ends_on=_original_end(agreement),
    )


def _original_end(agreement: Agreement) -> date | None:
    """Return the agreement's end date before any amendment in effect moved it (None when none did)."""
    return db.session.scalar(
        select(func.min(Amendment.previous_ends_on)).where(
            Amendment.agreement_id == agreement.id, Amendment.in_effect_at.is_not(None)
        )
    )


def _filtered(workstream: Workstream, filters: ActionFilters, today: date):
    statement = select(Action).where(Action.workstream_id == workstream.id)
    if filters.status:
        statement = statement.where(Action.status == filters.status)
    if filters.health:
        statement = statement.where(Action.health == filters.health)
    if filters.party:
        statement = statement.join(Party, Action.lead_party_id == Party.id).where(Party.code == filters.party)
    if filters.owner:
        statement = statement.where(Action.owner_id == filters.owner)
    if filters.overdue:
        late = exists().where(
            Milestone.action_id == Action.id, Milestone.status == MilestoneStatus.PLANNED, Milestone.due_on < today
        )
        statement = statement.where(late)
    if filters.late:
        statement = statement.where(Action.is_late(today))
    if filters.commitment:
        serves = exists().where(
            action_commitments.c.action_id == Action.id, action_commitments.c.commitment_id == filters.commitment
        )
        statement = statement.where(serves)
    columns = SORTS[filters.sort]
    order = [c.desc() if filters.descending else c.asc() for c in columns]
    return statement.options(joinedload(Action.owner), joinedload(Action.lead_party)).order_by(
        *[c.is_(None) for c in columns], *order, Action.id
    )


def _milestones_of(action_ids: list[int]) -> dict[int, list[Milestone]]:
    grouped: dict[int, list[Milestone]] = defaultdict(list)
    if action_ids:
        rows = db.session.scalars(
            select(Milestone).where(Milestone.action_id.in_(action_ids)).order_by(Milestone.due_on, Milestone.id)
        )
        for milestone in rows:
            grouped[milestone.action_id].append(milestone)
    return grouped


def _actions_by_commitment(workstream: Workstream) -> tuple[dict[int, list[Action]], dict[int, int]]:
    """Return up to a few actions serving each commitment, and how many serve it in all (not cancelled)."""
    ranked = (
        select(
            action_commitments.c.commitment_id.label("commitment_id"),
            Action.id.label("action_id"),
            func.row_number()
            .over(partition_by=action_commitments.c.commitment_id, order_by=(Action.status, Action.id))
            .label("rank"),
            func.count().over(partition_by=action_commitments.c.commitment_id).label("total"),
        )
        .join(Action, action_commitments.c.action_id == Action.id)
        .where(Action.workstream_id == workstream.id, Action.status != ActionStatus.CANCELLED)
        .subquery()
    )
    rows = db.session.execute(
        select(ranked.c.commitment_id, ranked.c.total, Action)
        .join(Action, Action.id == ranked.c.action_id)
        # Said again of the outer Action (it holds already): the planner, misjudging how few rows the ranking
        # keeps, would otherwise hash-join it with a scan of every action of every agreement.
        .where(ranked.c.rank <= ACTIONS_PER_COMMITMENT, Action.workstream_id == workstream.id)
        .order_by(ranked.c.commitment_id, ranked.c.rank)
    )
    serving: dict[int, list[Action]] = defaultdict(list)
    counts: dict[int, int] = {}
    for commitment_id, total, action in rows:
        serving[commitment_id].append(action)
        counts[commitment_id] = total
    return serving, counts


def _owners(workstream: Workstream) -> list[User]:
    owner_ids = select(Action.owner_id).where(Action.workstream_id == workstream.id).distinct()
    return list(db.session.scalars(select(User).where(User.id.in_(owner_ids)).order_by(User.name)))
