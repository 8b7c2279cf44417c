"""Renewal into a successor: the agreement that follows an ended one (new slug and period; the same parties,
workstreams with their co-leads, and commitments, to edit afterwards). The actions whose close-out decision is *carried over* move into it — a new action in the matching workstream, with the same
owner and the milestones still open, each linked to the action it continues — at the renewal for the decisions
already taken, at the decision for the later ones. Indicators continue from their last measurement as the new
baseline. The ended agreement keeps its actions as they were, with their decisions. (The moves are in
carry_over.py, the copies in successor_copy.py.) `renew` runs once an admin of each signatory party has confirmed
the proposed successor (renewal_proposal.py); a data file's `succeeds:` links directly (`link_successor`).

It lives in the close-out domain rather than in `agreements/`: it reads the close-out decisions and creates actions
and indicators, which sit above the agreements package in the import order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker.accounts.models import User
from tracker.actions.models import Action
from tracker.actions.validation import reader_date
from tracker.agreements import confirmations
from tracker.agreements.amendments import MAX_SUCCESSION_GAP_YEARS, MAX_TERM_YEARS, add_years, read_date
from tracker.agreements.loader import AgreementFileError
from tracker.agreements.models import Agreement, AgreementParty
from tracker.agreements.services import successor_signature_window
from tracker.closeout import carry_over, successor_copy
from tracker.core import audit, clock
from tracker.core.db import db
from tracker.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from tracker.web.i18n import localized

LANGUAGES = successor_copy.LANGUAGES
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
MAX_TITLE = 300
MIN_TITLE = 3  # an agreement's title names it in each language: « B » is no title
TERM_YEARS = 5  # the default term of a successor, like the agreement of 2021
# A renewal only links the ended agreement to its successor and moves its carried-over actions out of it (their
# record there stays as it was): regions may decide on a successor after closing, so a closed agreement takes these
# writes (tracker/closeout/readonly.py `allow_on_closed`). Its proposal's steps are in renewal_proposal.py.
LINKING_WRITES = (
    ("agreement", "renew"),
    ("agreement", "propose_renewal"),
    ("agreement", "confirm_renewal"),
    ("agreement", "withdraw_renewal"),
    ("agreement", "decline_renewal"),
    ("agreement", "link_successor"),
    ("action", "carry_over"),
)


@dataclass(frozen=True)
class Proposal:
    """What the renewal form offers first: a slug with the new start year, the day after the end, five years."""

    slug: str
    starts_on: date
    ends_on: date
    titles: dict[str, str]


def proposal(agreement: Agreement) -> Proposal:
    """Return the default slug, period and titles (per language) of the agreement's successor."""
    starts = agreement.ends_on + timedelta(days=1)
    ends = add_years(starts, TERM_YEARS) - timedelta(days=1)
    year = str(starts.year)
    slug = (
        re.sub(r"\d{4}$", year, agreement.slug) if re.search(r"\d{4}$", agreement.slug) else f"{agreement.slug}-{year}"
    )
    return Proposal(slug[:64], starts, ends, {lang: agreement.text("title", lang) for lang in LANGUAGES})


def latest_start(agreement: Agreement) -> date:
    """Return the last day on which the agreement's successor may start: one year after its end date."""
    return add_years(agreement.ends_on, MAX_SUCCESSION_GAP_YEARS)


def period_label(agreement: Agreement) -> str:
    """Return the agreement's period as people name it: « 2021–2026 »."""
    return f"{agreement.starts_on.year}–{agreement.ends_on.year}"


def renewal_refusal(user: User, agreement: Agreement) -> Any:
    """Return why the user may not start the agreement's successor now (a translatable message), or None."""
    if not confirmations.is_signatory_admin(user, agreement):
        return _l("Only an administrator of a signatory party starts the agreement that succeeds this one.")
    if agreement.succeeded_by is not None:
        return _l(
            "This agreement already has its successor: %(slug)s.", slug=localized(agreement.succeeded_by, "title")
        )
    if not agreement.has_ended(clock.today(agreement.timezone)):
        return _l("The agreement is in force: its successor is prepared once it has ended (or extend it).")
    return None


def ensure_may_renew(user: User, agreement: Agreement) -> None:
    """Raise PermissionDenied (not an admin of a signatory party) or InvalidTransition (in force, or already
    renewed) when the user may not start the agreement's successor now (`renewal_refusal`)."""
    refusal = renewal_refusal(user, agreement)
    if refusal is not None:
        raise (InvalidTransition if confirmations.is_signatory_admin(user, agreement) else PermissionDenied)(refusal)


def renew(
    agreement: Agreement,
    *,
    by: User,
    slug: str,
    starts_on: Any,
    ends_on: Any,
    title: Mapping[str, str] | None = None,
    signed_on: Any = None,
) -> Agreement:
    """Create and return the successor of an ended agreement, and move the actions already carried over into it.

    `title` maps languages ("fr", "nl", "en") to titles; a missing one (or None) keeps the ended agreement's, an
    empty one is refused. Dates are
    `date`s or ISO strings; `signed_on`, the day the successor was signed, is required: it is never guessed (the
    agreement years count from it). Raises PermissionDenied (not an admin of a signatory party), InvalidTransition
    (in force, or already renewed) or ValidationFailed with field errors (`slug`, `starts_on`, `ends_on`,
    `signed_on`, `title_fr`…). Flushes; the caller commits."""
    ensure_may_renew(by, agreement)
    values = validated(agreement, slug, starts_on, ends_on, title, signed_on, signature_required=True)
    successor = Agreement(
        **values,
        **{f"summary_{lang}": getattr(agreement, f"summary_{lang}") for lang in LANGUAGES},
        timezone=agreement.timezone,
        succeeds_id=agreement.id,
        signatories=[AgreementParty(party_id=s.party_id, position=s.position) for s in agreement.signatories],
    )
    db.session.add(successor)
    db.session.flush()
    successor_copy.copy_workstreams(agreement, successor)
    indicators = successor_copy.continue_indicators(agreement, successor)
    _audit_link(agreement, successor, by, verb="renew", indicators=indicators)
    carry_over.carry_over_decided(agreement, successor, by=by)
    return successor


def link_successor(predecessor: Agreement, successor: Agreement, *, by: User | None) -> list[Action]:
    """Make `successor` (loaded from a data file) succeed `predecessor`: workstream co-leads and indicators the
    file does not give continue, and the carried-over actions move. Returns the moved actions. Raises
    ValidationFailed when a carried-over action has no matching workstream. Flushes."""
    successor.succeeds_id = predecessor.id
    db.session.flush()
    db.session.expire(successor, ["workstreams"])  # the loader added them by id: read them afresh
    successor_copy.copy_leads(predecessor, successor)
    indicators = successor_copy.continue_indicators(predecessor, successor)
    _audit_link(predecessor, successor, by, verb="link_successor", indicators=indicators)
    return carry_over.carry_over_decided(predecessor, successor, by=by)


def link_from_file(predecessor: Agreement, successor: Agreement, actor: User | None) -> int:
    """The agreement loader's succession (`succeeds:` in a data file): link, and count the actions moved."""
    try:
        return len(link_successor(predecessor, successor, by=actor))
    except ValidationFailed as exc:
        raise AgreementFileError(f"succeeds: {exc.message}") from None


def _audit_link(predecessor: Agreement, successor: Agreement, by: User | None, *, verb: str, indicators: int) -> None:
    audit.record(
        actor=by,
        entity="agreement",
        entity_id=predecessor.id,
        verb=verb,
        changes={"succeeded_by": successor.slug},
        agreement_id=predecessor.id,
    )
    audit.record(
        actor=by,
        entity="agreement",
        entity_id=successor.id,
        verb=verb,
        changes={
            "succeeds": predecessor.slug,
            "starts_on": successor.starts_on,
            "ends_on": successor.ends_on,
            "signed_on": successor.signed_on,
            "indicators": indicators,
        },
        agreement_id=successor.id,
    )


def validated(
    agreement: Agreement,
    slug: Any,
    starts_on: Any,
    ends_on: Any,
    title: Any,
    signed_on: Any = None,
    *,
    signature_required: bool = False,
) -> dict[str, Any]:
    """Return the successor's checked values (slug, title_fr/nl/en, starts_on, ends_on and signed_on as dates;
    signed_on None when empty and not `signature_required`), or raise ValidationFailed with field errors."""
    errors: dict[str, list[Any]] = {}
    slug = str(slug or "").strip()
    if not SLUG.match(slug):
        errors["slug"] = [_l("A short name of 2 to 64 lowercase letters, digits and hyphens, e.g. idf-bxl-2026.")]
    elif db.session.scalar(select(Agreement.id).where(Agreement.slug == slug)) is not None:
        errors["slug"] = [_l("This short name is already taken.")]
    titles = {}
    for lang in LANGUAGES:
        given = (title or {}).get(lang)
        text = " ".join(str(agreement.text("title", lang) if given is None else given).split())
        if not text:  # emptied: refused, never silently replaced by the ended agreement's
            errors[f"title_{lang}"] = [_l("A title is needed.")]
        elif not MIN_TITLE <= len(text) <= MAX_TITLE:
            errors[f"title_{lang}"] = [_l("A title of %(min)d to %(max)d characters.", min=MIN_TITLE, max=MAX_TITLE)]
        titles[f"title_{lang}"] = text
    starts = read_date(errors, "starts_on", starts_on)
    if starts is not None and starts <= agreement.ends_on:
        errors["starts_on"] = [_l("The successor starts after the end of this agreement.")]
    elif starts is not None and starts > latest_start(agreement):
        errors["starts_on"] = [
            _l(
                "The successor starts at the latest one year after the end of this agreement, on %(date)s.",
                date=reader_date(latest_start(agreement)),
            )
        ]
    ends = read_date(errors, "ends_on", ends_on)  # read second: a wrong start is the first error to show
    if starts is not None and ends is not None and "ends_on" not in errors:
        if ends <= starts:
            errors["ends_on"] = [_l("The end date must come after the start date.")]
        elif ends < clock.today(agreement.timezone):
            errors["ends_on"] = [_l("The successor would already have ended: choose a later end date.")]
        elif ends > add_years(starts, MAX_TERM_YEARS):
            errors["ends_on"] = [_l("An agreement runs for %(n)d years at most.", n=MAX_TERM_YEARS)]
    signed = signature(errors, agreement, signed_on, required=signature_required)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors)
    return {"slug": slug, **titles, "starts_on": starts, "ends_on": ends, "signed_on": signed}


def signature(errors: dict[str, list[Any]], agreement: Agreement, raw: Any, *, required: bool) -> date | None:
    """Return the successor's date of signature (None when empty and not `required`), adding a message to
    errors["signed_on"] when missing though required, or outside `successor_signature_window` (in the future, or before
    the ended agreement's own signature; it may come after the successor's start: signed with retroactive effect)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            errors["signed_on"] = [_l("Enter the date on which the successor agreement was signed.")]
        return None
    signed = read_date(errors, "signed_on", raw)
    earliest, today = successor_signature_window(agreement)
    if signed is not None and signed > today:
        errors["signed_on"] = [
            _l("A date of signature cannot be in the future: today is %(today)s.", today=reader_date(today))
        ]
    elif signed is not None and signed < earliest:
        errors["signed_on"] = [
            _l(
                "The successor cannot have been signed before this agreement, which was signed on %(date)s.",
                date=reader_date(earliest),
            )
        ]
    return signed
