"""What a successor agreement takes from the one it renews: the workstreams (codes, texts, order) with their co-leads
and commitments, and the indicators, each starting from its last measurement as the new baseline."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.actions.models import Indicator
from tracker.actions.queries import latest_measurements
from tracker.agreements.models import Agreement, Commitment, Workstream, WorkstreamLead
from tracker.core.db import db

LANGUAGES = ("fr", "nl", "en")


def copy_workstreams(agreement: Agreement, successor: Agreement) -> None:
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


def copy_leads(predecessor: Agreement, successor: Agreement) -> None:
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


def continue_indicators(predecessor: Agreement, successor: Agreement) -> int:
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
