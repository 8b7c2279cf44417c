"""The workstream page: its commitments with the actions serving each, a filtered and sorted page of actions,
and the milestones of those actions for the timeline."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property, lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select, union_all
from sqlalchemy.orm import joinedload

from tracker.accounts.models import User
from tracker.actions.models import NOT_CANCELLED, Action, Milestone, MilestoneStatus, action_commitments
from tracker.actions.queries import (
    ActionFilters,
    IndicatorLine,
    indicators_with_latest,
    matching_actions,
    milestones_of,
    with_continuation,
)
from tracker.agreements.models import Agreement, Amendment, Workstream, WorkstreamTally
from tracker.agreements.services import get_workstream
from tracker.core.db import db
from tracker.core.numbers import parse_db_int
from tracker.core.pagination import CappedCount, Page, clamp, paginate
from tracker.workspace.queries.common import agreement_today

ACTIONS_PER_COMMITMENT = 5
COUNT_CAP = 1000  # how many actions serving a commitment are counted at most (beyond: « more than 999 »)
SORTS = {
    "due": (Action.due_on,),
    "start": (Action.start_on,),
    "title": (Action.title,),
    "status": (Action.status,),
    "health": (Action.health,),
    "percent": (Action.percent,),
    "updated": (Action.updated_at,),
}


# The workstream page's filter form: its fields, read as every action list reads them (actions.queries).
FILTER_FIELDS = ("status", "health", "party", "owner", "overdue", "late")


@dataclass(frozen=True)
class ActionList:
    """The workstream page's list of actions: which (the filters of every action list, from untrusted query
    arguments), in which order, which page."""

    filters: ActionFilters
    sort: str = "due"
    descending: bool = False
    page: int = 1
    per_page: int = 25

    @classmethod
    def from_args(cls, args: Any, per_page: int) -> ActionList:
        page, size = clamp(args.get("page"), args.get("per_page"), per_page)
        filters = ActionFilters.from_mapping({name: args.get(name) for name in FILTER_FIELDS})
        return cls(
            filters=replace(filters, commitment_id=parse_db_int(args.get("commitment", ""))),
            sort=args.get("sort") if args.get("sort") in SORTS else "due",
            descending=args.get("order") == "desc",
            page=page,
            per_page=size,
        )

    def query_args(self, **changes: Any) -> dict[str, Any]:
        """Return the query arguments that reproduce this list, with `changes` applied (for links)."""
        f = self.filters
        flag = {True: "1", False: "0", None: None}
        values = {
            "status": f.status,
            "health": f.health,
            "party": f.lead_party,
            "owner": f.owner_id,
            "overdue": flag[f.overdue],
            "late": flag[f.late],
            "commitment": f.commitment_id,
            "sort": self.sort if self.sort != "due" else None,
            "order": "desc" if self.descending else None,
            "page": self.page if self.page > 1 else None,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}


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
    listing: ActionList
    actions: Page[Action]
    milestones: dict[int, list[Milestone]]
    serving: dict[int, list[Action]] = field(default_factory=dict)
    serving_counts: dict[int, CappedCount] = field(default_factory=dict)
    owners: list[User] = field(default_factory=list)
    indicators: list[IndicatorLine] = field(default_factory=list)
    original_ends_on: date | None = None  # the end date before the amendments in effect moved it, if any

    @cached_property
    def milestone_counts(self) -> dict[int, tuple[int, int]]:
        """{action id: (milestones done, milestones not cancelled)} of the listed actions (counted once here: a
        template filter chain per row cost more than the rest of the row)."""
        return {
            action_id: (
                sum(m.status == MilestoneStatus.DONE for m in milestones),
                sum(m.status != MilestoneStatus.CANCELLED for m in milestones),
            )
            for action_id, milestones in self.milestones.items()
        }


def load_workstream_frame(user: User, slug: str, code: str) -> WorkstreamFrame:
    """Return the workstream of an agreement the user may see, with its agreement (NotFound otherwise): one query
    reads the workstream, its commitments and co-leads, its agreement and the agreement's signatories."""
    workstream = get_workstream(user, slug, code, with_agreement=True)
    return WorkstreamFrame(workstream, workstream.agreement, agreement_today(workstream.agreement))


def load_workstream_page(user: User, frame: WorkstreamFrame, listing: ActionList) -> WorkstreamPage:
    """Return the body of the workstream page (the frame is already visible to the user), in a fixed number of
    queries."""
    workstream, agreement, today = frame.workstream, frame.agreement, frame.today
    figures = _figures(workstream, listing)
    listed = _listed(user, workstream, listing, today)
    actions = paginate(listed, listing.page, listing.per_page, total=figures.total)
    return WorkstreamPage(
        workstream=workstream,
        agreement=agreement,
        today=today,
        listing=listing,
        actions=actions,
        milestones=_milestones_of([a.id for a in actions.items]),
        serving=_actions_by_commitment(workstream),
        serving_counts=figures.serving_counts,
        owners=_owners(workstream),
        indicators=indicators_with_latest(agreement.id, workstream.id),
        original_ends_on=figures.original_ends_on,
    )


@dataclass(frozen=True)
class _Figures:
    original_ends_on: date | None  # the agreement's end date before any amendment in effect moved it (None: none)
    total: int | None  # how many actions the list holds, when the tallies tell (None: to count)
    serving_counts: dict[int, CappedCount]  # {commitment id: how many actions serve it, up to COUNT_CAP}


# The page's statements are built once per shape (how many commitments; which filters the tallies answer), their
# values bound at each request: building a select of a few subqueries costs more CPU than the database takes to
# run it.


def _figures(workstream: Workstream, listing: ActionList) -> _Figures:
    """Return the page's figures, read in one row of scalar subqueries: the agreement's end before amendments,
    how many actions serve each commitment (each counted up to COUNT_CAP: a bounded number of rows read), and
    the size of the list when its filters are those the workstream's tallies keep (none, status, health)."""
    commitment_ids = [c.id for c in workstream.commitments]
    f = listing.filters
    tallied = replace(f, status=None, health=None) == ActionFilters()
    statement = _figures_statement(len(commitment_ids), tallied, f.status is not None, f.health is not None)
    values = {f"commitment_{n}": commitment_id for n, commitment_id in enumerate(commitment_ids)}
    values |= {"agreement_id": workstream.agreement_id}
    if tallied:
        values |= {"workstream_id": workstream.id, "status": f.status, "health": f.health}
    ends_on, *figures = db.session.execute(statement, values).one()
    return _Figures(
        original_ends_on=ends_on,
        total=int(figures.pop() or 0) if tallied else None,
        serving_counts={c: CappedCount(n or 0, COUNT_CAP) for c, n in zip(commitment_ids, figures, strict=True)},
    )


@lru_cache(maxsize=64)
def _figures_statement(commitments: int, tallied: bool, by_status: bool, by_health: bool) -> Select[Any]:
    """The statement of `_figures`: the agreement's original end; for each of `commitments` commitments (bound as
    commitment_0, commitment_1…) how many actions serve it, counted up to COUNT_CAP; with `tallied`, how many
    actions of the workstream (of `status`, of `health`) its tallies hold, the same figure as counting them."""
    original_end = select(func.min(Amendment.previous_ends_on)).where(
        Amendment.agreement_id == bindparam("agreement_id"), Amendment.in_effect_at.is_not(None)
    )
    columns = [original_end.scalar_subquery()]
    # Each serving pair's action status is read by a scalar subquery, one index probe per pair: a join would be
    # planned as a hash join over every action (60 ms at 30,000 actions).
    status = select(Action.status).where(Action.id == action_commitments.c.action_id).scalar_subquery()
    for n in range(commitments):
        pairs = (
            select(action_commitments.c.action_id)
            .where(action_commitments.c.commitment_id == bindparam(f"commitment_{n}"), status.in_(NOT_CANCELLED))
            .limit(COUNT_CAP)
        )
        columns.append(select(func.count()).select_from(pairs.subquery()).scalar_subquery())
    if tallied:
        tallies = [WorkstreamTally.workstream_id == bindparam("workstream_id"), WorkstreamTally.subject == "action"]
        if by_status:
            tallies.append(WorkstreamTally.status == bindparam("status"))
        if by_health:
            tallies.append(WorkstreamTally.health == bindparam("health"))
        columns.append(select(func.coalesce(func.sum(WorkstreamTally.count), 0)).where(*tallies).scalar_subquery())
    return select(*columns)


def _listed(user: User, workstream: Workstream, listing: ActionList, today: date) -> Select[tuple[Action]]:
    statement = matching_actions(user, replace(listing.filters, workstream_id=workstream.id), today)
    columns = SORTS[listing.sort]
    order = [c.desc() if listing.descending else c.asc() for c in columns]
    return statement.options(joinedload(Action.owner), joinedload(Action.lead_party), with_continuation()).order_by(
        *[c.is_(None) for c in columns], *order, Action.id
    )


def _milestones_of(action_ids: list[int]) -> dict[int, list[Milestone]]:
    grouped: dict[int, list[Milestone]] = defaultdict(list)
    if action_ids:
        for milestone in db.session.scalars(milestones_of(action_ids)):
            grouped[milestone.action_id].append(milestone)
    return grouped


def _actions_by_commitment(workstream: Workstream) -> dict[int, list[Action]]:
    """Return the first few actions serving each commitment (not cancelled, the oldest first): a bounded number of
    rows read, however many actions serve it (their count: `_figures`)."""
    commitment_ids = [c.id for c in workstream.commitments]
    if not commitment_ids:
        return {}
    values = {f"commitment_{n}": commitment_id for n, commitment_id in enumerate(commitment_ids)}
    serving: dict[int, list[Action]] = defaultdict(list)
    for commitment_id, action in db.session.execute(_first_serving_statement(len(commitment_ids)), values):
        serving[commitment_id].append(action)
    return serving


@lru_cache(maxsize=32)
def _first_serving_statement(commitments: int) -> Select[tuple[int, Action]]:
    """The statement of `_actions_by_commitment` for `commitments` commitments (bound as commitment_0…): the
    (commitment id, action) of the first ACTIONS_PER_COMMITMENT actions serving each, not cancelled."""
    first = [
        select(action_commitments.c.commitment_id, action_commitments.c.action_id)
        .join(Action, action_commitments.c.action_id == Action.id)
        .where(action_commitments.c.commitment_id == bindparam(f"commitment_{n}"), Action.status.in_(NOT_CANCELLED))
        .order_by(action_commitments.c.action_id)
        .limit(ACTIONS_PER_COMMITMENT)
        .subquery()
        for n in range(commitments)
    ]
    listed = union_all(*[select(f.c.commitment_id, f.c.action_id) for f in first]).subquery()
    return (
        select(listed.c.commitment_id, Action)
        .join(Action, Action.id == listed.c.action_id)
        .order_by(listed.c.commitment_id, Action.id)
        .options(with_continuation())
    )


def _owners(workstream: Workstream) -> list[User]:
    """The people owning at least one of the workstream's actions, by name."""
    return list(db.session.scalars(_OWNERS, {"workstream_id": workstream.id}))


def _owners_statement() -> Select[tuple[User]]:
    """The statement of `_owners`, read owner by owner from the index of actions by workstream and owner, each step
    jumping to the next owner (a skip scan): its cost follows how many people own actions, not how many actions
    they own."""
    in_workstream = Action.workstream_id == bindparam("workstream_id")
    owners = select(func.min(Action.owner_id).label("id")).where(in_workstream).cte("owners", recursive=True)
    following = select(func.min(Action.owner_id)).where(in_workstream, Action.owner_id > owners.c.id)
    owners = owners.union_all(select(following.scalar_subquery()).where(owners.c.id.is_not(None)))
    return select(User).where(User.id.in_(select(owners.c.id))).order_by(User.name)


_OWNERS = _owners_statement()
