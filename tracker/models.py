"""Imports every model so that the metadata is complete (for Alembic and create_all)."""

from tracker.accounts.models import ApiToken, LoginFailure, Party, User
from tracker.actions.models import (
    Action,
    ActionApproval,
    Attachment,
    Indicator,
    Measurement,
    Milestone,
    ProgressUpdate,
)
from tracker.agreements.models import (
    Agreement,
    AgreementParty,
    Amendment,
    AmendmentConfirmation,
    Commitment,
    PartyDayOff,
    Workstream,
    WorkstreamLead,
)
from tracker.closeout.models import AgreementArchive, CloseoutDecision, ClosureConfirmation
from tracker.core.audit import AuditEntry
from tracker.mail.models import OutboxMessage
from tracker.reminders.models import ReminderSettings
from tracker.reports.models import Report, ReportSignature
from tracker.reports.narratives.models import Narrative, NarrativeVersion
from tracker.scheduling.models import SchedulerHeartbeat, SchedulerLease, SchedulerRun

__all__ = [
    "Action",
    "ActionApproval",
    "Agreement",
    "AgreementArchive",
    "AgreementParty",
    "Amendment",
    "AmendmentConfirmation",
    "ApiToken",
    "Attachment",
    "AuditEntry",
    "CloseoutDecision",
    "ClosureConfirmation",
    "Commitment",
    "Indicator",
    "LoginFailure",
    "Measurement",
    "Milestone",
    "Narrative",
    "NarrativeVersion",
    "OutboxMessage",
    "Party",
    "PartyDayOff",
    "ProgressUpdate",
    "ReminderSettings",
    "Report",
    "ReportSignature",
    "SchedulerHeartbeat",
    "SchedulerLease",
    "SchedulerRun",
    "User",
    "Workstream",
    "WorkstreamLead",
]
