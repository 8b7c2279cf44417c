"""The names people read for action statuses, milestone statuses and health: one table each, used by the pages,
the history, the lifecycles and the reports. Keys are the enums (plain strings look them up too)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from tracker.actions.models import ActionStatus, Health, MilestoneStatus

ACTION_STATUS = {
    ActionStatus.DRAFT: _l("Draft"),
    ActionStatus.PROPOSED: _l("Proposed"),
    ActionStatus.ACTIVE: _l("Active"),
    ActionStatus.ON_HOLD: _l("On hold"),
    ActionStatus.COMPLETED: _l("Completed"),
    ActionStatus.CANCELLED: lazy_pgettext("action status", "Cancelled"),  # French agrees: « annulée »
}
MILESTONE_STATUS = {
    MilestoneStatus.PLANNED: _l("Planned"),
    MilestoneStatus.DONE: _l("Done"),
    MilestoneStatus.CANCELLED: _l("Cancelled"),
}
HEALTH = {Health.ON_TRACK: _l("On track"), Health.AT_RISK: _l("At risk"), Health.OFF_TRACK: _l("Off track")}

# The action's and milestone's fields as people read them: the conflict page (tracker/actions/conflicts.py) and
# the history (tracker/audit/display.py).
FIELD_LABELS = {
    "title": _l("Title"),
    "description": _l("Description"),
    "owner_id": _l("Owner"),
    "lead_party_id": _l("Lead party"),
    "start_on": _l("Start"),
    "due_on": _l("Due on"),
    "commitment_ids": _l("Commitments served"),
    "status": _l("Status"),
    "completed_on": _l("Done on"),
    "evidence_url": _l("Link to the evidence (optional)"),
}

# What an action carried over into a successor agreement reads in the ended one's lists and files, in place of its
# status (actions/_macros.html `action_state` says the same).
CONTINUED = _l("Continued in the next agreement")
