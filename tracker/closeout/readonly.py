"""A closed (or archived) agreement is read-only: the one rule, enforced at the one gate every write goes through.

Every change under an agreement is audited (tracker.core.audit.record, in the same transaction), so the check is
registered there as a write guard: actions, milestones, progress logs, evidence, measurements, co-leads,
amendments, imports and API writes are all refused with the same message, and the caller rolls back. The
agreement's own lifecycle moves (closing, archiving) are what make it read-only and stay allowed. Pages ask
`Agreement.is_read_only` to stop offering their write forms."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from tracker.agreements.models import Agreement
from tracker.core.db import db
from tracker.core.errors import InvalidTransition

# Days off belong to a party, not to the agreement whose data file carries them.
_NOT_UNDER_AGREEMENT = {"day_off"}


def closed_message(agreement: Agreement) -> object:
    """Return the refusal a person reads when trying to change a closed agreement."""
    return _l(
        "This agreement was closed: it can no longer change (ended on %(date)s). Everything stays readable and "
        "exportable.",
        date=format_date(agreement.ends_on, "long"),
    )


def refuse_writes_to_closed(agreement_id: int, entity: str, verb: str) -> None:
    """The write guard: raise InvalidTransition (409) for any change under a closed or archived agreement,
    except the agreement's own lifecycle moves. Reads the agreement from the session (no query once loaded)."""
    if entity in _NOT_UNDER_AGREEMENT:
        return
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None or not agreement.is_read_only:
        return
    if entity == "agreement" and verb in _lifecycle_moves():
        return
    raise InvalidTransition(closed_message(agreement))


def _lifecycle_moves() -> set[str]:
    from tracker.closeout.lifecycle import AGREEMENT_LIFECYCLE

    return {t.name for t in AGREEMENT_LIFECYCLE.transitions}
