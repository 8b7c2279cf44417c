"""The feed as other calendar clients read it: parsed by vobject (not the library that wrote it), polled with
conditional GETs. SEQUENCE must grow with every significant change (RFC 5546: date and status alike)."""

from __future__ import annotations

from datetime import date, timedelta

import vobject

from tests.factories import load_agreement, make_action, make_milestone, make_user, workstream
from tracker.actions import milestones as milestone_services
from tracker.actions.services import transition_action
from tracker.core import clock
from tracker.core.db import db


def _read(client, user) -> tuple[dict[str, dict[str, str]], object]:
    """Return each event's UID -> {SEQUENCE, STATUS, DTSTART}, as vobject parses the raw bytes; and the response."""
    response = client.get(f"/calendar/{user.feed_token}.ics")
    assert response.status_code == 200
    calendar = vobject.readOne(response.get_data(as_text=True), validate=True)
    events = {
        event.uid.value: {
            "sequence": int(event.sequence.value),
            "status": event.status.value,
            "dtstart": event.dtstart.value,
        }
        for event in calendar.vevent_list
    }
    return events, response


def test_sequence_grows_with_each_kind_of_change_as_a_second_parser_reads_it(client, frozen_clock) -> None:
    agreement = load_agreement()
    owner = make_user("IDF")
    action = make_action(workstream(agreement), owner)
    other_action = make_action(workstream(agreement), owner, title="Forum")
    moved, cancelled, done = (make_milestone(action, date(2026, 12, d), title=f"Étape {d}") for d in (10, 11, 12))
    of_cancelled_action = make_milestone(other_action, date(2026, 12, 14))
    uid = {m.id: f"milestone-{m.id}@127.0.0.1" for m in (moved, cancelled, done, of_cancelled_action)}
    before, _ = _read(client, owner)
    assert {e["sequence"] for e in before.values()} == {0}

    milestone_services.move_milestone(owner, moved, version=moved.version, due_on=date(2027, 1, 8))
    milestone_services.cancel_milestone(owner, cancelled, reason="Plus utile", version=cancelled.version)
    milestone_services.complete_milestone(owner, done, completed_on=date(2026, 11, 27), version=done.version)
    transition_action(owner, other_action, "cancelled", comment="Abandonnée")
    db.session.commit()
    after, _ = _read(client, owner)

    for milestone in (moved, cancelled, done, of_cancelled_action):
        assert after[uid[milestone.id]]["sequence"] > before[uid[milestone.id]]["sequence"], milestone.title
    assert after[uid[moved.id]]["dtstart"] == date(2027, 1, 8)
    assert after[uid[cancelled.id]]["status"] == "CANCELLED"
    assert after[uid[of_cancelled_action.id]]["status"] == "CANCELLED"
    assert after[uid[done.id]]["status"] == "CONFIRMED"


def test_the_feed_declares_its_refresh_and_answers_304_while_unchanged(client, frozen_clock) -> None:
    agreement = load_agreement()
    owner = make_user("IDF")
    milestone = make_milestone(make_action(workstream(agreement), owner), date(2026, 12, 10))
    feed = f"/calendar/{owner.feed_token}.ics"

    first = client.get(feed)
    raw = first.get_data()
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in raw and b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in raw
    calendar = vobject.readOne(raw.decode(), validate=True)
    assert calendar.contents["refresh-interval"][0].value == "PT1H"
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"') and last_modified.endswith("GMT")

    clock.freeze(clock.now() + timedelta(minutes=30))  # the next poll: DTSTAMP differs, the content does not
    assert client.get(feed, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(feed, headers={"If-Modified-Since": last_modified}).status_code == 304
    assert client.get(feed, headers={"If-None-Match": '"something-else"'}).status_code == 200

    milestone_services.move_milestone(owner, milestone, version=milestone.version, due_on=date(2026, 12, 17))
    db.session.commit()
    changed = client.get(feed, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert client.get(feed, headers={"If-Modified-Since": last_modified}).status_code == 200
