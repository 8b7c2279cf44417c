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

from sqlalchemy import Select, Table, select

from tracker.accounts.models import User
from tracker.actions.models import Action, Attachment, Indicator, Measurement, Milestone, ProgressUpdate
from tracker.actions.models import action_commitments as action_commitments_table
from tracker.agreements.models import (
    Agreement,
    AgreementParty,
    Amendment,
    AmendmentConfirmation,
    Commitment,
    Party,
    Workstream,
    WorkstreamLead,
)
from tracker.closeout.archive_columns import describe
from tracker.closeout.models import CloseoutDecision, ClosureConfirmation
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.reports.models import Report, ReportSignature

# What a person's row shows in an archive: never their email, password, tokens or settings.
PEOPLE_COLUMNS = ("id", "name", "party_id", "role", "active")
# The report's snapshot is its published files' content; the archive keeps the files themselves.
LEFT_OUT = {"reports": {"snapshot"}}


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


def _table(name: str, table: Table, query: Select[Any], columns: Sequence[str] | None = None) -> DataTable:
    left_out = LEFT_OUT.get(name, set())
    names = tuple(c.name for c in table.columns if c.name not in left_out and (columns is None or c.name in columns))
    rows = [
        {c: _plain(v) for c, v in zip(names, row, strict=True)}
        for row in db.session.execute(query.with_only_columns(*(table.c[c] for c in names))).all()
    ]
    return DataTable(name, names, rows)


def agreement_tables(agreement: Agreement) -> list[DataTable]:
    """Return every table of the agreement's data, its audit trail included (one query per table)."""
    a_id = agreement.id
    workstreams = select(Workstream.id).where(Workstream.agreement_id == a_id)
    actions = select(Action.id).where(Action.workstream_id.in_(workstreams))
    indicators = select(Indicator.id).where(Indicator.agreement_id == a_id)
    reports = select(Report.id).where(Report.agreement_id == a_id)
    parties = select(AgreementParty.party_id).where(AgreementParty.agreement_id == a_id)
    t = {m.__tablename__: m.__table__ for m in (Agreement, Party, Workstream, Action, Report, User)}
    specs: list[tuple[str, Table, Select[Any], Sequence[str] | None]] = [
        ("agreements", t["agreements"], select(Agreement).where(Agreement.id == a_id), None),
        ("parties", t["parties"], select(Party).where(Party.id.in_(parties)).order_by(Party.id), None),
        (
            "agreement_parties",
            AgreementParty.__table__,
            select(AgreementParty).where(AgreementParty.agreement_id == a_id).order_by(AgreementParty.position),
            None,
        ),
        ("amendments", Amendment.__table__, select(Amendment).where(Amendment.agreement_id == a_id).order_by(Amendment.id), None),
        (
            "amendment_confirmations",
            AmendmentConfirmation.__table__,
            select(AmendmentConfirmation)
            .where(AmendmentConfirmation.amendment_id.in_(select(Amendment.id).where(Amendment.agreement_id == a_id)))
            .order_by(AmendmentConfirmation.amendment_id, AmendmentConfirmation.party_id),
            None,
        ),
        ("workstreams", t["workstreams"], select(Workstream).where(Workstream.agreement_id == a_id).order_by(Workstream.position), None),
        (
            "workstream_leads",
            WorkstreamLead.__table__,
            select(WorkstreamLead).where(WorkstreamLead.workstream_id.in_(workstreams)).order_by(
                WorkstreamLead.workstream_id, WorkstreamLead.party_id
            ),
            None,
        ),
        ("commitments", Commitment.__table__, select(Commitment).where(Commitment.workstream_id.in_(workstreams)).order_by(Commitment.id), None),
        ("actions", t["actions"], select(Action).where(Action.id.in_(actions)).order_by(Action.id), None),
        (
            "action_commitments",
            action_commitments_table,
            select(action_commitments_table)
            .where(action_commitments_table.c.action_id.in_(actions))
            .order_by(action_commitments_table.c.action_id, action_commitments_table.c.commitment_id),
            None,
        ),
        ("milestones", Milestone.__table__, select(Milestone).where(Milestone.action_id.in_(actions)).order_by(Milestone.id), None),
        (
            "progress_updates",
            ProgressUpdate.__table__,
            select(ProgressUpdate).where(ProgressUpdate.action_id.in_(actions)).order_by(ProgressUpdate.id),
            None,
        ),
        ("attachments", Attachment.__table__, select(Attachment).where(Attachment.action_id.in_(actions)).order_by(Attachment.id), None),
        ("indicators", Indicator.__table__, select(Indicator).where(Indicator.agreement_id == a_id).order_by(Indicator.id), None),
        (
            "measurements",
            Measurement.__table__,
            select(Measurement).where(Measurement.indicator_id.in_(indicators)).order_by(Measurement.id),
            None,
        ),
        ("reports", t["reports"], select(Report).where(Report.agreement_id == a_id).order_by(Report.id), None),
        (
            "report_signatures",
            ReportSignature.__table__,
            select(ReportSignature).where(ReportSignature.report_id.in_(reports)).order_by(ReportSignature.id),
            None,
        ),
        (
            "closeout_decisions",
            CloseoutDecision.__table__,
            select(CloseoutDecision).where(CloseoutDecision.agreement_id == a_id).order_by(CloseoutDecision.action_id),
            None,
        ),
        (
            "closure_confirmations",
            ClosureConfirmation.__table__,
            select(ClosureConfirmation).where(ClosureConfirmation.agreement_id == a_id).order_by(ClosureConfirmation.party_id),
            None,
        ),
        ("people", t["users"], select(User).where(User.party_id.in_(parties)).order_by(User.id), PEOPLE_COLUMNS),
        (
            "audit_trail",
            AuditEntry.__table__,
            select(AuditEntry).where(AuditEntry.agreement_id == a_id).order_by(AuditEntry.at, AuditEntry.id),
            None,
        ),
    ]
    return [_table(name, table, query, columns) for name, table, query, columns in specs]


def data_dictionary(tables: Sequence[DataTable]) -> DataTable:
    """Return the data dictionary: one row per column of every table (file, column, description)."""
    rows = [
        {"table": f"{table.name}.csv", "column": column, "description": describe(table.name, column)}
        for table in tables
        for column in table.columns
    ]
    return DataTable("data_dictionary", ("table", "column", "description"), rows)
