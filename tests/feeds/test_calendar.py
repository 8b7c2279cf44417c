"""The calendar feed, parsed back with the icalendar library."""

from __future__ import annotations

from datetime import date

from icalendar import Calendar

from tests.factories import load_agreement, make_action, make_co_lead, make_milestone, make_user, workstream
from tracker.actions.models import MilestoneStatus
from tracker.core.db import db


def _events(client, user) -> dict[str, object]:
    response = client.get(f"/calendar/{user.feed_token}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.get_data())
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_feed_lists_owned_and_co_led_milestones_as_all_day_events(client, frozen_clock):
    agreement = load_agreement()
    owner, co_lead, outsider = make_user("IDF"), make_user("BXL"), make_user("IDF")
    ws = workstream(agreement)
    make_co_lead(ws, co_lead)
    action = make_action(ws, owner, title="Mission économique croisée")
    milestone = make_milestone(action, date(2026, 12, 10), title="Comité de pilotage")

    events = _events(client, owner)
    assert list(events) == [f"milestone-{milestone.id}@127.0.0.1"]
    event = events[f"milestone-{milestone.id}@127.0.0.1"]
    assert event.decoded("dtstart") == date(2026, 12, 10)
    assert event.decoded("dtend") == date(2026, 12, 11)
    assert str(event["summary"]) == "Comité de pilotage · Mission économique croisée"
    assert str(event["url"]) == f"http://127.0.0.1:5000/actions/{action.id}"
    assert f"/actions/{action.id}" in str(event["description"])
    assert int(event["sequence"]) == 0
    assert str(event["status"]) == "CONFIRMED"

    assert list(_events(client, co_lead)) == [f"milestone-{milestone.id}@127.0.0.1"]
    assert _events(client, outsider) == {}


def test_moved_and_cancelled_milestones_are_reflected_with_the_same_uid(client, frozen_clock):
    agreement = load_agreement()
    owner = make_user("IDF")
    action = make_action(workstream(agreement), owner)
    moved = make_milestone(action, date(2026, 12, 10), title="Atelier")
    cancelled = make_milestone(action, date(2027, 1, 15), title="Visite")
    uid_moved, uid_cancelled = (f"milestone-{m.id}@127.0.0.1" for m in (moved, cancelled))
    before = _events(client, owner)

    moved.due_on, moved.reschedule_count = date(2027, 1, 8), moved.reschedule_count + 1
    cancelled.status = MilestoneStatus.CANCELLED
    db.session.commit()
    after = _events(client, owner)

    assert set(after) == set(before) == {uid_moved, uid_cancelled}
    assert after[uid_moved].decoded("dtstart") == date(2027, 1, 8)
    assert int(after[uid_moved]["sequence"]) == int(before[uid_moved]["sequence"]) + 1
    assert str(after[uid_cancelled]["status"]) == "CANCELLED"


def test_inactive_user_or_unknown_token_answers_404(client):
    load_agreement()
    user = make_user("IDF")
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    user.active = False
    db.session.commit()
    assert client.get(f"/calendar/{user.feed_token}.ics").status_code == 404


def test_feed_is_in_the_users_language(client, frozen_clock):
    load_agreement()
    user = make_user("BXL", language="nl", name="Lotte Peeters")
    response = client.get(f"/calendar/{user.feed_token}.ics")
    calendar = Calendar.from_ical(response.get_data())
    assert str(calendar["x-wr-calname"]) == "Mijlpalen · Lotte Peeters"
