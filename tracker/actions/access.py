"""Reading actions and their parts as a user: anything outside the user's agreements does not exist."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.accounts.models import User
from tracker.actions.models import Action, Attachment, Indicator, Milestone
from tracker.actions.queries import visible_actions, visible_indicators
from tracker.agreements.models import Agreement, Workstream
from tracker.agreements.services import can_see_agreement, workstream_visible_to
from tracker.core.db import db
from tracker.core.errors import NotFound


def _as_id(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def ensure_visible(user: User, agreement_id: int, message: Any = None) -> None:
    """Raise NotFound unless the user's party signed the agreement (no query when a lookup of this request's
    session already found it visible: the action page's history pane after get_action)."""
    if not user.active:
        raise NotFound(message or _l("This action does not exist, or you may not see it."))
    if _seen(user, agreement_id) or can_see_agreement(user, agreement_id):
        return
    raise NotFound(message or _l("This action does not exist, or you may not see it."))


def _proven_visible(user: User, agreement_id: int) -> None:
    """Remember, for the rest of this transaction (a request's unit of work), that the user's party signed the
    agreement: a visibility lookup just found something of it."""
    transaction = db.session().get_transaction()
    kept = db.session.info.get(_SEEN)
    if kept is None or kept[0] is not transaction:
        kept = db.session.info[_SEEN] = (transaction, set())
    kept[1].add((user.id, user.party_id, agreement_id))


def _seen(user: User, agreement_id: int) -> bool:
    kept = db.session.info.get(_SEEN)
    return (
        kept is not None
        and kept[0] is not None
        and kept[0] is db.session().get_transaction()
        and (user.id, user.party_id, agreement_id) in kept[1]
    )


_SEEN = "tracker.actions.access.visible_agreements"


def _action_options() -> tuple[Any, ...]:
    return (
        joinedload(Action.workstream).joinedload(Workstream.agreement).selectinload(Agreement.signatories),
        joinedload(Action.workstream).selectinload(Workstream.leads),
    )


def get_action(user: User, action_id: Any, *options: Any) -> Action:
    """Return the action if it belongs to an agreement the user may see (NotFound otherwise), with `options`
    loaded (loader options for what a page shows; by default, what the rules read: its workstream's co-leads and
    its agreement's signatories). The one visibility lookup of an action."""
    ident = _as_id(action_id)
    action = None
    if ident is not None and user.active:
        action = db.session.scalar(
            visible_actions(user).where(Action.id == ident).options(*(options or _action_options()))
        )
    if action is None:
        raise NotFound(_l("This action does not exist, or you may not see it."))
    _proven_visible(user, action.workstream.agreement_id)
    return action


def get_milestone(user: User, milestone_id: Any) -> Milestone:
    """Return the milestone if its action belongs to an agreement the user may see."""
    ident = _as_id(milestone_id)
    milestone = None
    if ident is not None and user.active:
        milestone = db.session.scalar(
            select(Milestone)
            .join(Milestone.action)
            .join(Action.workstream)
            .where(Milestone.id == ident, workstream_visible_to(user))
            .options(joinedload(Milestone.action).options(*_action_options()))
        )
    if milestone is None:
        raise NotFound(_l("This milestone does not exist, or you may not see it."))
    return milestone


def get_attachment(user: User, attachment_id: Any) -> Attachment:
    """Return the evidence file's record if its action belongs to an agreement the user may see."""
    ident = _as_id(attachment_id)
    attachment = None
    if ident is not None and user.active:
        attachment = db.session.scalar(
            select(Attachment)
            .join(Action, Action.id == Attachment.action_id)
            .join(Action.workstream)
            .where(Attachment.id == ident, workstream_visible_to(user))
        )
    if attachment is None:
        raise NotFound(_l("This file does not exist, or you may not see it."))
    return attachment


def get_indicator(user: User, indicator_id: Any) -> Indicator:
    """Return the indicator if its agreement is one the user may see."""
    ident = _as_id(indicator_id)
    indicator = None
    if ident is not None and user.active:
        indicator = db.session.scalar(
            visible_indicators(user)
            .where(Indicator.id == ident)
            .options(joinedload(Indicator.workstream).selectinload(Workstream.leads))
        )
    if indicator is None:
        raise NotFound(_l("This indicator does not exist, or you may not see it."))
    return indicator
