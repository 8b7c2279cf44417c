"""A closed (or archived) agreement is read-only: the one rule, enforced at the one gate every write goes through.

Every change under an agreement is audited (tracker.core.audit.record, in the same transaction), so the rule
(tracker.agreements.services.ensure_writable) is registered there as a write guard: actions, milestones, progress
logs, evidence, measurements, co-leads, amendments, imports and API writes are all refused with the same message,
and the caller rolls back. The agreement's own lifecycle moves (closing, archiving) are what make it read-only and
stay allowed, as does a renewal's linking. Pages ask `Agreement.is_read_only` to stop offering their write forms."""

from __future__ import annotations

from tracker.agreements.models import Agreement
from tracker.agreements.services import ensure_writable
from tracker.core.db import db

# Days off belong to a party, not to the agreement whose data file carries them.
_NOT_UNDER_AGREEMENT = {"day_off"}
# Renewal only links the closed agreement to its successor and moves its carried-over actions out of it (their
# record there stays as it was): regions may decide on a successor after closing.
_RENEWAL = {
    ("agreement", "renew"),
    ("agreement", "propose_renewal"),
    ("agreement", "confirm_renewal"),
    ("agreement", "withdraw_renewal"),
    ("agreement", "decline_renewal"),
    ("agreement", "link_successor"),
    ("action", "carry_over"),
}


def refuse_writes_to_closed(agreement_id: int, entity: str, verb: str) -> None:
    """The write guard: raise InvalidTransition (409) for any change under a closed or archived agreement,
    except the agreement's own lifecycle moves. Reads the agreement from the session (no query once loaded)."""
    if entity in _NOT_UNDER_AGREEMENT:
        return
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None or not agreement.is_read_only:
        return
    if (entity == "agreement" and verb in _lifecycle_moves()) or (entity, verb) in _RENEWAL:
        return
    ensure_writable(agreement)


def _lifecycle_moves() -> set[str]:
    from tracker.closeout.lifecycle import AGREEMENT_LIFECYCLE

    return {t.name for t in AGREEMENT_LIFECYCLE.transitions}
