"""Read queries of the action domain, the one module for them: which actions a user may see, the filters of every
action list (pages, exports, API), the action page and its progress log, an agreement's lists of planned milestones and of progress logs, the
action form's choices, indicators with their latest measurement (the lookups of one object by id, with the visibility rule, are in access.py)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    Subquery,
    and_,
    bindparam,
    exists,
    false,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.orm import aliased, joinedload, selectinload
from wtforms.fields.choices import SelectChoice

from tracker.accounts.models import Party, Role, User
from tracker.actions.models import (
    OPEN_STATUSES,
    Action,
    ActionApproval,
    ActionStatus,
    Health,
    Indicator,
    Measurement,
    Milestone,
    MilestoneStatus,
    ProgressUpdate,
    action_commitments,
)
from tracker.actions.rescheduling import inherited
from tracker.agreements.models import Agreement, AgreementParty, Commitment, Workstream, WorkstreamLead
from tracker.agreements.services import get_agreement, visible_agreement_ids, workstream_visible_to
from tracker.core import clock
from tracker.core.db import db
from tracker.core.numbers import parse_db_int
from tracker.core.pagination import Page, paginate, paginate_counted
from tracker.web.i18n import commitment_number, localized


@dataclass(frozen=True)
class ActionFilters:
    """The filters of an action list; None means "any"."""

    agreement: str | None = None
    workstream_id: int | None = None
    status: str | None = None
    health: str | None = None
    owner_id: int | None = None
    lead_party: str | None = None
    overdue: bool | None = None
    late: bool | None = None  # past the action's due date and still open (Action.is_late)
    q: str | None = None
    commitment_id: int | None = None  # only the actions serving this commitment (the workstream page's link)

    @classmethod
    def from_mapping(cls, values: Any) -> ActionFilters:
        """Build filters from untrusted strings (a query string); unknown values match nothing."""

        def _int(name: str) -> int | None:
            raw = (values.get(name) or "").strip()
            number = parse_db_int(raw)
            return number if number is not None else (-1 if raw else None)

        flags = {"true": True, "1": True, "on": True, "false": False, "0": False}

        def _flag(name: str) -> bool | None:
            return flags.get((values.get(name) or "").strip().lower())

        return cls(
            agreement=(values.get("agreement") or "").strip() or None,
            workstream_id=_int("workstream"),
            status=(values.get("status") or "").strip() or None,
            health=(values.get("health") or "").strip() or None,
            owner_id=_int("owner"),
            # `party` is the workstream page's name for the lead party.
            lead_party=(values.get("lead_party") or values.get("party") or "").strip().upper() or None,
            overdue=_flag("overdue"),
            late=_flag("late"),
            q=(values.get("q") or "").strip()[:200] or None,
        )


def visible_actions(user: User) -> Select[tuple[Action]]:
    """Return a select of the actions a user may see (their workstream joined): those of the workstreams of
    agreements the user's party signed (agreements.services.workstream_visible_to, the one source of the rule)."""
    return select(Action).join(Workstream, Action.workstream_id == Workstream.id).where(workstream_visible_to(user))


def visible_indicators(user: User) -> Select[tuple[Indicator]]:
    """Return a select of the indicators a user may see: those of the agreements the user's party signed (nothing
    loaded with them, no order). The one visibility query of indicators (access.get_indicator, the API's list)."""
    return select(Indicator).where(Indicator.agreement_id.in_(visible_agreement_ids(user)))


def overdue_condition(today: date) -> Any:
    """Return the condition on `Action`: it has an overdue milestone on `today` (Milestone.is_overdue)."""
    return exists().where(Milestone.action_id == Action.id, Milestone.is_overdue(today))


def with_continuation() -> Any:
    """Loader option on `Action`: the action continuing it in a successor agreement (`continued_by`, its id only),
    joined to the action's own row (no query of its own). Every list that shows an action's state loads it: a
    carried-over action reads « continued in the next agreement » there, linked to its continuation, never late
    (actions/_macros.html `action_state`)."""
    return joinedload(Action.continued_by).load_only(Action.id)


# The successor of an action, as its own FROM inside each EXISTS (one alias for every statement: aliasing Action
# costs milliseconds of CPU, paid on every page that builds the condition).
_CONTINUATION = aliased(Action, name="continuation")


def continued_by_workstream(workstream_ids: Collection[int]) -> Select[tuple[int, str, str, int]]:
    """Return a select of (workstream id, status, health, count) of these workstreams' actions carried over into a
    successor agreement, read from the index of `continues_action_id` (the shared alias: no aliasing per call)."""
    return (
        select(Action.workstream_id, Action.status, Action.health, func.count())
        .select_from(_CONTINUATION)
        .join(Action, _CONTINUATION.continues_action_id == Action.id)
        # Said outright so that the index is read for its continuations only, not for every action of the database.
        .where(_CONTINUATION.continues_action_id.is_not(None), Action.workstream_id.in_(list(workstream_ids)))
        .group_by(Action.workstream_id, Action.status, Action.health)
    )


# The actions carried over into a successor, as the ids their continuations name: read once per statement from
# the index of `continues_action_id` (its non-null entries only), then looked up in memory row after row.
_CONTINUED_IDS = select(_CONTINUATION.continues_action_id).where(_CONTINUATION.continues_action_id.is_not(None))


def continued_elsewhere() -> Any:
    """SQL condition on `Action`: carried over into a successor agreement, where it continues (`continued_by`;
    the same rule as tracker/actions/lifecycle.py `not_continued`, which pages show): frozen here, never late.

    Written as `id IN (the continued ids)` rather than EXISTS: negated (`~continued_elsewhere()`, what lists and
    counts use), PostgreSQL reads the ids once into a hash, where an anti-join probed the index once per row read
    (two index pages per row: most of the cost of a count that reads 1,000 of them)."""
    return Action.id.in_(_CONTINUED_IDS)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


SEARCH_WORDS = 8  # words of a search that count; the rest are ignored


def text_matches(text: str | None) -> list[ColumnElement[bool]]:
    """Return one condition per word of `text` (the first SEARCH_WORDS): the action's title or description
    contains it, whatever the case. ILIKE on the bare columns is what PostgreSQL's trigram indexes serve
    (migration 0007)."""
    conditions = []
    for word in (text or "").split()[:SEARCH_WORDS]:
        pattern = f"%{_escape_like(word.lower())}%"
        conditions.append(or_(Action.title.ilike(pattern, escape="\\"), Action.description.ilike(pattern, escape="\\")))
    return conditions


def filter_actions(user: User, filters: ActionFilters, today: date) -> Select[tuple[Action]]:
    """Return the visible actions matching the filters, newest first, with what a list shows loaded."""
    return matching_actions(user, filters, today).options(*action_list_options()).order_by(Action.id.desc())


def page_of_actions(user: User, filters: ActionFilters, today: date, page: int, per_page: int) -> Page[Action]:
    """Return one page of the matching actions: the page's ids first (a narrow query), then those actions."""
    ids = paginate(
        matching_actions(user, filters, today).with_only_columns(Action.id).order_by(Action.id.desc()), page, per_page
    )
    loaded = db.session.scalars(select(Action).where(Action.id.in_(ids.items)).options(*action_list_options()))
    by_id = {action.id: action for action in loaded}
    return Page(items=[by_id[i] for i in ids.items], page=ids.page, per_page=ids.per_page, total=ids.total)


def matching_actions(user: User, filters: ActionFilters, today: date) -> Select[tuple[Action]]:
    """Return the visible actions matching the filters (no order, no loader options)."""
    stmt = visible_actions(user)
    if filters.agreement:
        stmt = stmt.join(Agreement, Workstream.agreement_id == Agreement.id).where(Agreement.slug == filters.agreement)
    if filters.workstream_id is not None:
        stmt = stmt.where(Action.workstream_id == filters.workstream_id)
    if filters.status:
        statuses = {s.value for s in ActionStatus}
        stmt = stmt.where(Action.status == filters.status) if filters.status in statuses else stmt.where(false())
    if filters.health:
        healths = {h.value for h in Health}
        stmt = stmt.where(Action.health == filters.health) if filters.health in healths else stmt.where(false())
    if filters.owner_id is not None:
        stmt = stmt.where(Action.owner_id == filters.owner_id)
    if filters.lead_party:
        stmt = stmt.where(Action.lead_party_id.in_(select(Party.id).where(Party.code == filters.lead_party)))
    if filters.overdue is not None:
        condition = and_(overdue_condition(today), ~continued_elsewhere())
        stmt = stmt.where(condition if filters.overdue else ~condition)
    if filters.late is not None:
        late = and_(Action.is_late(today), ~continued_elsewhere())
        stmt = stmt.where(late if filters.late else ~late)
    if filters.commitment_id is not None:
        serves = exists().where(
            action_commitments.c.action_id == Action.id, action_commitments.c.commitment_id == filters.commitment_id
        )
        stmt = stmt.where(serves)
    return stmt.where(*text_matches(filters.q))


def action_list_options() -> tuple[Any, ...]:
    """Loader options that let a page of actions render in a few queries."""
    return (
        # Workstreams and agreements carry long texts in three languages: lists need their codes only.
        selectinload(Action.workstream)
        .load_only(Workstream.id, Workstream.code, Workstream.agreement_id)
        .selectinload(Workstream.agreement)
        .load_only(Agreement.id, Agreement.slug, Agreement.timezone),
        joinedload(Action.owner),
        joinedload(Action.lead_party),
        selectinload(Action.commitments).load_only(Commitment.id),
        with_continuation(),
    )


def milestones_of_actions(action_ids: Select[Any]) -> Select[tuple[Milestone]]:
    """Return the milestones of the actions selected by `action_ids`, by action then due date."""
    return (
        select(Milestone)
        .where(Milestone.action_id.in_(action_ids))
        .options(selectinload(Milestone.action).options(*action_list_options()))
        .order_by(Milestone.action_id.desc(), Milestone.due_on, Milestone.id)
    )


UPDATES_PER_PAGE = 20


def action_visible_to(user: User) -> ColumnElement[bool]:
    """Return the condition that keeps only actions of agreements the user's party signed, without joining their
    workstream (`workstream_visible_to` on a subquery of workstream ids)."""
    return Action.workstream_id.in_(select(Workstream.id).where(workstream_visible_to(user)))


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
        with_continuation(),
    )


def progress_log_of(action_id: int) -> Select[tuple[ProgressUpdate]]:
    """Return a select of the action's progress log, newest first (`created_at`, then id, descending), each update
    with its author joined; the caller pages it and adds what else it shows. The one query of a progress log (the
    action page, the API)."""
    return (
        select(ProgressUpdate)
        .where(ProgressUpdate.action_id == action_id)
        .options(joinedload(ProgressUpdate.author))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
    )


def progress_log(action: Action, page: int = 1) -> Page[ProgressUpdate]:
    """Return a page of the action's progress log, newest first, with authors and evidence files."""
    return paginate_counted(
        progress_log_of(action.id).options(selectinload(ProgressUpdate.attachments)), page, UPDATES_PER_PAGE
    )


def milestones_of(action_ids: Collection[int]) -> Select[tuple[Milestone]]:
    """Return a select of the milestones of these actions, by due date then id. The one query of an action's
    milestones (the API's list, the workstream page's timeline)."""
    return select(Milestone).where(Milestone.action_id.in_(action_ids)).order_by(Milestone.due_on, Milestone.id)


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
    values = {"agreement_id": agreement_id, "workstream_id": workstream_id}
    rows = db.session.execute(_indicators_statement(workstream_id is None), values)
    return [IndicatorLine(indicator, measurement) for indicator, measurement in rows]


@lru_cache(maxsize=2)
def _indicators_statement(agreement_wide: bool) -> Select[tuple[Indicator, Measurement]]:
    """The statement of `indicators_with_latest` (bound: agreement_id, workstream_id), built once: building its
    window subquery costs more CPU than the database takes to run it."""
    scope = (
        Indicator.workstream_id.is_(None) if agreement_wide else Indicator.workstream_id == bindparam("workstream_id")
    )
    in_scope = and_(Indicator.agreement_id == bindparam("agreement_id"), scope)
    latest = latest_measurement_ids(select(Indicator.id).where(in_scope))
    return (
        select(Indicator, Measurement)
        .outerjoin(latest, latest.c.indicator_id == Indicator.id)
        .outerjoin(Measurement, Measurement.id == latest.c.id)
        .where(in_scope)
        .order_by(Indicator.position, Indicator.id)
    )


# The lists of one agreement's actions that its dashboard shows the first of: planned milestones overdue or due
# soon, and progress logs newest first.
MILESTONE_LISTS = ("overdue", "upcoming")
UPCOMING_DAYS = 30


def milestones_when(when: str, today: Any, starts_on: Any) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """Return the conditions on planned milestones for `when`: "overdue" (due before today, unless carried over
    from before the agreement's start `starts_on`: to reschedule) or "upcoming" (due within UPCOMING_DAYS from
    today). Two parts: on the milestone alone (its date: a range of ix_milestones_status_due_on, read in order),
    then on the milestone and its action (`inherited`). `today` and `starts_on` are dates or bound parameters
    (for "upcoming", `today` a date, or a pair of parameters: the first day and the last)."""
    if when == "overdue":
        return Milestone.is_overdue(today), ~inherited(Milestone.due_on, starts_on)
    first, last = today if isinstance(today, tuple) else (today, today + timedelta(days=UPCOMING_DAYS))
    return and_(Milestone.status == MilestoneStatus.PLANNED, Milestone.due_on.between(first, last)), true()


def live_milestones(
    workstream_ids: Collection[int] | BindParameter[Any], when: tuple[ColumnElement[bool], ColumnElement[bool]]
) -> Select[tuple[Milestone]]:
    """Return a select of the planned milestones of the open actions of these workstreams (a list of ids, or an
    expanding bound parameter) meeting `when` (`milestones_when`), none of an action carried over into a
    successor (its open milestones moved with it), unordered.

    The action is looked up by a correlated subquery, milestone after milestone in the order of the date index:
    a count or a page stops after the rows it needs (a join let PostgreSQL read every open action of the
    agreement into a hash first), whatever the agreement holds."""
    on_milestone, on_action = when
    ids = workstream_ids if isinstance(workstream_ids, BindParameter) else list(workstream_ids)
    live_action = (
        select(Action.id)
        .where(
            Action.id == Milestone.action_id,
            Action.workstream_id.in_(ids),
            Action.status.in_(OPEN_STATUSES),
            ~continued_elsewhere(),
            on_action,
        )
        .correlate(Milestone)
        .scalar_subquery()
    )
    return select(Milestone).where(on_milestone, live_action.is_not(None))


def planned_milestones(
    workstream_ids: Collection[int] | BindParameter[Any], when: tuple[ColumnElement[bool], ColumnElement[bool]]
) -> Select[tuple[Milestone]]:
    """Return `live_milestones` by due date, each with its action and owner (the dashboard's lists and their whole
    pages)."""
    return (
        live_milestones(workstream_ids, when)
        .options(joinedload(Milestone.action).joinedload(Action.owner))
        .order_by(Milestone.due_on, Milestone.id)
    )


def progress_of_workstreams(workstream_ids: Collection[int] | BindParameter[Any]) -> Select[tuple[ProgressUpdate]]:
    """Return a select of the progress logs of these workstreams' actions (a list of ids, or an expanding bound
    parameter), newest first, each with its action and author (the dashboard's latest and the agreement's whole
    log)."""
    ids = workstream_ids if isinstance(workstream_ids, BindParameter) else list(workstream_ids)
    return (
        select(ProgressUpdate)
        .join(Action, ProgressUpdate.action_id == Action.id)
        .where(Action.workstream_id.in_(ids))
        .options(joinedload(ProgressUpdate.action), joinedload(ProgressUpdate.author))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
    )


def milestone_list(user: User, slug: str, when: str, page: int, per_page: int) -> tuple[Agreement, Page[Milestone]]:
    """Return the agreement and one page of its planned milestones `when` ("overdue" or "upcoming", as the
    dashboard lists them, but all of them); NotFound when the user may not see the agreement."""
    agreement = get_agreement(user, slug)
    condition = milestones_when(when, clock.today(agreement.timezone), agreement.starts_on)
    return agreement, paginate(planned_milestones([ws.id for ws in agreement.workstreams], condition), page, per_page)


def agreement_progress(user: User, slug: str, page: int, per_page: int) -> tuple[Agreement, Page[ProgressUpdate]]:
    """Return the agreement and one page of all its progress logs, newest first (the dashboard shows the first);
    NotFound when the user may not see the agreement."""
    agreement = get_agreement(user, slug)
    return agreement, paginate(progress_of_workstreams([ws.id for ws in agreement.workstreams]), page, per_page)
