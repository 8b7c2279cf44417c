"""Decisions confirmed by an admin of each signatory party: an amendment (tracker/agreements/amendments.py) and a
successor proposal (tracker/closeout/renewal_proposal.py). The party that records the decision confirms it at once;
an admin of every other signatory party confirms it in turn, and the caller puts it into effect once no party is
left to confirm. Each confirmation is one row (party, user) in the decision's `confirmations`, audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from tracker.accounts.models import Party, User
from tracker.accounts.permissions import is_admin
from tracker.agreements.models import Agreement
from tracker.core import audit
from tracker.core.db import db


class Confirmed(Protocol):
    """A decision that waits for its parties' confirmations (Amendment, RenewalProposal)."""

    confirmations: list[Any]

    def confirmed_by_party(self, party_id: int | None) -> bool: ...


def is_signatory_admin(user: User, agreement: Agreement) -> bool:
    """Whether the user is an (active) admin of one of the agreement's signatory parties."""
    return is_admin(user) and user.party_id in {s.party_id for s in agreement.signatories}


def waiting_for(agreement: Agreement, decision: Confirmed) -> list[Party]:
    """Return the signatory parties (in the agreement's order) that have not confirmed the decision yet."""
    return [s.party for s in agreement.signatories if not decision.confirmed_by_party(s.party_id)]


def confirm(
    user: User,
    agreement: Agreement,
    decision: Confirmed,
    row: type,
    *,
    entity: str,
    entity_id: int,
    verb: str,
    changes: Mapping[str, Any] | None = None,
) -> list[Party]:
    """Add the user's party's confirmation (a `row`, e.g. AmendmentConfirmation) to the decision and audit it (as
    `verb` on `entity`, its changes `confirmed_for` the party's code and `changes`). Returns the parties still to
    confirm: none once every signatory party has, when the caller puts the decision into effect. Flushes."""
    decision.confirmations.append(row(party_id=user.party_id, user_id=user.id))
    db.session.flush()
    audit.record(
        actor=user,
        entity=entity,
        entity_id=entity_id,
        verb=verb,
        changes={"confirmed_for": user.party.code} | dict(changes or {}),
        agreement_id=agreement.id,
    )
    return waiting_for(agreement, decision)
