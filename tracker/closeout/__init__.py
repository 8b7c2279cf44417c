"""The end of an agreement: its lifecycle (in force, ended, closed, archived), the daily job that ends it, the
notice shown on its pages and the close-out items of the reminder digests."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the agreement lifecycle, the jobs that end agreements and build their archives, the digest's
    close-out section, the final report's close-out part and its « carried over » figure, the agreement loader's
    succession (`succeeds:`) and ending (a file with a past end date), the pages' end notice, the write guard that keeps a closed agreement read-only, and what pages show of a renewal
    (an action's lineage, an agreement's period, whether the reader may start the successor, the successor
    proposed and waiting for confirmation)."""
    from tracker.agreements.loader import register_ending, register_succession
    from tracker.agreements.models import Agreement
    from tracker.agreements.services import read_only_reason
    from tracker.closeout import digest, jobs, lifecycle, report_part
    from tracker.closeout.archive import may_download_archive
    from tracker.closeout.decisions import decision_label
    from tracker.closeout.lineage import action_lineage
    from tracker.closeout.notice import end_notice
    from tracker.closeout.queries import count_awaiting_decision
    from tracker.closeout.readonly import allow_on_closed, refuse_writes_to_closed
    from tracker.closeout.renewal import LINKING_WRITES, link_from_file, period_label, renewal_refusal
    from tracker.closeout.renewal_proposal import open_proposal
    from tracker.closeout.report_part import closeout_part
    from tracker.closeout.services import end_if_due
    from tracker.core import audit, clock
    from tracker.core.lifecycle import register
    from tracker.reminders.sections import register_section
    from tracker.reports.snapshot import register_part, register_status
    from tracker.scheduling.jobs import register_jobs

    register(Agreement, lifecycle.AGREEMENT_LIFECYCLE)
    register_jobs(app, jobs.JOBS)
    register_section(digest.SECTION, digest.RESCHEDULE_SECTION, digest.REGENERATE_SECTION)
    # A decision recorded after the final report was generated outdates it: it cannot be signed, nor the agreement
    # closed on it (tracker/closeout/lifecycle.py), until a new version shows every decision.
    register_part("closeout", closeout_part, key=report_part.decisions_key, outdated=report_part.OUTDATED)
    register_status(
        report_part.CARRIED_OVER,
        report_part.CARRIED_OVER_LABEL,
        report_part.CARRIED_OVER_COLOUR,
        report_part.carried_over,
    )
    register_succession(link_from_file)
    register_ending(end_if_due)
    audit.guard_writes(refuse_writes_to_closed)
    allow_on_closed(*lifecycle.OWN_MOVES, *LINKING_WRITES)
    app.add_template_global(read_only_reason, "agreement_read_only_reason")  # the write forms show it instead

    app.add_template_global(end_notice, "agreement_end_notice")
    app.add_template_global(may_download_archive, "may_download_archive")  # the banner links whom may download
    app.add_template_global(
        lambda agreement: agreement.has_ended(clock.today(agreement.timezone)), "agreement_has_ended"
    )
    app.add_template_global(decision_label, "closeout_decision_label")
    app.add_template_global(count_awaiting_decision, "actions_awaiting_closeout")  # warned of on the reports pages
    app.add_template_global(action_lineage, "action_lineage")
    app.add_template_global(period_label, "agreement_period")
    app.add_template_global(renewal_refusal, "agreement_renewal_refusal")
    app.add_template_global(open_proposal, "agreement_renewal_proposal")
    app.add_template_global(lambda status: str(lifecycle.STATE_LABELS[str(status)]), "agreement_status_label")
