"""Fill an agreement with realistic people, actions, milestones, progress logs and measurements, in bulk."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from babel.dates import format_date
from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from config.reminders import DEFAULT_DIGEST_HOUR
from tracker.accounts.models import DigestFrequency, Language, Role, User, new_session_token
from tracker.actions.models import (
    Action,
    ActionStatus,
    Health,
    Indicator,
    Measurement,
    Milestone,
    MilestoneStatus,
    ProgressUpdate,
    action_commitments,
)
from tracker.agreements.models import Agreement, Commitment, Workstream, WorkstreamLead
from tracker.core import clock
from tracker.core.db import db
from tracker.demo import texts
from tracker.web.i18n import french_first

Progress = Callable[[str, int], None]


@dataclass
class Sizes:
    """How much one agreement holds; the defaults are generator scale 1."""

    actions: int = 300
    milestones_per_action: int = 5
    updates_per_action: int = 10
    coordinators_per_party: int = 16
    reviewers_per_party: int = 3
    admins_per_party: int = 1
    measurements_per_indicator: int = 4


@dataclass
class Counts:
    users: int = 0
    actions: int = 0
    milestones: int = 0
    updates: int = 0
    measurements: int = 0
    extra: dict[str, int] = field(default_factory=dict)

    def add(self, other: Counts) -> None:
        self.users += other.users
        self.actions += other.actions
        self.milestones += other.milestones
        self.updates += other.updates
        self.measurements += other.measurements


def ascii_slug(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "-")


def _insert_returning_ids(model: Any, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    result = db.session.execute(insert(model).returning(model.id, sort_by_parameter_order=True), rows)
    return list(result.scalars())


def _insert(table: Any, rows: list[dict[str, Any]], batch: int = 5000) -> None:
    """Insert rows (dicts with the same keys) with one multi-row INSERT per batch: a statement-level trigger (the
    agreement's change counter) then runs once per batch, not once per row."""
    if not rows:
        return
    batch = min(batch, 30_000 // len(rows[0]))  # stay under the drivers' bound-parameter limits
    for start in range(0, len(rows), batch):
        db.session.execute(insert(table).values(rows[start : start + batch]))


class AgreementPopulator:
    """Generates one agreement's data with a seeded random source, so runs are repeatable."""

    def __init__(
        self, agreement: Agreement, rng: random.Random, sizes: Sizes, today: date, password_hash: str, email_domain: str
    ) -> None:
        self.agreement = agreement
        self.rng = rng
        self.sizes = sizes
        self.today = today
        self.password_hash = password_hash
        self.email_domain = email_domain
        self.counts = Counts()

    # --- people -----------------------------------------------------------------------------------
    def users(self, named: list[dict[str, Any]] | None = None) -> dict[str, dict[Role, list[int]]]:
        """Create the people of both parties and return their ids by party code and role."""
        rows: list[dict[str, Any]] = list(named or [])
        for signature in self.agreement.signatories:
            party = signature.party
            roles = (
                [Role.ADMIN] * self.sizes.admins_per_party
                + [Role.REVIEWER] * self.sizes.reviewers_per_party
                + [Role.COORDINATOR] * self.sizes.coordinators_per_party
            )
            for n, role in enumerate(roles):
                first = self.rng.choice(texts.FIRST_NAMES.get(party.code, texts.FIRST_NAMES["IDF"]))
                last = self.rng.choice(texts.LAST_NAMES.get(party.code, texts.LAST_NAMES["IDF"]))
                # Brussels works in Dutch and French.
                language = Language.FR if party.code != "BXL" else self.rng.choice([Language.NL, Language.FR])
                rows.append(
                    {
                        "email": f"{ascii_slug(first)}.{ascii_slug(last)}.{n}@{party.code.lower()}.{self.email_domain}",
                        "name": f"{first} {last}",
                        "party_id": party.id,
                        "role": role,
                        "language": language,
                        "function": texts.FUNCTIONS.get(party.code, texts.FUNCTIONS["IDF"])[role],
                    }
                )
        now = clock.now()
        for row in rows:
            row.setdefault("digest", DigestFrequency.DAILY)
            row.update(
                password_hash=row.get("password_hash", self.password_hash),
                session_token=new_session_token(),
                feed_token=new_session_token(),
                is_demo=True,
                active=True,
                digest_hour=DEFAULT_DIGEST_HOUR,
                version=1,
                created_at=now,
                updated_at=now,
            )
        ids = _insert_returning_ids(User, rows)
        self.counts.users += len(ids)
        people: dict[str, dict[Role, list[int]]] = {}
        party_codes = {s.party.id: s.party.code for s in self.agreement.signatories}
        for row, user_id in zip(rows, ids, strict=True):
            people.setdefault(party_codes[row["party_id"]], {}).setdefault(row["role"], []).append(user_id)
        return people

    def co_leads(self, people: dict[str, dict[Role, list[int]]], lead_pool: int = 9) -> dict[tuple[int, int], int]:
        """Give each workstream a co-lead per party (among the first `lead_pool` coordinators)."""
        rows = []
        for index, ws in enumerate(self.agreement.workstreams):
            for signature in self.agreement.signatories:
                coordinators = people[signature.party.code][Role.COORDINATOR][:lead_pool]
                rows.append(
                    {
                        "workstream_id": ws.id,
                        "party_id": signature.party.id,
                        "user_id": coordinators[index % len(coordinators)],
                    }
                )
        _insert(WorkstreamLead, rows)
        return {(r["workstream_id"], r["party_id"]): r["user_id"] for r in rows}

    # --- actions ----------------------------------------------------------------------------------
    def _action_dates(self, ws: Workstream) -> tuple[date, date]:
        start_bound = ws.starts_on or self.agreement.starts_on
        end = self.agreement.ends_on
        span = max((end - start_bound).days - 120, 30)
        start = start_bound + timedelta(days=self.rng.randrange(span))
        due = min(start + timedelta(days=self.rng.randint(90, 720)), end)
        recent = self.rng.random() < 0.15
        if recent and self.today > end:
            # An agreement whose term is over leaves work unfinished at its end: actions to close out.
            start = end - timedelta(days=self.rng.randint(60, 240))
            due = end + timedelta(days=self.rng.randint(-30, 150))
        elif recent:
            # Recent work still running, so that every generated agreement in force has something due soon,
            # proposals awaiting approval and drafts.
            start = self.today - timedelta(days=self.rng.randint(0, 120))
            due = self.today + timedelta(days=self.rng.randint(20, 300))
        return start, max(due, start + timedelta(days=30))

    def _status(self, due: date, start: date) -> ActionStatus:
        r = self.rng.random()
        if start > self.today or (due > self.today and start > self.today - timedelta(days=60) and r < 0.35):
            return ActionStatus.DRAFT if r < 0.1 else ActionStatus.PROPOSED
        if due < self.today:
            return (
                ActionStatus.COMPLETED
                if r < 0.7
                else ActionStatus.CANCELLED
                if r < 0.78
                else ActionStatus.ON_HOLD
                if r < 0.83
                else ActionStatus.ACTIVE
            )
        return (
            ActionStatus.ACTIVE
            if r < 0.7
            else ActionStatus.PROPOSED
            if r < 0.82
            else ActionStatus.DRAFT
            if r < 0.9
            else ActionStatus.ON_HOLD
        )

    def actions(self, people: dict[str, dict[Role, list[int]]], progress: Progress | None = None) -> None:
        ws_list = self.agreement.workstreams
        parties = [s.party for s in self.agreement.signatories]
        commitments = {ws.id: [c.id for c in ws.commitments] for ws in ws_list}
        rows, meta = [], []
        for n in range(self.sizes.actions):
            ws = ws_list[n % len(ws_list)]
            party = parties[self.rng.randrange(len(parties))]
            start, due = self._action_dates(ws)
            status = self._status(due, start)
            health = self.rng.choices(list(Health), weights=[65, 25, 10])[0]
            verb = self.rng.choice(texts.ACTION_VERBS)
            obj = self.rng.choice(texts.ACTION_OBJECTS.get(ws.code, texts.ACTION_OBJECTS["ECO-DEV"]))
            percent = 100 if status == ActionStatus.COMPLETED else self.rng.randint(0, 95)
            if status in {ActionStatus.DRAFT, ActionStatus.PROPOSED}:
                percent = 0
            owner = self.rng.choice(people[party.code][Role.COORDINATOR])
            created = datetime.combine(start - timedelta(days=20), time(9), UTC)
            rows.append(
                {
                    "workstream_id": ws.id,
                    "title": f"{verb} {obj} ({start.year})",
                    "description": f"**{verb} {obj}** entre la Région Île-de-France et la Région de Bruxelles-Capitale.\n\n"
                    f"- Pilotage\u202f: {party.name_fr}\n- Échéance\u202f: {french_date(due)}",
                    "owner_id": owner,
                    "created_by_id": owner,
                    "lead_party_id": party.id,
                    "status": status,
                    "health": health,
                    "percent": percent,
                    # What a completed action achieved, as its owner records it on completion (no draw: the
                    # random sequence, hence the rest of the data, stays as it was).
                    "outcome": texts.OUTCOMES[n % len(texts.OUTCOMES)] if status == ActionStatus.COMPLETED else "",
                    "start_on": start,
                    "due_on": due,
                    "is_demo": True,
                    "version": 1,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            meta.append((ws, start, due, status, owner))
        ids = _insert_returning_ids(Action, rows)
        self.counts.actions += len(ids)
        links = []
        for action_id, (ws, *_rest) in zip(ids, meta, strict=True):
            pool = commitments[ws.id]
            # Leave some commitments unaddressed so that the gap shows.
            if pool and self.rng.random() < 0.85:
                links.append({"action_id": action_id, "commitment_id": self.rng.choice(pool[: max(1, len(pool) - 1)])})
        _insert(action_commitments, links)
        if progress:
            progress("actions", len(ids))
        self._milestones(ids, meta, progress)
        self._updates(ids, meta, rows, progress)

    def _milestones(self, ids: list[int], meta: list[tuple[Any, ...]], progress: Progress | None) -> None:
        rows = []
        now = clock.now()
        for action_id, (_ws, start, due, status, _owner) in zip(ids, meta, strict=True):
            count = self.sizes.milestones_per_action
            step = max((due - start).days // count, 1)
            for k in range(count):
                due_on = start + timedelta(days=step * (k + 1))
                m_status, completed = MilestoneStatus.PLANNED, None
                if status == ActionStatus.COMPLETED:
                    m_status = MilestoneStatus.DONE if self.rng.random() < 0.9 else MilestoneStatus.CANCELLED
                elif status == ActionStatus.CANCELLED:
                    m_status = (
                        MilestoneStatus.CANCELLED
                        if due_on >= self.today or self.rng.random() < 0.5
                        else MilestoneStatus.DONE
                    )
                elif status in {ActionStatus.ACTIVE, ActionStatus.ON_HOLD} and due_on < self.today:
                    m_status = MilestoneStatus.DONE if self.rng.random() < 0.8 else MilestoneStatus.PLANNED
                if m_status == MilestoneStatus.DONE:
                    completed = min(max(due_on + timedelta(days=self.rng.randint(-10, 25)), start), self.today)
                rows.append(
                    {
                        "action_id": action_id,
                        "title": texts.MILESTONE_TITLES[k % len(texts.MILESTONE_TITLES)],
                        "due_on": due_on,
                        "status": m_status,
                        "completed_on": completed,
                        "is_demo": True,
                        "reschedule_count": 0,
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
        _insert(Milestone, rows)
        self.counts.milestones += len(rows)
        if progress:
            progress("milestones", len(rows))

    def _updates(
        self, ids: list[int], meta: list[tuple[Any, ...]], action_rows: list[dict[str, Any]], progress: Progress | None
    ) -> None:
        rows = []
        for action_id, (_ws, start, due, status, owner), action_row in zip(ids, meta, action_rows, strict=True):
            if status in {ActionStatus.DRAFT, ActionStatus.PROPOSED}:
                continue
            # Logged up to yesterday at the latest: an update of today at 11:15 would lie in the future at 08:00.
            last_day = min(due, self.today - timedelta(days=1))
            if last_day < start:
                continue
            span = max((last_day - start).days, 1)
            count = self.sizes.updates_per_action
            last_at = None
            for k in range(count):
                day = start + timedelta(days=span * (k + 1) // (count + 1))
                at = datetime.combine(day, time(8 + k % 9, 15), UTC)
                percent = min(100, action_row["percent"] * (k + 1) // count)
                rows.append(
                    {
                        "action_id": action_id,
                        "author_id": owner,
                        "text": self.rng.choice(texts.PROGRESS_TEXTS),
                        "percent": percent,
                        "health": self.rng.choices(list(Health), weights=[65, 25, 10])[0],
                        "created_at": at,
                        "is_demo": True,
                    }
                )
                last_at = at
            action_row["last_progress_at"] = last_at
            if count:  # the action's health is the one last reported (as log_progress keeps it)
                action_row["health"] = rows[-1]["health"]
        _insert(ProgressUpdate, rows)
        # Record on each action when it was last reported on (drives the "no progress for 60 days" reminder) and
        # the health last reported.
        latest = [
            {"b_id": i, "b_at": r["last_progress_at"], "b_health": r["health"]}
            for i, r in zip(ids, action_rows, strict=True)
            if r.get("last_progress_at")
        ]
        if latest:
            from sqlalchemy import Integer, bindparam, column, update, values

            table = Action.__table__
            if db.engine.dialect.name == "postgresql":  # one statement per batch (see _insert), not one per action
                for start in range(0, len(latest), 5000):
                    given = values(
                        column("b_id", Integer), column("b_at", table.c.last_progress_at.type),
                        column("b_health", table.c.health.type), name="latest",
                    ).data([(r["b_id"], r["b_at"], r["b_health"]) for r in latest[start : start + 5000]])  # fmt: skip
                    db.session.execute(
                        update(table)
                        .where(table.c.id == given.c.b_id)
                        .values(last_progress_at=given.c.b_at, health=given.c.b_health),
                        execution_options={"synchronize_session": False},
                    )
            else:
                db.session.execute(
                    update(table)
                    .where(table.c.id == bindparam("b_id"))
                    .values(last_progress_at=bindparam("b_at"), health=bindparam("b_health")),
                    latest,
                    execution_options={"synchronize_session": False},
                )
        self.counts.updates += len(rows)
        if progress:
            progress("progress updates", len(rows))

    def measurements(self) -> None:
        indicators = db.session.scalars(select(Indicator).where(Indicator.agreement_id == self.agreement.id)).all()
        rows = []
        years = (self.agreement.ends_on.year - self.agreement.starts_on.year) or 1
        for indicator in indicators:
            for k in range(self.sizes.measurements_per_indicator):
                year = self.agreement.starts_on.year + 1 + (k * years) // self.sizes.measurements_per_indicator
                drift = 1 + self.rng.uniform(-0.04, 0.06)
                value = indicator.baseline_value * drift
                if indicator.unit == "rank":
                    value = max(1, round(indicator.baseline_value + self.rng.choice([-1, 0, 0, 1])))
                rows.append(
                    {
                        "indicator_id": indicator.id,
                        "measured_on": date(year, 12, 31),
                        "value": round(value, 2),
                        "source": "Données de démonstration",
                        "note": "",
                        "is_demo": True,
                        "created_at": clock.now(),
                    }
                )
        _insert(Measurement, rows)
        self.counts.measurements += len(rows)


def agreement_with_structure(slug: str) -> Agreement:
    from sqlalchemy.orm import selectinload

    agreement = db.session.scalar(
        select(Agreement)
        .where(Agreement.slug == slug)
        .options(
            selectinload(Agreement.signatories),
            selectinload(Agreement.workstreams).selectinload(Workstream.commitments),
        )
    )
    if agreement is None:
        raise LookupError(slug)
    return agreement


def commitment_ids(agreement: Agreement) -> list[int]:
    return list(
        db.session.scalars(select(Commitment.id).join(Workstream).where(Workstream.agreement_id == agreement.id))
    )


def shared_password_hash(password: str) -> str:
    """One hash for every generated account: hashing thousands of passwords would dominate the run."""
    return generate_password_hash(password)


def french_date(day: date) -> str:
    """Return a date as the French-speaking coordinators write it in their texts (« 1er octobre 2022 »)."""
    return french_first(format_date(day, "long", locale="fr"), day, "fr")
