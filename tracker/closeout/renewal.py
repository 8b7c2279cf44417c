"""Renewal into a successor: an admin of a signatory party starts the agreement that follows an ended one (new slug
and period; the same parties, workstreams with their co-leads, and commitments, to edit afterwards). The actions
whose close-out decision is *carried over* move into it — a new action in the matching workstream, with the same
owner and the milestones still open, each linked to the action it continues — at the renewal for the decisions
already taken, at the decision for the later ones. Indicators continue from their last measurement as the new
baseline. The ended agreement keeps its actions as they were, with their decisions.

It lives in the close-out domain rather than in `agreements/`: it reads the close-out decisions and creates actions
and indicators, which sit above the agreements package in the import order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from tracker.accounts.models import User
from tracker.actions.indicators import latest_measurements
from tracker.actions.models import Action, ActionApproval, Indicator, Milestone, MilestoneStatus
from tracker.agreements.loader import AgreementFileError, register_succession
from tracker.agreements.models import Agreement, AgreementParty, Commitment, Workstream, WorkstreamLead
from tracker.closeout.models import CloseoutDecision, Decision
from tracker.core import audit, clock
from tracker.core.db import db
from tracker.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from tracker.core.permissions import is_admin

LANGUAGES = ("fr", "nl", "en")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
MAX_TITLE = 300
TERM_YEARS = 5  # the default term of a successor, like the agreement of 2021
MAX_YEARS = 10  # a longer term is a typing error
# What the continuing action takes from the one it continues (its log and files stay with the old one).
CARRIED_FIELDS = (
    "title",
    "description",
    "owner_id",
    "lead_party_id",
    "status",
    "health",
    "percent",
    "start_on",
    "due_on",
    "last_progress_at",
    "is_demo",
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
    ends = _add_years(starts, TERM_YEARS) - timedelta(days=1)
    year = str(starts.year)
    slug = (
        re.sub(r"\d{4}$", year, agreement.slug) if re.search(r"\d{4}$", agreement.slug) else f"{agreement.slug}-{year}"
    )
    return Proposal(slug[:64], starts, ends, {lang: agreement.text("title", lang) for lang in LANGUAGES})


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def period_label(agreement: Agreement) -> str:
    """Return the agreement's period as people name it: « 2021–2026 »."""
    return f"{agreement.starts_on.year}–{agreement.ends_on.year}"


def _signatory_admin(user: User, agreement: Agreement) -> bool:
    return is_admin(user) and user.party_id in {s.party_id for s in agreement.signatories}


def renewal_refusal(user: User, agreement: Agreement) -> Any:
    """Return why the user may not start the agreement's successor now (a translatable message), or None."""
    if not _signatory_admin(user, agreement):
        return _l("Only an administrator of a signatory party starts the agreement that succeeds this one.")
    if agreement.succeeded_by is not None:
        return _l("This agreement already has its successor: %(slug)s.", slug=agreement.succeeded_by.slug)
    if not agreement.has_ended(clock.today(agreement.timezone)):
        return _l("The agreement is in force: its successor is prepared once it has ended (or extend it).")
    return None


def actions_to_move(agreement: Agreement) -> int:
    """Return how many carried-over actions of the agreement wait to move into a successor (one query)."""
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(CloseoutDecision)
            .where(
                CloseoutDecision.agreement_id == agreement.id,
                CloseoutDecision.decision == Decision.CARRIED_OVER,
                CloseoutDecision.successor_action_id.is_(None),
            )
        )
        or 0
    )


def renew(
    agreement: Agreement,
    *,
    by: User,
    slug: str,
    starts_on: Any,
    ends_on: Any,
    title: Mapping[str, str] | None = None,
) -> Agreement:
    """Create and return the successor of an ended agreement, and move the actions already carried over into it.

    `title` maps languages ("fr", "nl", "en") to titles; a missing one keeps the ended agreement's. Dates are
    `date`s or ISO strings. Raises PermissionDenied (not an admin of a signatory party), InvalidTransition (in
    force, or already renewed) or ValidationFailed with field errors (`slug`, `starts_on`, `ends_on`, `title_fr`…).
    Flushes; the caller commits."""
    refusal = renewal_refusal(by, agreement)
    if refusal is not None:
        raise (InvalidTransition if _signatory_admin(by, agreement) else PermissionDenied)(refusal)
    values = _validated(agreement, slug, starts_on, ends_on, title)
    today = clock.today(agreement.timezone)
    successor = Agreement(
        **values,
        **{f"summary_{lang}": getattr(agreement, f"summary_{lang}") for lang in LANGUAGES},
        signed_on=min(today, values["starts_on"]),
        timezone=agreement.timezone,
        succeeds_id=agreement.id,
        signatories=[AgreementParty(party_id=s.party_id, position=s.position) for s in agreement.signatories],
    )
    db.session.add(successor)
    db.session.flush()
    _copy_workstreams(agreement, successor)
    indicators = _continue_indicators(agreement, successor)
    _audit_link(agreement, successor, by, verb="renew", indicators=indicators)
    carry_over_decided(agreement, successor, by=by)
    return successor


def link_successor(predecessor: Agreement, successor: Agreement, *, by: User | None) -> list[Action]:
    """Make `successor` (loaded from a data file) succeed `predecessor`: workstream co-leads and indicators the
    file does not give continue, and the carried-over actions move. Returns the moved actions. Raises
    ValidationFailed when a carried-over action has no matching workstream. Flushes."""
    successor.succeeds_id = predecessor.id
    db.session.flush()
    db.session.expire(successor, ["workstreams"])  # the loader added them by id: read them afresh
    _copy_leads(predecessor, successor)
    indicators = _continue_indicators(predecessor, successor)
    _audit_link(predecessor, successor, by, verb="link_successor", indicators=indicators)
    return carry_over_decided(predecessor, successor, by=by)


def _link_from_file(predecessor: Agreement, successor: Agreement, actor: User | None) -> int:
    """The agreement loader's succession (`succeeds:` in a data file): link, and count the actions moved."""
    try:
        return len(link_successor(predecessor, successor, by=actor))
    except ValidationFailed as exc:
        raise AgreementFileError(f"succeeds: {exc.message}") from None


register_succession(_link_from_file)


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
            "indicators": indicators,
        },
        agreement_id=successor.id,
    )


def _validated(agreement: Agreement, slug: Any, starts_on: Any, ends_on: Any, title: Any) -> dict[str, Any]:
    errors: dict[str, list[Any]] = {}
    slug = str(slug or "").strip()
    if not SLUG.match(slug):
        errors["slug"] = [_l("A short name of 2 to 64 lowercase letters, digits and hyphens, e.g. idf-bxl-2026.")]
    elif db.session.scalar(select(Agreement.id).where(Agreement.slug == slug)) is not None:
        errors["slug"] = [_l("This short name is already taken.")]
    titles = {}
    for lang in LANGUAGES:
        text = " ".join(str((title or {}).get(lang) or agreement.text("title", lang)).split())
        if not text or len(text) > MAX_TITLE:
            errors[f"title_{lang}"] = [_l("A title of at most %(n)d characters.", n=MAX_TITLE)]
        titles[f"title_{lang}"] = text
    starts, ends = _date(errors, "starts_on", starts_on), _date(errors, "ends_on", ends_on)
    if starts is not None and starts <= agreement.ends_on:
        errors["starts_on"] = [_l("The successor starts after the end of this agreement.")]
    if starts is not None and ends is not None and "ends_on" not in errors:
        if ends <= starts:
            errors["ends_on"] = [_l("The end date must come after the start date.")]
        elif ends < clock.today(agreement.timezone):
            errors["ends_on"] = [_l("The successor would already have ended: choose a later end date.")]
        elif ends > _add_years(starts, MAX_YEARS):
            errors["ends_on"] = [_l("An agreement runs for %(n)d years at most.", n=MAX_YEARS)]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors)
    return {"slug": slug, **titles, "starts_on": starts, "ends_on": ends}


def _date(errors: dict[str, list[Any]], name: str, raw: Any) -> date | None:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw or "").strip())
    except ValueError:
        errors[name] = [_l("A date is needed (YYYY-MM-DD).")]
        return None


def _copy_workstreams(agreement: Agreement, successor: Agreement) -> None:
    """Copy the workstreams (codes, texts, order), their co-leads and their commitments (three queries)."""
    source = db.session.scalars(
        select(Workstream)
        .where(Workstream.agreement_id == agreement.id)
        .options(selectinload(Workstream.commitments), selectinload(Workstream.leads))
        .order_by(Workstream.position, Workstream.id)
    ).all()
    for ws in source:
        texts = {f"{f}_{lang}": getattr(ws, f"{f}_{lang}") for f in ("title", "objective") for lang in LANGUAGES}
        copy = Workstream(code=ws.code, position=ws.position, starts_on=None, **texts)
        copy.leads = [WorkstreamLead(party_id=lead.party_id, user_id=lead.user_id) for lead in ws.leads]
        copy.commitments = [
            Commitment(
                code=c.code, position=c.position, **{f"text_{lang}": getattr(c, f"text_{lang}") for lang in LANGUAGES}
            )
            for c in ws.commitments
        ]
        successor.workstreams.append(copy)
    db.session.flush()


def _copy_leads(predecessor: Agreement, successor: Agreement) -> None:
    """Give each workstream of the successor without co-lead for a party the predecessor's co-lead of the same
    workstream code (two queries)."""
    leads = db.session.execute(
        select(Workstream.code, WorkstreamLead.party_id, WorkstreamLead.user_id)
        .join(WorkstreamLead, WorkstreamLead.workstream_id == Workstream.id)
        .where(Workstream.agreement_id == predecessor.id)
    ).all()
    targets = {
        ws.code: ws
        for ws in db.session.scalars(
            select(Workstream).where(Workstream.agreement_id == successor.id).options(selectinload(Workstream.leads))
        )
    }
    for code, party_id, user_id in leads:
        target = targets.get(code)
        if target is not None and target.lead_for(party_id) is None:
            target.leads.append(WorkstreamLead(party_id=party_id, user_id=user_id))
    db.session.flush()


def _continue_indicators(predecessor: Agreement, successor: Agreement) -> int:
    """Copy the predecessor's indicators the successor lacks (by code), with the last measurement as the new
    baseline (the old baseline when none was measured); a target already behind that baseline is dropped.
    Returns how many were copied (three queries)."""
    have = set(db.session.scalars(select(Indicator.code).where(Indicator.agreement_id == successor.id)))
    source = [
        i
        for i in db.session.scalars(
            select(Indicator).where(Indicator.agreement_id == predecessor.id).order_by(Indicator.position, Indicator.id)
        )
        if i.code not in have
    ]
    latest = latest_measurements([i.id for i in source])
    codes = db.session.execute(
        select(Workstream.id, Workstream.code, Workstream.agreement_id).where(
            Workstream.agreement_id.in_((predecessor.id, successor.id))
        )
    ).all()
    old_codes = {ws_id: code for ws_id, code, agreement_id in codes if agreement_id == predecessor.id}
    ws_ids = {code: ws_id for ws_id, code, agreement_id in codes if agreement_id == successor.id}
    for i in source:
        last = latest.get(i.id)
        base_value, base_on = (last.value, last.measured_on) if last else (i.baseline_value, i.baseline_on)
        keep_target = i.target_on is None or i.target_on >= base_on
        db.session.add(
            Indicator(
                agreement_id=successor.id,
                workstream_id=ws_ids.get(old_codes.get(i.workstream_id, "")) if i.workstream_id else None,
                code=i.code,
                position=i.position,
                **{f"name_{lang}": getattr(i, f"name_{lang}") for lang in LANGUAGES},
                unit=i.unit,
                direction=i.direction,
                baseline_value=base_value,
                baseline_on=base_on,
                target_value=i.target_value if keep_target else None,
                target_on=i.target_on if keep_target else None,
                source=i.source,
            )
        )
    db.session.flush()
    return len(source)


def carry_over_decided(predecessor: Agreement, successor: Agreement, *, by: User | None) -> list[Action]:
    """Move every action of `predecessor` carried over and not moved yet into `successor`; return the new actions.
    Raises ValidationFailed when the successor lacks the workstream of one of them. Flushes."""
    rows = db.session.scalars(
        select(CloseoutDecision)
        .where(
            CloseoutDecision.agreement_id == predecessor.id,
            CloseoutDecision.decision == Decision.CARRIED_OVER,
            CloseoutDecision.successor_action_id.is_(None),
        )
        .options(selectinload(CloseoutDecision.action).options(*move_options()))
        .order_by(CloseoutDecision.action_id)
    ).all()
    return [carry_over(row, successor, by=by) for row in rows]


def move_options() -> Sequence[Any]:
    """Loader options for actions about to be carried over: what `carry_over` reads of them."""
    return (
        joinedload(Action.workstream),
        selectinload(Action.milestones),
        selectinload(Action.commitments),
        selectinload(Action.approvals),
    )


def carry_over(decision: CloseoutDecision, successor: Agreement, *, by: User | None) -> Action:
    """Create in `successor` the action that continues the decided one (same owner, lead party, texts, dates,
    progress and approvals; its planned milestones; the commitments of the same codes), link both ways and audit
    both. Raises ValidationFailed when the successor has no workstream of the same code. Flushes."""
    old = decision.action
    target = next((ws for ws in successor.workstreams if ws.code == old.workstream.code), None)
    if target is None:
        message = _l(
            "The agreement %(slug)s has no workstream %(code)s to carry this action into.",
            slug=successor.slug,
            code=old.workstream.code,
        )
        raise ValidationFailed(message, {"decision": [message]})
    codes = {c.code for c in old.commitments}
    new = Action(
        workstream_id=target.id,
        continues_action_id=old.id,
        created_by_id=by.id if by is not None else old.created_by_id,
        commitments=[c for c in target.commitments if c.code in codes],
        milestones=[
            Milestone(title=m.title, due_on=m.due_on, reschedule_count=m.reschedule_count, is_demo=m.is_demo)
            for m in old.milestones
            if m.status == MilestoneStatus.PLANNED
        ],
        approvals=[
            ActionApproval(party_id=a.party_id, user_id=a.user_id, approved_at=a.approved_at) for a in old.approvals
        ],
        **{f: getattr(old, f) for f in CARRIED_FIELDS},
    )
    db.session.add(new)
    db.session.flush()
    decision.successor_action_id = new.id
    predecessor_slug = old.workstream.agreement.slug
    audit.record(
        actor=by,
        entity="action",
        entity_id=old.id,
        verb="carry_over",
        changes={"continued_in": f"{successor.slug} · {new.id}"},
        agreement_id=old.workstream.agreement_id,
    )
    audit.record(
        actor=by,
        entity="action",
        entity_id=new.id,
        verb="continue",
        changes={"continues": f"{predecessor_slug} · {old.id}", "milestones": len(new.milestones)},
        agreement_id=successor.id,
    )
    return new
