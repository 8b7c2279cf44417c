"""The sections of a digest, each with the rule that fills it; other packages add theirs with register_section.

Adding a section (e.g. report sign-offs) is one call, in the domain's `init_app(app)`:

    register_section(Section(key="reports", order=55, title=_l("Reports waiting for your sign-off"),
                             collect=rows_of_recipient_and_report_id, describe=lines_by_report_id))

`collect(scope)` returns (recipient id, object id) rows for every recipient at once (one query, filtered with
`group.matches(user_alias)`); `describe(ids, scope)`, in the same pass, returns a `Line` per id, whose texts may be
lazy strings (rendered in each recipient's language); what `collect` found out it keeps in `scope.found`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from tracker.reminders import rules
from tracker.reminders.rules import Rows, Scope


@dataclass(frozen=True)
class Line:
    """One entry of an added section: a title, a link and an optional note."""

    title: Any
    url: str
    note: Any = None


@dataclass(frozen=True)
class Section:
    key: str
    order: int
    title: Any
    collect: Callable[[Scope], Rows]
    describe: Callable[[Sequence[int], Scope], dict[int, Line]] | None = None


_sections: dict[str, Section] = {}


def register_section(*sections: Section) -> None:
    """Add sections to every digest (once, at app start; a second call with the same key replaces it)."""
    for s in sections:
        _sections[s.key] = s


def all_sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: s.order)


def section(key: str) -> Section:
    return _sections[key]


# The reminder domain's own sections (registered by tracker.reminders.init_app); milestones are shown split by
# due date (overdue, today, coming up).
SECTIONS = (
    Section("milestones", 10, _l("Your milestones"), rules.owned_milestones),
    Section("escalated", 40, _l("Overdue in workstreams you co-lead"), rules.escalated_milestones),
    Section("approvals", 50, _l("Actions waiting for your approval"), rules.approvals_waiting),
    Section("stale", 70, _l("Actions without progress for a long time"), rules.stale_actions),
    Section("quarter", 80, _l("The quarter is ending: log your progress"), rules.quarter_call),
)


def collect_items(scope: Scope) -> dict[int, dict[str, list[int]]]:
    """Return {recipient id: {section key: [object ids]}} for everything due on the scope's date."""
    items: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for s in all_sections():
        found: dict[int, set[int]] = defaultdict(set)
        for user_id, object_id in s.collect(scope):
            found[user_id].add(object_id)
        for user_id, ids in found.items():
            items[user_id][s.key] = sorted(ids)
    for by_section in items.values():
        # A co-lead who owns the milestone hears of it once, as its owner.
        if "escalated" in by_section and "milestones" in by_section:
            own = set(by_section["milestones"])
            by_section["escalated"] = [m for m in by_section["escalated"] if m not in own]
            if not by_section["escalated"]:
                del by_section["escalated"]
    return dict(items)
