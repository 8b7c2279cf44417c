"""Amendments (« avenants »): an admin of a signatory party records one (reference, date of signature, new end
date, optional text); it takes effect when an admin of every other signatory party has confirmed it. The end date
then moves (report periods follow, being computed from it), an ended agreement is in force again, and the amendment
keeps the end date it replaced."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.accounts.models import User
from tracker.agreements import confirmations
from tracker.agreements.models import Agreement, AgreementStatus, Amendment, AmendmentConfirmation
from tracker.core import audit, clock
from tracker.core.db import db
from tracker.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from tracker.core.lifecycle import transition
from tracker.web.i18n import reader_date

MAX_REFERENCE = 100
MAX_TEXT = 5000
# The dates of agreements and amendments, like every date people give (tracker/actions/validation.py): this
# century; further off is a typing slip.
FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2099, 12, 31)
# An agreement (or its successor) runs for this many years at most: a longer term is a typing error.
MAX_TERM_YEARS = 10
# A successor starts at the latest this many years after the end of the agreement it follows: later is a typing
# error, not a renewal (tracker/closeout/renewal.py, and `succeeds:` in a data file).
MAX_SUCCESSION_GAP_YEARS = 1
# An amendment may move the end by at most this many years: a date further off is a typing error.
MAX_EXTENSION_YEARS = 10


def list_amendments(agreement: Agreement) -> Sequence[Amendment]:
    """Return the agreement's amendments, newest first, with their confirmations (one query each)."""
    return db.session.scalars(
        select(Amendment)
        .where(Amendment.agreement_id == agreement.id)
        .options(selectinload(Amendment.confirmations), selectinload(Amendment.recorded_by))
        .order_by(Amendment.recorded_at.desc(), Amendment.id.desc())
    ).all()


def get_amendment(agreement: Agreement, amendment_id: int) -> Amendment:
    amendment = db.session.get(Amendment, amendment_id)
    if amendment is None or amendment.agreement_id != agreement.id:
        raise NotFound(_l("This amendment does not exist."))
    return amendment


def _signatory_admin(user: User, agreement: Agreement) -> None:
    if not confirmations.is_signatory_admin(user, agreement):
        raise PermissionDenied(_l("Only the administrators of the signatory parties may record amendments."))


def record_amendment(
    user: User, agreement: Agreement, *, reference: str, signed_on: Any, new_ends_on: Any, text: str = ""
) -> Amendment:
    """Record an amendment for the user's party (its first confirmation) and return it, in effect at once when the
    agreement has no other party. Raises PermissionDenied (not a signatory's admin), ValidationFailed (bad
    values, with field errors) or InvalidTransition (another amendment waits for confirmation). Flushes."""
    _signatory_admin(user, agreement)
    existing = list_amendments(agreement)
    if any(a.in_effect_at is None for a in existing):
        raise InvalidTransition(_l("Another amendment waits for confirmation: confirm it first."))
    values = _validated(agreement, existing, reference, signed_on, new_ends_on, text)
    amendment = Amendment(agreement=agreement, previous_ends_on=agreement.ends_on, recorded_by_id=user.id, **values)
    db.session.add(amendment)
    db.session.flush()
    audit.record(
        actor=user,
        entity="amendment",
        entity_id=amendment.id,
        verb="record_amendment",
        changes={k: values[k] for k in ("reference", "signed_on", "new_ends_on")},
        agreement_id=agreement.id,
    )
    _confirm(user, amendment)
    return amendment


def confirm_amendment(user: User, agreement: Agreement, amendment: Amendment) -> Amendment:
    """Confirm the amendment for the user's party; it takes effect with the last party's confirmation. Flushes."""
    _signatory_admin(user, agreement)
    if amendment.in_effect_at is not None or amendment.confirmed_by_party(user.party_id):
        raise InvalidTransition(_l("Your party has already confirmed this amendment."))
    _confirm(user, amendment)
    return amendment


def _confirm(user: User, amendment: Amendment) -> None:
    waiting = confirmations.confirm(
        user,
        amendment.agreement,
        amendment,
        AmendmentConfirmation,
        entity="amendment",
        entity_id=amendment.id,
        verb="confirm",
    )
    if not waiting:
        put_in_effect(amendment, by=user)


def put_in_effect(amendment: Amendment, *, by: User | None) -> None:
    """Move the agreement's end date to the amendment's, and bring an ended agreement back in force. Flushes."""
    agreement = amendment.agreement
    amendment.in_effect_at = clock.now()
    previous, agreement.ends_on = agreement.ends_on, amendment.new_ends_on
    db.session.flush()
    audit.record(
        actor=by,
        entity="agreement",
        entity_id=agreement.id,
        verb="amend",
        changes={"ends_on": [previous, amendment.new_ends_on], "amendment": amendment.reference},
        agreement_id=agreement.id,
    )
    if agreement.status == AgreementStatus.ENDED and clock.today(agreement.timezone) <= agreement.ends_on:
        transition(agreement, AgreementStatus.IN_FORCE.value, by=by)  # type: ignore[arg-type]


def _validated(
    agreement: Agreement, existing: Sequence[Amendment], reference: str, signed_on: Any, new_ends_on: Any, text: str
) -> dict[str, Any]:
    errors: dict[str, list[Any]] = {}
    reference = " ".join((reference or "").split())
    if not reference:
        errors["reference"] = [_l("Give the amendment's reference, e.g. “Amendment No. 1”.")]
    elif len(reference) > MAX_REFERENCE:
        errors["reference"] = [_l("At most %(n)d characters.", n=MAX_REFERENCE)]
    elif any(a.reference.casefold() == reference.casefold() for a in existing):
        errors["reference"] = [_l("This agreement already has an amendment with this reference.")]
    today = clock.today(agreement.timezone)
    signed = read_date(errors, "signed_on", signed_on)
    if signed is not None and not agreement.signed_on <= signed <= today:
        errors["signed_on"] = [_l("The amendment is signed after the agreement and not later than today.")]
    new_end = read_date(errors, "new_ends_on", new_ends_on)
    if new_end is not None and new_end <= agreement.ends_on:
        errors["new_ends_on"] = [_l("The new end date must come after the current one.")]
    elif new_end is not None and new_end.year > agreement.ends_on.year + MAX_EXTENSION_YEARS:
        errors["new_ends_on"] = [_l("An amendment extends an agreement by %(n)d years at most.", n=MAX_EXTENSION_YEARS)]
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        errors["text"] = [_l("At most %(n)d characters.", n=MAX_TEXT)]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors)
    return {"reference": reference, "signed_on": signed, "new_ends_on": new_end, "text": text}


def add_years(day: date, years: int) -> date:
    """Return the same day `years` later (28 February for a 29 February that the year lacks)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# Text written as a date, year first (2026-02-31) or day first (31/02/2026): whether its day exists is then the question.
_YEAR_FIRST = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DAY_FIRST = re.compile(r"([0-9]{1,2})[/.]([0-9]{1,2})[/.]([0-9]{4})")


def unreadable_date(text: str) -> Any:
    """Return why `text` (not empty, not read as YYYY-MM-DD) is no date: a date written whole whose day or month
    does not exist (« 31/02/2026 », 2026-13-01) is said not to exist; any other text is told the form to use.
    Every date reader says it this way: `read_date` here, tracker/actions/validation.py `as_date`."""
    if match := _YEAR_FIRST.fullmatch(text):
        year, month, day = map(int, match.groups())
    elif match := _DAY_FIRST.fullmatch(text):
        day, month, year = map(int, match.groups())
    else:
        return _l("Not a valid date: use the form YYYY-MM-DD.")
    try:
        date(year, month, day)
    except ValueError:
        return _l("This date does not exist: %(text)s", text=text)
    return _l("Not a valid date: use the form YYYY-MM-DD.")


def read_date(errors: dict[str, list[Any]], name: str, raw: Any) -> date | None:
    """Return `raw` (a date or YYYY-MM-DD, within FIRST_DATE..LAST_DATE) as a date, or None with a message added
    to errors[name]: none given, no such date (`unreadable_date`), or out of the window."""
    if isinstance(raw, date):
        value = raw
    else:
        text = str(raw or "").strip()
        if not text:
            errors[name] = [_l("A date is needed (YYYY-MM-DD).")]
            return None
        try:
            value = date.fromisoformat(text)
        except ValueError:
            errors[name] = [unreadable_date(text)]
            return None
    if not FIRST_DATE <= value <= LAST_DATE:
        errors[name] = [
            _l(
                "Give a date between %(first)s and %(last)s.",
                first=reader_date(FIRST_DATE),
                last=reader_date(LAST_DATE),
            )
        ]
        return None
    return value
