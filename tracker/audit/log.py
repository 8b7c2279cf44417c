"""The administrators' audit log: filtered pages and a CSV export safe against formula injection (tracker.transfer.sheets).

An admin reads only the entries that concern their party (`concerns_party`): those of the agreements it
signed, and those tied to no agreement written by one of its people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import format_datetime, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from tracker.accounts.models import User
from tracker.accounts.permissions import is_admin
from tracker.agreements.models import Agreement
from tracker.agreements.services import concerns_party, visible_agreement_ids
from tracker.audit.display import ENTITIES, VERBS, Entry, describe
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.core.errors import PermissionDenied
from tracker.core.numbers import parse_db_int
from tracker.core.pagination import Page, paginate
from tracker.transfer import sheets
from tracker.web.i18n import localized, short_date_pattern

SLUG = re.compile(r"[a-z_]{1,40}")
# Entries described at a time in the CSV export: each batch names its people and objects in a few queries.
CSV_BATCH = 500


# Dates a filter may name without overflowing datetimes once moved to UTC (no audit entry lies beyond them).
EARLIEST_BOUND, LATEST_BOUND = date(1900, 1, 1), date(9000, 1, 1)


@dataclass
class Filters:
    agreement: int | None = None
    entity: str | None = None
    actor: int | None = None
    verb: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    timezone: str = "Europe/Paris"
    errors: list[Any] = field(default_factory=list)

    @classmethod
    def from_args(cls, args: Mapping[str, str], timezone: str) -> Filters:
        """Read the filters from a query string; values that make no sense are dropped, with a message."""
        filters = cls(
            agreement=parse_db_int(args.get("agreement")), actor=parse_db_int(args.get("actor")), timezone=timezone
        )
        entity, verb = args.get("entity") or None, args.get("verb") or None
        filters.entity = entity if entity and SLUG.fullmatch(entity) else None
        filters.verb = verb if verb and SLUG.fullmatch(verb) else None
        for name in ("date_from", "date_to"):
            raw = (args.get(name) or "").strip()
            if raw:
                try:
                    setattr(filters, name, date.fromisoformat(raw))
                except ValueError:
                    filters.errors.append(_l("“%(value)s” is not a date (YYYY-MM-DD): ignored.", value=raw))
        if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
            filters.errors.append(_l("The end date is before the start date: no entry can match."))
        return filters

    def query_args(self) -> dict[str, str]:
        values = {
            "agreement": self.agreement,
            "entity": self.entity,
            "actor": self.actor,
            "verb": self.verb,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }
        return {k: str(v) for k, v in values.items() if v is not None}

    def _bound(self, day: date) -> datetime:
        """Return the instant the local day starts; far days (year 1, 9999) count as the ends of time."""
        day = min(max(day, EARLIEST_BOUND), LATEST_BOUND)
        return datetime.combine(day, time.min, ZoneInfo(self.timezone)).astimezone(UTC)

    def apply(self, statement: Select[Any]) -> Select[Any]:
        conditions = []
        if self.agreement is not None:
            conditions.append(AuditEntry.agreement_id == self.agreement)
        if self.entity:
            conditions.append(AuditEntry.entity == self.entity)
        if self.actor is not None:
            conditions.append(AuditEntry.actor_id == self.actor)
        if self.verb:
            conditions.append(AuditEntry.verb == self.verb)
        if self.date_from:
            conditions.append(AuditEntry.at >= self._bound(self.date_from))
        if self.date_to:
            conditions.append(AuditEntry.at < self._bound(min(self.date_to, LATEST_BOUND) + timedelta(days=1)))
        return statement.where(*conditions)


def _require_admin(user: User) -> None:
    if not is_admin(user):
        raise PermissionDenied(_l("Only administrators see the audit log."))


def _statement(user: User, filters: Filters) -> Select[Any]:
    visible = select(AuditEntry).where(concerns_party(user, AuditEntry.agreement_id, AuditEntry.actor_id))
    return filters.apply(visible).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def search(user: User, filters: Filters, page: int, per_page: int) -> Page[Any]:
    """Return one page of matching entries, newest first, ready to display."""
    _require_admin(user)
    found = paginate(_statement(user, filters).options(joinedload(AuditEntry.actor)), page, per_page)
    return Page(items=describe(found.items), page=found.page, per_page=found.per_page, total=found.total)


def filter_choices(user: User) -> dict[str, Any]:
    """Return what the filter form offers: the party's agreements, kinds of object, people, verbs."""
    _require_admin(user)
    # The admin's own party, and the people of other parties who appear in the entries the admin may read (never
    # everyone a co-signatory party has, such as its invitees who never did anything).
    actors = select(AuditEntry.actor_id).where(concerns_party(user, AuditEntry.agreement_id, AuditEntry.actor_id))
    people = select(User.id, User.name, User.email).where(or_(User.party_id == user.party_id, User.id.in_(actors)))
    return {
        # Agreements by their title (people never read the slug), oldest first.
        "agreements": db.session.scalars(
            select(Agreement).where(Agreement.id.in_(visible_agreement_ids(user))).order_by(Agreement.starts_on)
        ).all(),
        "entities": sorted(ENTITIES.items(), key=lambda item: str(item[1])),
        "verbs": sorted(VERBS.items(), key=lambda item: str(item[1])),
        "actors": db.session.execute(people.order_by(User.name)).all(),
    }


def csv_headers() -> list[str]:
    """Return the CSV export's column headings in the reader's language."""
    return [
        _("When"),
        _("Who"),
        _("Agreement"),
        _("Kind of object"),
        _("Object"),
        _("Object no."),
        _("Change"),
        _("Changes"),
        _("Comment"),
    ]


def _changes_text(entry: Entry) -> str:
    """Return an entry's changes as the log page writes them, one per line (« Statut : Brouillon → Proposée »)."""
    colon = pgettext("before a value", ":")
    return "\n".join(
        f"{c.label}{colon} {c.new}" if c.old is None else f"{c.label}{colon} {c.old} → {c.new}" for c in entry.changes
    )


def _batches(entries: Iterable[AuditEntry]) -> Iterator[list[AuditEntry]]:
    batch: list[AuditEntry] = []
    for entry in entries:
        batch.append(entry)
        if len(batch) == CSV_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def csv_lines(user: User, filters: Filters, sep: str) -> Iterator[str]:
    """Check the user now, then return the CSV of every matching entry, produced line by line, split by `sep`
    ("comma" or "semicolon", as tracker.transfer.sheets writes every export; KeyError on another).

    The file reads as the log page does, in the reader's language: headings, the time in the reader's time zone
    (as their spreadsheet writes it), people, agreements, objects, verbs and changed fields in words; the only
    number for machines is the object's own (« Object no. »)."""
    _require_admin(user)
    titles = {
        agreement.id: localized(agreement, "title")
        for agreement in db.session.scalars(select(Agreement).where(Agreement.id.in_(visible_agreement_ids(user))))
    }
    moment = f"{short_date_pattern()} HH:mm"
    statement = _statement(user, filters).options(joinedload(AuditEntry.actor)).execution_options(yield_per=500)

    def rows() -> Iterator[tuple[object, ...]]:
        for batch in _batches(db.session.scalars(statement)):
            for raw, entry in zip(batch, describe(batch), strict=True):
                yield (
                    format_datetime(entry.at, moment),
                    entry.actor,
                    titles.get(raw.agreement_id, ""),
                    entry.entity,
                    entry.subject or "",
                    entry.entity_id,
                    entry.verb,
                    _changes_text(entry),
                    entry.comment or "",
                )

    return sheets.csv_lines(csv_headers(), rows(), sep)
