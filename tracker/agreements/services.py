"""Which agreements a user may see, and reading them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload
from sqlalchemy.sql.expression import ColumnElement

from tracker.accounts.models import User
from tracker.agreements.models import Agreement, AgreementParty, AgreementStatus, Workstream, WorkstreamLead
from tracker.core import clock
from tracker.core.db import db
from tracker.core.errors import InvalidTransition, NotFound, ValidationFailed
from tracker.web.i18n import localized, reader_date


def visible_agreement_ids(user: User) -> Select[tuple[int]]:
    """Return a subquery of the ids of the agreements the user's party signed."""
    return select(AgreementParty.agreement_id).where(AgreementParty.party_id == user.party_id)


def workstream_visible_to(user: User) -> ColumnElement[bool]:
    """Return the condition, on `Workstream` (in the statement or joined by the caller), that keeps the workstreams
    of agreements the user's party signed: the one source of what a user may see of workstreams and of everything
    in them (actions, milestones, files; tracker.actions.queries.visible_actions and action_visible_to)."""
    return Workstream.agreement_id.in_(visible_agreement_ids(user))


def co_led_workstream_ids(user: User) -> Select[tuple[int]]:
    """Return a select of the ids of the workstreams the user co-leads, for any party and in any agreement (callers
    narrow it, e.g. by joining `Workstream`)."""
    return select(WorkstreamLead.workstream_id).where(WorkstreamLead.user_id == user.id)


def workstreams_in_force(on: date) -> Select[tuple[int]]:
    """Return a subquery of the ids of the workstreams whose agreement is in force on that date."""
    return (
        select(Workstream.id)
        .join(Agreement, Agreement.id == Workstream.agreement_id)
        .where(Agreement.status == AgreementStatus.IN_FORCE, Agreement.ends_on >= on)
    )


def party_people_ids(user: User) -> Select[tuple[int]]:
    """Return a subquery of the ids of the people of the user's party."""
    return select(User.id).where(User.party_id == user.party_id)


def concerns_party(
    user: User, agreement_id: ColumnElement[int | None], person_id: ColumnElement[int | None]
) -> ColumnElement[bool]:
    """Return the SQL condition "this row concerns the user's party", the one rule of every admin page.

    A row tied to an agreement (`agreement_id` set) concerns the parties that signed that agreement; a row
    tied to none (a password reset mail, a change to an account) concerns the party of its person
    (`person_id`: the recipient of a mail, the author of an audit entry). A row with neither concerns nobody.
    """
    return or_(
        agreement_id.in_(visible_agreement_ids(user)),
        and_(agreement_id.is_(None), person_id.in_(party_people_ids(user))),
    )


def can_see_agreement(user: User, agreement_id: int) -> bool:
    """Return whether the user's party signed the agreement (one query)."""
    return party_signed(agreement_id, user.party_id)


def party_signed(agreement_id: int, party_id: int) -> bool:
    """Return whether the party signed the agreement (one query)."""
    return bool(
        db.session.scalar(
            select(exists().where(AgreementParty.agreement_id == agreement_id, AgreementParty.party_id == party_id))
        )
    )


def visible_agreements(user: User) -> Select[tuple[Agreement]]:
    """Return a select of the agreements the user may see, newest (by signing date) first, nothing loaded with
    them."""
    return select(Agreement).where(Agreement.id.in_(visible_agreement_ids(user))).order_by(Agreement.signed_on.desc())


def visible_workstreams(user: User) -> Select[tuple[Workstream]]:
    """Return a select of the workstreams the user may see (`workstream_visible_to`), their agreement joined (to
    filter or order by it), nothing loaded with them, no order."""
    return (
        select(Workstream).join(Agreement, Workstream.agreement_id == Agreement.id).where(workstream_visible_to(user))
    )


def list_agreements(user: User) -> Sequence[Agreement]:
    """Return the agreements the user may see, newest first, with their signatories (two queries)."""
    return db.session.scalars(visible_agreements(user).options(selectinload(Agreement.signatories))).all()


def get_agreement(user: User, slug: str, *, parts: bool = True) -> Agreement:
    """Return the agreement if the user's party signed it; otherwise it does not exist for them (NotFound).
    With `parts`, its signatories and workstreams (with their co-leads) are loaded too; without, the agreement
    alone is read (one query). The one visibility lookup of an agreement by its slug."""
    statement = select(Agreement).where(Agreement.slug == slug, Agreement.id.in_(visible_agreement_ids(user)))
    if parts:
        statement = statement.options(
            selectinload(Agreement.signatories),
            selectinload(Agreement.workstreams).selectinload(Workstream.leads).joinedload(WorkstreamLead.user),
        )
    agreement = db.session.scalar(statement)
    if agreement is None:
        raise NotFound(_l("This agreement does not exist, or you may not see it."))
    return agreement


def get_workstream(user: User, slug: str, code: str, *, with_agreement: bool = False) -> Workstream:
    """Return a workstream of an agreement the user may see, with its commitments and co-leads (and, with
    `with_agreement`, its agreement and the agreement's signatories), in one query."""
    statement = (
        select(Workstream)
        .join(Workstream.agreement)
        .where(Agreement.slug == slug, Workstream.code == code, Agreement.id.in_(visible_agreement_ids(user)))
        .options(joinedload(Workstream.commitments), joinedload(Workstream.leads).joinedload(WorkstreamLead.user))
    )
    if with_agreement:
        statement = statement.options(contains_eager(Workstream.agreement).joinedload(Agreement.signatories))
    workstream = db.session.scalars(statement).unique().one_or_none()
    if workstream is None:
        raise NotFound(_l("This workstream does not exist, or you may not see it."))
    return workstream


def ensure_writable(agreement: Agreement) -> None:
    """Raise InvalidTransition (409) once the agreement is closed or archived: it is read-only, and every write
    under it is refused with this message (the write guard of tracker/closeout/readonly.py calls it)."""
    if agreement.is_read_only:
        raise InvalidTransition(
            _l(
                "This agreement is closed: nothing in it can change any more (it ended on %(date)s). Everything "
                "stays readable and exportable.",
                date=reader_date(agreement.ends_on),
            )
        )


def read_only_reason(agreement: Agreement) -> str | None:
    """Return the message every write under a closed (or archived) agreement is refused with (`ensure_writable`),
    for the write forms to show instead of themselves, or None while it can change."""
    try:
        ensure_writable(agreement)
    except InvalidTransition as exc:
        return str(exc.message)
    return None


def new_action_refusal(agreement: Agreement) -> str | None:
    """Return why no new action may be added to the agreement (`ensure_open_for_new_actions`'s message), for the
    new-action and import pages to show instead of themselves, or None while it is open to new work."""
    return _refusal(ensure_open_for_new_actions, agreement)


def new_milestone_refusal(agreement: Agreement) -> str | None:
    """Return why no new milestone may be added under the agreement (`ensure_open_for_new_milestones`'s message),
    for the new-milestone page to show instead of itself, or None while it is open to new work."""
    return _refusal(ensure_open_for_new_milestones, agreement)


def _refusal(ensure: Callable[[Agreement], None], agreement: Agreement) -> str | None:
    try:
        ensure(agreement)
    except (InvalidTransition, ValidationFailed) as exc:
        return str(exc.message)
    return None


def ensure_open_for_new_actions(agreement: Agreement) -> None:
    """Raise ValidationFailed once the agreement has ended: new work belongs in its successor (named when there is
    one) or in this agreement once extended; InvalidTransition once it is closed (ensure_writable)."""
    _ensure_open(agreement, _new_actions_belong_elsewhere)


def ensure_open_for_new_milestones(agreement: Agreement) -> None:
    """Raise as `ensure_open_for_new_actions` does, with a message about milestones: a new milestone is new work
    too. (The milestones of an action carried over are created in the successor, which is in force.)"""
    _ensure_open(agreement, _new_milestones_belong_elsewhere)


def ensure_due_within_term(agreement: Agreement, due_on: date) -> None:
    """Raise ValidationFailed when a milestone of an ended agreement would be moved to `due_on`, after its end:
    that work belongs in the successor (or in this agreement once extended). Any date is fine while in force."""
    if due_on > agreement.ends_on:
        _ensure_open(agreement, _later_milestones_belong_elsewhere, field="due_on")


def ensure_action_due_within_term(agreement: Agreement, due_on: date) -> None:
    """Raise as `ensure_due_within_term` does when an action of an ended agreement would be moved to `due_on`,
    after its end, with a message about actions: the rule of milestones holds for an action's own due date."""
    if due_on > agreement.ends_on:
        _ensure_open(agreement, _later_actions_belong_elsewhere, field="due_on")


def _ensure_open(
    agreement: Agreement, refusal: Callable[[Agreement, Agreement | None], Any], *, field: str | None = None
) -> None:
    ensure_writable(agreement)
    if agreement.has_ended(clock.today(agreement.timezone)):
        message = refusal(agreement, agreement.succeeded_by)
        raise ValidationFailed(message, {field: [message]} if field else None)


def _new_actions_belong_elsewhere(agreement: Agreement, successor: Agreement | None) -> Any:
    if successor is not None:
        return _l(
            "This agreement ended on %(date)s: new actions belong in the agreement that succeeds it, %(slug)s.",
            date=reader_date(agreement.ends_on),
            slug=localized(successor, "title"),
        )
    return _l(
        "This agreement ended on %(date)s: new actions belong in the agreement that succeeds it, "
        "or in this one once an amendment has extended it.",
        date=reader_date(agreement.ends_on),
    )


def _new_milestones_belong_elsewhere(agreement: Agreement, successor: Agreement | None) -> Any:
    if successor is not None:
        return _l(
            "This agreement ended on %(date)s: new milestones belong in the agreement that succeeds it, %(slug)s.",
            date=reader_date(agreement.ends_on),
            slug=localized(successor, "title"),
        )
    return _l(
        "This agreement ended on %(date)s: new milestones belong in the agreement that succeeds it, "
        "or in this one once an amendment has extended it.",
        date=reader_date(agreement.ends_on),
    )


def _later_milestones_belong_elsewhere(agreement: Agreement, successor: Agreement | None) -> Any:
    if successor is not None:
        return _l(
            "This agreement ended on %(date)s: a milestone due after that date belongs in the agreement that "
            "succeeds it, %(slug)s.",
            date=reader_date(agreement.ends_on),
            slug=localized(successor, "title"),
        )
    return _l(
        "This agreement ended on %(date)s: a milestone due after that date belongs in the agreement that succeeds "
        "it, or in this one once an amendment has extended it.",
        date=reader_date(agreement.ends_on),
    )


def successor_signature_window(predecessor: Agreement) -> tuple[date, date]:
    """Return the first and the last day on which the agreement that succeeds `predecessor` may have been signed:
    not before the predecessor's own signature, and today at the latest (the one clock, in the predecessor's time
    zone). The successor's start does not bound it: public agreements are often signed with retroactive effect.
    The one rule of a successor's signature: the renewal (tracker/closeout/renewal.py) and a data file's
    `succeeds:` (loader.py) both check it."""
    return predecessor.signed_on, clock.today(predecessor.timezone)


def _later_actions_belong_elsewhere(agreement: Agreement, successor: Agreement | None) -> Any:
    if successor is not None:
        return _l(
            "This agreement ended on %(date)s: an action due after that date belongs in the agreement that "
            "succeeds it, %(slug)s.",
            date=reader_date(agreement.ends_on),
            slug=localized(successor, "title"),
        )
    return _l(
        "This agreement ended on %(date)s: an action due after that date belongs in the agreement that succeeds "
        "it, or in this one once an amendment has extended it.",
        date=reader_date(agreement.ends_on),
    )
