"""The data of an agreement as tables for its archive package: one CSV and one JSON file per table, and a data
dictionary describing every column (tracker/closeout/archive_columns.py).

A table is read in one query (no query per row); values are written as archivists read them: dates and instants
in ISO 8601 (instants in UTC), states by their code, structured values (audit changes, report files) as JSON."""

from __future__ import annotations

import csv
import enum
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, select

from tracker.accounts.models import Party, User
from tracker.actions.models import Action, Attachment, Indicator, Measurement, Milestone, ProgressUpdate
from tracker.actions.models import action_commitments as action_commitments_table
from tracker.agreements.models import (
    Agreement,
    AgreementParty,
    Amendment,
    AmendmentConfirmation,
    Commitment,
    Workstream,
    WorkstreamLead,
)
from tracker.closeout.archive_columns import describe
from tracker.closeout.models import CloseoutDecision, ClosureConfirmation
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.reports.models import Report, ReportSignature
from tracker.reports.narratives.models import Narrative, NarrativeVersion

# What a person's row shows in an archive: never their email, password, tokens or settings.
PEOPLE_COLUMNS = ("id", "name", "function", "party_id", "role", "active")
# The report's snapshot is its published files' content; the archive keeps the files themselves. A progress log's
# form token only told a form sent twice from a new one: it means nothing once filed.
LEFT_OUT = {"reports": {"snapshot"}, "progress_updates": {"form_token"}}


@dataclass(frozen=True)
class DataTable:
    """A table of the archive: its file name (without extension), its columns and its rows (dicts)."""

    name: str
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]

    def csv_bytes(self) -> bytes:
        """Return the table as UTF-8 CSV with a header row (comma-separated, RFC 4180 quoting)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow(["" if row[c] is None else _cell(row[c]) for c in self.columns])
        return out.getvalue().encode("utf-8")

    def json_bytes(self) -> bytes:
        """Return the table as a JSON array of objects (UTF-8, keys in column order)."""
        return json.dumps(self.rows, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _cell(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _table(name: str, source: Any, where: Any, order: Any, columns: Sequence[str] | None = None) -> DataTable:
    """Read one table (a model or a Table) in one query: the rows matching `where`, sorted by `order`, with the
    columns ADDED to that table read in the same query."""
    table: Table = getattr(source, "__table__", source)
    left_out = LEFT_OUT.get(name, set())
    own = tuple(c.name for c in table.columns if c.name not in left_out and (columns is None or c.name in columns))
    added = ADDED.get(name, {})
    names = own + tuple(added)
    query = select(*(table.c[c] for c in own), *(column() for column in added.values())).where(where).order_by(*order)
    rows = [{c: _plain(v) for c, v in zip(names, row, strict=True)} for row in db.session.execute(query).all()]
    return DataTable(name, names, rows)


def _closeout_decision() -> Any:
    """An action's close-out decision (completed, cancelled or carried_over), empty when none was needed: a reader
    of actions.csv sees what became of an action still active when the agreement closed."""
    return (
        select(CloseoutDecision.decision)
        .where(CloseoutDecision.action_id == Action.id)
        .scalar_subquery()
        .label("closeout_decision")
    )


# Columns a table of the archive shows beyond its own, each read in the table's query (a correlated subquery).
ADDED: dict[str, dict[str, Any]] = {"actions": {"closeout_decision": _closeout_decision}}


def agreement_tables(agreement: Agreement) -> list[DataTable]:
    """Return every table of the agreement's data, its audit trail included (one query per table)."""
    a_id = agreement.id
    workstreams = select(Workstream.id).where(Workstream.agreement_id == a_id)
    actions = select(Action.id).where(Action.workstream_id.in_(workstreams))
    parties = select(AgreementParty.party_id).where(AgreementParty.agreement_id == a_id)
    amendments = select(Amendment.id).where(Amendment.agreement_id == a_id)
    links = action_commitments_table.c
    specs: list[tuple[str, Any, Any, tuple[Any, ...]]] = [
        ("agreements", Agreement, Agreement.id == a_id, (Agreement.id,)),
        ("parties", Party, Party.id.in_(parties), (Party.id,)),
        ("agreement_parties", AgreementParty, AgreementParty.agreement_id == a_id, (AgreementParty.position,)),
        ("amendments", Amendment, Amendment.agreement_id == a_id, (Amendment.id,)),
        (
            "amendment_confirmations",
            AmendmentConfirmation,
            AmendmentConfirmation.amendment_id.in_(amendments),
            (AmendmentConfirmation.amendment_id, AmendmentConfirmation.party_id),
        ),
        ("workstreams", Workstream, Workstream.agreement_id == a_id, (Workstream.position,)),
        (
            "workstream_leads",
            WorkstreamLead,
            WorkstreamLead.workstream_id.in_(workstreams),
            (WorkstreamLead.workstream_id, WorkstreamLead.party_id),
        ),
        ("commitments", Commitment, Commitment.workstream_id.in_(workstreams), (Commitment.id,)),
        ("actions", Action, Action.id.in_(actions), (Action.id,)),
        (
            "action_commitments",
            action_commitments_table,
            links.action_id.in_(actions),
            (links.action_id, links.commitment_id),
        ),
        ("milestones", Milestone, Milestone.action_id.in_(actions), (Milestone.id,)),
        ("progress_updates", ProgressUpdate, ProgressUpdate.action_id.in_(actions), (ProgressUpdate.id,)),
        ("attachments", Attachment, Attachment.action_id.in_(actions), (Attachment.id,)),
        ("indicators", Indicator, Indicator.agreement_id == a_id, (Indicator.id,)),
        (
            "measurements",
            Measurement,
            Measurement.indicator_id.in_(select(Indicator.id).where(Indicator.agreement_id == a_id)),
            (Measurement.id,),
        ),
        ("reports", Report, Report.agreement_id == a_id, (Report.id,)),
        (
            "report_signatures",
            ReportSignature,
            ReportSignature.report_id.in_(select(Report.id).where(Report.agreement_id == a_id)),
            (ReportSignature.id,),
        ),
        ("narratives", Narrative, Narrative.agreement_id == a_id, (Narrative.period, Narrative.id)),
        (
            "narrative_versions",
            NarrativeVersion,
            NarrativeVersion.narrative_id.in_(select(Narrative.id).where(Narrative.agreement_id == a_id)),
            (NarrativeVersion.narrative_id, NarrativeVersion.number),
        ),
        ("closeout_decisions", CloseoutDecision, CloseoutDecision.agreement_id == a_id, (CloseoutDecision.action_id,)),
        (
            "closure_confirmations",
            ClosureConfirmation,
            ClosureConfirmation.agreement_id == a_id,
            (ClosureConfirmation.party_id,),
        ),
        ("audit_trail", AuditEntry, AuditEntry.agreement_id == a_id, (AuditEntry.at, AuditEntry.id)),
    ]
    tables = [_table(*spec) for spec in specs]
    return [*tables, _table("people", User, User.party_id.in_(parties), (User.id,), PEOPLE_COLUMNS)]


def data_dictionary(tables: Sequence[DataTable]) -> DataTable:
    """Return the data dictionary: one row per column of every table (file, column, description)."""
    rows = [
        {"table": f"{table.name}.csv", "column": column, "description": describe(table.name, column)}
        for table in tables
        for column in table.columns
    ]
    return DataTable("data_dictionary", ("table", "column", "description"), rows)
