"""A closed (or archived) agreement is read-only: the one rule, enforced at the one gate every write goes through.

Every change under an agreement is audited (tracker.core.audit.record, in the same transaction), so the rule
(tracker.agreements.services.ensure_writable) is registered there as a write guard: actions, milestones, progress
logs, evidence, measurements, co-leads, amendments, imports and API writes are all refused with the same message,
and the caller rolls back. What only links a closed agreement to others or moves it along its own lifecycle, and
changes nothing it recorded, is declared by the code that writes it (`allow_on_closed`, from
tracker.closeout.init_app): closing and archiving, a renewal's proposal and links. Pages ask
`Agreement.is_read_only` to stop offering their write forms."""

from __future__ import annotations

from tracker.agreements.models import Agreement
from tracker.agreements.services import ensure_writable
from tracker.core.db import db

# Days off belong to a party, not to the agreement whose data file carries them.
_NOT_UNDER_AGREEMENT = {"day_off"}
# The (entity, verb) writes a closed agreement still takes: they link, they do not change (`allow_on_closed`).
_ALLOWED: set[tuple[str, str]] = set()


def allow_on_closed(*writes: tuple[str, str]) -> None:
    """Declare (entity, verb) writes that link a closed agreement, or move it along its lifecycle, without changing
    what it recorded: the write guard lets them through (called at app start; declaring one again changes nothing)."""
    _ALLOWED.update(writes)


def refuse_writes_to_closed(agreement_id: int, entity: str, verb: str) -> None:
    """The write guard: raise InvalidTransition (409) for any change under a closed or archived agreement, except
    the writes declared with `allow_on_closed`. Reads the agreement from the session (no query once loaded)."""
    if entity in _NOT_UNDER_AGREEMENT or (entity, verb) in _ALLOWED:
        return
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None or not agreement.is_read_only:
        return
    ensure_writable(agreement)
