"""Who leads a workstream: the rule the action, close-out and report domains build on."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.accounts.models import User
    from tracker.agreements.models import Workstream


def is_co_lead(user: User, workstream: Workstream, party_id: int | None = None) -> bool:
    """Whether the user co-leads the workstream (for the party `party_id` when given, else for any party)."""
    return any(lead.user_id == user.id and (party_id is None or lead.party_id == party_id) for lead in workstream.leads)
