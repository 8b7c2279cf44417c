"""A renewal needs an admin of each signatory party: the first one's form records a proposal (the successor's slug,
titles and period, with their party's confirmation); an admin of every other party confirms it, and with the last
confirmation `renewal.renew` starts the successor. Until then the proposer's side withdraws it, the other side
declines it. Each step is audited on the ended agreement; the proposal is removed once settled."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.accounts.models import User
from tracker.agreements import confirmations
from tracker.agreements.models import Agreement
from tracker.closeout import renewal
from tracker.closeout.models import RenewalConfirmation, RenewalProposal
from tracker.core import audit
from tracker.core.db import db
from tracker.core.errors import InvalidTransition, PermissionDenied, ValidationFailed


@dataclass(frozen=True)
class Step:
    """What a proposal or a confirmation led to: the started successor, or the parties still to confirm."""

    proposal: RenewalProposal | None
    successor: Agreement | None
    waiting_for: list[Any]  # Party rows whose admins have still to confirm


def open_proposal(agreement: Agreement) -> RenewalProposal | None:
    """Return the agreement's renewal proposal waiting for confirmation (with its confirmations), or None."""
    return db.session.scalar(
        select(RenewalProposal)
        .where(RenewalProposal.agreement_id == agreement.id)
        .options(selectinload(RenewalProposal.confirmations), selectinload(RenewalProposal.proposed_by))
    )


def propose(
    user: User,
    agreement: Agreement,
    *,
    slug: Any,
    starts_on: Any,
    ends_on: Any,
    title: Mapping[str, str] | None = None,
    signed_on: Any = None,
) -> Step:
    """Record the user's party's proposal of a successor (values as for `renewal.renew`; `signed_on` may stay empty
    until the last confirmation, which needs it). An agreement with a single party is renewed at once. Raises PermissionDenied (not an admin of a signatory party), InvalidTransition (in
    force, already renewed, or a proposal waits already) or ValidationFailed with field errors. Flushes."""
    renewal.ensure_may_renew(user, agreement)
    if open_proposal(agreement) is not None:
        raise InvalidTransition(_l("A successor is already proposed: confirm it, or withdraw it first."))
    values = renewal.validated(agreement, slug, starts_on, ends_on, title, signed_on)
    proposal = RenewalProposal(agreement_id=agreement.id, proposed_by_id=user.id, **values)
    db.session.add(proposal)
    db.session.flush()
    audit.record(
        actor=user,
        entity="agreement",
        entity_id=agreement.id,
        verb="propose_renewal",
        changes={k: values[k] for k in ("slug", "starts_on", "ends_on", "signed_on") if values[k] is not None},
        agreement_id=agreement.id,
    )
    return _confirm(user, agreement, proposal)


def confirm(user: User, agreement: Agreement, *, signed_on: Any = None) -> Step:
    """Confirm the waiting proposal for the user's party; the last party's confirmation starts the successor.
    `signed_on` (a date or YYYY-MM-DD; empty keeps the proposal's) records the date the successor was signed: the
    last confirmation needs one. Raises PermissionDenied, InvalidTransition (nothing proposed, or the party has
    confirmed already) or ValidationFailed (`signed_on` missing or wrong, or the successor's values no longer
    hold, e.g. its slug was taken since). Flushes."""
    renewal.ensure_may_renew(user, agreement)
    proposal = open_proposal(agreement)
    if proposal is None:
        raise InvalidTransition(_l("No successor is proposed for this agreement."))
    if proposal.confirmed_by_party(user.party_id):
        raise InvalidTransition(_l("Your party has already confirmed this successor: the other party confirms it."))
    if signed_on is not None and not (isinstance(signed_on, str) and not signed_on.strip()):
        errors: dict[str, list[Any]] = {}
        signed = renewal.signature(errors, agreement, signed_on, required=True)
        if errors:
            raise ValidationFailed(errors["signed_on"][0], errors)
        proposal.signed_on = signed
    return _confirm(user, agreement, proposal)


def withdraw(user: User, agreement: Agreement) -> str:
    """Remove the waiting proposal: withdrawn by the proposing side, declined by the other. Returns the audit verb
    ("withdraw_renewal" or "decline_renewal"). Raises PermissionDenied or InvalidTransition (nothing proposed)."""
    if not confirmations.is_signatory_admin(user, agreement):
        raise PermissionDenied(renewal.renewal_refusal(user, agreement))
    proposal = open_proposal(agreement)
    if proposal is None:
        raise InvalidTransition(_l("No successor is proposed for this agreement."))
    verb = "withdraw_renewal" if proposal.confirmed_by_party(user.party_id) else "decline_renewal"
    audit.record(
        actor=user,
        entity="agreement",
        entity_id=agreement.id,
        verb=verb,
        changes={"slug": proposal.slug},
        agreement_id=agreement.id,
    )
    db.session.delete(proposal)
    db.session.flush()
    return verb


def _confirm(user: User, agreement: Agreement, proposal: RenewalProposal) -> Step:
    missing = confirmations.confirm(
        user,
        agreement,
        proposal,
        RenewalConfirmation,
        entity="agreement",
        entity_id=agreement.id,
        verb="confirm_renewal",
        changes={"slug": proposal.slug} | ({"signed_on": proposal.signed_on} if proposal.signed_on else {}),
    )
    if missing:
        return Step(proposal, None, missing)
    successor = renewal.renew(
        agreement,
        by=user,
        slug=proposal.slug,
        starts_on=proposal.starts_on,
        ends_on=proposal.ends_on,
        title={lang: getattr(proposal, f"title_{lang}") for lang in renewal.LANGUAGES},
        signed_on=proposal.signed_on,
    )
    db.session.delete(proposal)
    db.session.flush()
    return Step(None, successor, [])
