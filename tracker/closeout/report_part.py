"""The final report's close-out part: every close-out decision (action, workstream, decision, note, who, when),
frozen into the final report's snapshot at generation (registered with tracker.reports.snapshot by
tracker.closeout.init_app), which must still list the decisions as they are for the report to be signed and the
agreement closed."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import exists, select

from tracker.accounts.models import User
from tracker.actions.models import Action
from tracker.agreements.models import Agreement, Workstream
from tracker.closeout.models import CloseoutDecision, Decision
from tracker.closeout.queries import undecided_actions
from tracker.core.db import db
from tracker.reports.models import Report, ReportKind
from tracker.reports.periods import Period


def closeout_part(agreement: Agreement, period: Period) -> dict[str, Any] | None:
    """Return {"decisions": [{action_id, action, workstream (code), decision, note, by, at (ISO instant), on (local
    date)}], "undecided": [{action_id, action, workstream (code), status}]} for a final report: the decisions and
    the actions still awaiting one, in workstream then action order (two queries); None for any other report."""
    if period.kind != ReportKind.FINAL:
        return None
    rows = db.session.execute(
        select(CloseoutDecision, Action.title, Workstream.code, User.name)
        .join(Action, Action.id == CloseoutDecision.action_id)
        .join(Workstream, Workstream.id == Action.workstream_id)
        .outerjoin(User, User.id == CloseoutDecision.decided_by_id)
        .where(CloseoutDecision.agreement_id == agreement.id)
        .order_by(Workstream.position, Action.id)
    ).all()
    zone = ZoneInfo(agreement.timezone)
    return {
        "decisions": [
            {
                "action_id": decision.action_id,
                "action": title,
                "workstream": code,
                "decision": str(decision.decision),
                "note": decision.note or "",
                "by": name or "",
                "at": decision.decided_at.isoformat(),
                "on": decision.decided_at.astimezone(zone).date().isoformat(),
            }
            for decision, title, code, name in rows
        ],
        "undecided": [
            {"action_id": action_id, "action": title, "workstream": code, "status": status}
            for action_id, title, code, status in undecided_actions(agreement.id)
        ],
    }


# The final report's figures count an action carried over as such, as its close-out part lists it (whether it has
# moved into the successor yet or not), never under its status of the ended agreement (registered with
# tracker.reports.snapshot.register_status by tracker.closeout.init_app).
CARRIED_OVER = Decision.CARRIED_OVER.value
CARRIED_OVER_LABEL = lazy_pgettext("action status", "Carried over")
CARRIED_OVER_COLOUR = "#D55E00"  # Okabe–Ito vermillion: none of the action statuses' colours


def carried_over(period: Period) -> Any:
    """The SQL condition on `Action` for a final report: its close-out decision is *carried over*; None for any
    other report (as `closeout_part`)."""
    if period.kind != ReportKind.FINAL:
        return None
    return exists().where(CloseoutDecision.action_id == Action.id, CloseoutDecision.decision == Decision.CARRIED_OVER)


def decisions_key(part: dict[str, Any] | None) -> list[tuple[int, str, str]]:
    """What makes a final report's close-out part current: each action's decision and note (not who or when, so a
    renamed user outdates nothing). An old snapshot without the part counts as one without decisions."""
    return sorted((d["action_id"], d["decision"], d["note"]) for d in (part or {}).get("decisions", []))


def decisions_since(report: Report) -> int:
    """Return how many actions' close-out decisions (or notes) were recorded or changed since the final `report` was
    generated: 0 when its close-out part is current, or for another kind of report. One query for a final report."""
    period = Period(report.period, ReportKind(report.kind), report.period_start_on, report.period_end_on)
    then = {row[0]: row for row in decisions_key(report.snapshot.get("closeout"))}
    now = {row[0]: row for row in decisions_key(closeout_part(report.agreement, period))}
    return sum(1 for action_id in then.keys() | now.keys() if then.get(action_id) != now.get(action_id))


OUTDATED = _l(
    "This final report was generated before the last close-out decisions: an administrator regenerates it "
    "(a new version) before it is signed."
)
