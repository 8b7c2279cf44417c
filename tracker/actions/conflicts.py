"""The answer to an action or milestone edit based on an older version: the conflict page with the action's
field labels, and its owner, lead party and commitments by name."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from sqlalchemy import select

from tracker.accounts.models import Party, User
from tracker.actions.labels import FIELD_LABELS
from tracker.agreements.models import Commitment
from tracker.core.db import db
from tracker.core.errors import Conflict
from tracker.web import conflicts
from tracker.web.i18n import commitment_number


def _people_and_parties(values: list[dict[str, Any]]) -> conflicts.Names:
    """Return display names for the owner and party ids found in the values (two queries at most)."""

    def ids(field: str) -> set[int]:
        found: set[int] = set()
        for v in values:
            raw = v.get(field)
            for item in raw if isinstance(raw, list) else [raw]:
                if str(item).isdigit():
                    found.add(int(item))
        return found

    names: conflicts.Names = {}
    if owners := ids("owner_id"):
        for user in db.session.scalars(select(User).where(User.id.in_(owners))):
            names[("owner_id", user.id)] = user.name
    if parties := ids("lead_party_id"):
        for party in db.session.scalars(select(Party).where(Party.id.in_(parties))):
            names[("lead_party_id", party.id)] = party.text("name", str(get_locale() or "fr"))
    if commitments := ids("commitment_ids"):
        for commitment in db.session.scalars(select(Commitment).where(Commitment.id.in_(commitments))):
            names[("commitment_ids", commitment.id)] = commitment_number(commitment.position)
    return names


def render_conflict(exc: Conflict, back: str) -> tuple[str, int]:
    """Render the conflict page (status 409) for an action edit posted from a page that had become stale."""
    return conflicts.render_conflict(exc, back, FIELD_LABELS, _people_and_parties)
