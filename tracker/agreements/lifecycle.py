"""The agreement's lifecycle as a table: in force -> ended (by itself, the day after its end date) -> closed ->
archived, and ended -> in force again when an amendment moves the end date past today (amendments.py).
Closing and archiving come with the close-out decisions and the archive package."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from tracker.agreements.models import Agreement, AgreementStatus
from tracker.core import clock
from tracker.core.lifecycle import Lifecycle, Transition, register

S = AgreementStatus

STATE_LABELS = {
    S.IN_FORCE.value: lazy_pgettext("agreement", "in force"),
    S.ENDED.value: lazy_pgettext("agreement", "ended"),
    S.CLOSED.value: lazy_pgettext("agreement", "closed"),
    S.ARCHIVED.value: lazy_pgettext("agreement", "archived"),
}


def _system_only(_agreement: Agreement, user: Any) -> Any:
    """The end comes with the calendar, never from a person."""
    return None if user is None else _l("An agreement ends by itself the day after its end date.")


def _by_amendment(_agreement: Agreement, user: Any) -> Any:
    """An ended agreement is in force again only through an amendment (confirmed by admins, or from a data file)."""
    return None if user is None or user.role == "admin" else _l("Only an amendment can extend an agreement.")


def _before_end_date(agreement: Agreement, _user: Any) -> Any:
    if clock.today(agreement.timezone) <= agreement.ends_on:
        return None
    return _l("The new end date is already past.")


def _past_end_date(agreement: Agreement, _user: Any) -> Any:
    if clock.today(agreement.timezone) > agreement.ends_on:
        return None
    return _l("The agreement is in force until %(date)s.", date=agreement.ends_on.isoformat())


AGREEMENT_LIFECYCLE = register(
    Agreement,
    Lifecycle(
        entity="agreement",
        states=tuple(s.value for s in S),
        transitions=(
            Transition(
                name="end",
                sources=(S.IN_FORCE.value,),
                target=S.ENDED.value,
                label=lazy_pgettext("agreement", "End"),
                who=_system_only,
                when=(_past_end_date,),
            ),
            Transition(
                name="extend",
                sources=(S.ENDED.value,),
                target=S.IN_FORCE.value,
                label=lazy_pgettext("agreement", "Extend"),
                who=_by_amendment,
                when=(_before_end_date,),
            ),
        ),
        agreement_id=lambda agreement: agreement.id,
        state_labels=STATE_LABELS,
    ),
)
