"""The data dictionary of an archive package: what each column of its CSV and JSON tables holds (in English, the
language the column names are in). A column is described by its table's entry, or else by its name alone."""

from __future__ import annotations

LANGUAGES = {"fr": "French", "en": "English", "nl": "Dutch"}

# Columns that mean the same in every table.
COMMON = {
    "id": "Identifier of the row, unique within its table; other tables refer to it as <table>_id.",
    "created_at": "When the row was created (UTC, ISO 8601).",
    "updated_at": "When the row was last changed (UTC, ISO 8601).",
    "version": "Revision counter of the row, raised by each change (used to detect concurrent edits).",
    "is_demo": "true for demonstration data, never real activity.",
    "agreement_id": "The agreement (agreements.csv id).",
    "workstream_id": "The workstream (workstreams.csv id); empty when the row concerns the whole agreement.",
    "action_id": "The action (actions.csv id).",
    "party_id": "The signatory party (parties.csv id).",
    "user_id": "The person who did it (people.csv id); empty if that account was removed.",
    "indicator_id": "The indicator (indicators.csv id).",
    "report_id": "The report (reports.csv id).",
    "amendment_id": "The amendment (amendments.csv id).",
    "commitment_id": "The commitment (commitments.csv id).",
    "position": "Order of display among its siblings (0 first).",
    "code": "Short code, unique among its siblings.",
    "timezone": "IANA time zone in which its local dates are read.",
    "confirmed_at": "When it was confirmed (UTC, ISO 8601).",
    "source": "Where the figure comes from (free text).",
}
# Localised columns: <base>_fr, <base>_en, <base>_nl.
LOCALISED = {
    "title": "Title",
    "summary": "Summary",
    "objective": "Objective",
    "name": "Name",
    "short_name": "Short name (where room is short)",
    "text": "Text",
}
TABLES: dict[str, dict[str, str]] = {
    "agreements": {
        "slug": "Short identifier of the agreement used in addresses and commands.",
        "signed_on": "Date the agreement was signed.",
        "starts_on": "First day of the agreement's period.",
        "ends_on": "Last day of the agreement's period (after any amendment).",
        "source_url": "Public page where the agreement is published.",
        "status": "Lifecycle state: in_force, ended, closed or archived.",
        "succeeds_id": "The ended agreement this one renews (agreements.csv id), if any.",
    },
    "parties": {
        "country": "ISO 3166-1 country code of the party.",
        "subdivision": "ISO 3166-2 subdivision code of the party (its region), if any.",
    },
    "agreement_parties": {"signed_by": "Name of the person who signed for the party."},
    "amendments": {
        "reference": "Reference of the amendment (« avenant ») as the parties wrote it.",
        "signed_on": "Date the amendment was signed.",
        "previous_ends_on": "End date of the agreement before this amendment.",
        "new_ends_on": "End date of the agreement set by this amendment.",
        "text": "Text or summary of the amendment.",
        "recorded_by_id": "Person who recorded it (people.csv id).",
        "recorded_at": "When it was recorded (UTC, ISO 8601).",
        "in_effect_at": "When the last party confirmed it and the end date moved (UTC); empty if never.",
    },
    "amendment_confirmations": {"user_id": "Administrator who confirmed it for the party (people.csv id)."},
    "workstreams": {"starts_on": "Date the workstream began, when later than the agreement's start."},
    "workstream_leads": {"user_id": "The party's co-lead of the workstream (people.csv id)."},
    "actions": {
        "title": "Title of the action.",
        "description": "Description of the action.",
        "owner_id": "Person in charge of the action (people.csv id).",
        "lead_party_id": "Party leading the action (parties.csv id).",
        "created_by_id": "Person who proposed the action (people.csv id).",
        "status": "Lifecycle state: draft, proposed, active, on_hold, completed or cancelled.",
        "health": "Last reported health: on_track, at_risk or off_track.",
        "percent": "Last reported progress, in percent (0-100).",
        "start_on": "Planned start date.",
        "due_on": "Planned end date.",
        "last_progress_at": "When progress was last logged (UTC, ISO 8601).",
        "outcome": "What the action achieved, recorded at completion or close-out (or why it was cancelled).",
        "continues_action_id": "The action of the previous agreement that this one continues (its id there), if any.",
        "closeout_decision": "What became of it when the agreement ended (closeout_decisions.csv): completed, "
        "cancelled or carried_over to the successor agreement; empty when it was already completed or cancelled. "
        "Its status is the one it had then: a carried-over action goes on in the successor.",
    },
    "narratives": {
        "period": "Key of the report period the text was written for: 2026-Q3, Y3, final, or start..end dates.",
        "versions_count": "Number of the current version (each save is a version in narrative_versions.csv).",
        "text_fr": "Current text in French; the workstream's assessment, or with no workstream the executive summary.",
        "text_nl": "Current text in Dutch.",
        "text_en": "Current text in English (optional).",
        "updated_by_id": "Person who saved the current version (people.csv id).",
    },
    "narrative_versions": {
        "narrative_id": "The text (narratives.csv id) this is a version of.",
        "number": "Version number, from 1, in the order of saving.",
        "text_fr": "Text in French as saved in this version.",
        "text_nl": "Text in Dutch as saved in this version.",
        "text_en": "Text in English as saved in this version.",
        "author_id": "Person who saved it (people.csv id).",
        "author_name": "That person's name when saving.",
        "saved_at": "When it was saved (UTC, ISO 8601).",
    },
    "action_commitments": {"action_id": "The action (actions.csv id) that addresses the commitment."},
    "milestones": {
        "title": "Title of the milestone.",
        "due_on": "Date the milestone is due.",
        "status": "State: planned, done or cancelled.",
        "completed_on": "Date it was done.",
        "evidence_url": "Address of the evidence that it was done.",
        "reschedule_count": "How many times its due date was moved.",
    },
    "progress_updates": {
        "author_id": "Person who logged it (people.csv id).",
        "text": "What was done, as logged.",
        "percent": "Progress of the action logged with it, in percent (0-100).",
        "health": "Health of the action logged with it: on_track, at_risk or off_track.",
        "created_at": "When it was logged (UTC, ISO 8601).",
    },
    "attachments": {
        "progress_update_id": "The progress log it came with (progress_updates.csv id), if any.",
        "uploaded_by_id": "Person who uploaded it (people.csv id).",
        "filename": "File name as uploaded; the file is in evidence/ as <id>-<filename>.",
        "content_type": "Media type of the file.",
        "size": "Size of the file, in bytes.",
        "sha256": "SHA-256 of the file's content (hexadecimal).",
        "created_at": "When it was uploaded (UTC, ISO 8601).",
    },
    "indicators": {
        "unit": "Unit of the values.",
        "direction": "Which way counts as progress: increase, decrease or maintain.",
        "baseline_value": "Value at the baseline date.",
        "baseline_on": "Date of the baseline value.",
        "target_value": "Value aimed at.",
        "target_on": "Date by which the target is aimed at.",
    },
    "measurements": {
        "measured_on": "Date the value was measured.",
        "value": "Measured value, in the indicator's unit.",
        "note": "Note on the measurement.",
        "recorded_by_id": "Person who recorded it (people.csv id).",
        "created_at": "When it was recorded (UTC, ISO 8601).",
    },
    "reports": {
        "kind": "quarter, agreement_year, final or ad_hoc.",
        "period": "Period as named in the product (2026-Q3, Y3, final).",
        "period_start_on": "First day of the period covered.",
        "period_end_on": "Last day of the period covered.",
        "version": "Version of the report for its period (a newer version supersedes an unpublished older one).",
        "lock_version": "Revision counter of the report's sign-off (used to detect concurrent edits).",
        "generated_at": "When the report's frozen snapshot was taken (UTC, ISO 8601).",
        "generated_by_id": "Person who generated it (people.csv id); empty when the scheduler did.",
        "status": "State: draft, signed (by one party), published (by all) or superseded.",
        "returned_comment": "Why it was returned, if it was.",
        "published_at": "When both parties had signed it (UTC, ISO 8601).",
        "files": "Its published files: {language: {format: {sha256, size}}}; they are in reports/.",
    },
    "report_signatures": {
        "user_id": "Reviewer who signed for the party (people.csv id).",
        "signed_at": "When it was signed (UTC, ISO 8601).",
        "comment": "The reviewer's comment.",
        "signer_name": "The reviewer's name when they signed.",
        "signer_function": "The reviewer's function (job title) when they signed.",
    },
    "closeout_decisions": {
        "action_id": "The unfinished action decided (actions.csv id).",
        "decision": "What became of it at the end of the agreement: completed, cancelled or carried_over.",
        "note": "Outcome (completed), reason (cancelled) or a word for the successor (carried_over).",
        "decided_by_id": "Owner or co-lead who decided (people.csv id).",
        "decided_at": "When it was decided (UTC, ISO 8601).",
        "successor_action_id": "The action that continues it in the successor agreement, if any.",
    },
    "closure_confirmations": {"user_id": "Administrator who confirmed the closing for the party (people.csv id)."},
    "people": {
        "name": "Name of the person.",
        "function": "The person's function (job title), as they or their admin wrote it.",
        "role": "Role: admin, coordinator or reviewer.",
        "active": "false once the person left.",
    },
    "audit_trail": {
        "actor_id": "Person who made the change (people.csv id); empty when the system did.",
        "at": "When (UTC, ISO 8601).",
        "entity": "Kind of object changed (agreement, action, milestone, report…).",
        "entity_id": "Identifier of that object in its table.",
        "verb": "What was done (create, update, a lifecycle move such as approve or close…).",
        "changes": "The fields changed, as JSON {field: [before, after]} or {field: value}.",
        "comment": "The comment given with the change, if any.",
    },
    "data_dictionary": {
        "table": "File of the table.",
        "column": "Column of that table.",
        "description": "What the column holds.",
    },
}
UNDESCRIBED = "(not described)"


def describe(table: str, column: str) -> str:
    """Return the description of a column of a table of the archive, or UNDESCRIBED (the tests forbid it)."""
    specific = TABLES.get(table, {}).get(column)
    if specific is not None:
        return specific
    base, _, lang = column.rpartition("_")
    if base in LOCALISED and lang in LANGUAGES:
        return f"{LOCALISED[base]} in {LANGUAGES[lang]}."
    return COMMON.get(column, UNDESCRIBED)
