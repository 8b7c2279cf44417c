"""Progress reports: frozen snapshots of an agreement over a period, rendered and signed off by both parties."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the report lifecycle, the digest's sections (reports to sign, assessments and summaries to write),
    the jobs that generate the reports and render their files, the `narrative_language` template filter, and
    declare the domain's API resources (reports) on the API blueprint (called before tracker.api.init_app registers
    the blueprint on the app)."""
    from tracker.api.blueprint import declare
    from tracker.core.lifecycle import register
    from tracker.reminders.sections import register_section
    from tracker.reports import api, digest, jobs, signoff
    from tracker.reports.models import Report
    from tracker.reports.narratives import digest as narrative_digest
    from tracker.reports.narratives.labels import language_name
    from tracker.scheduling.jobs import register_jobs

    register(Report, signoff.REPORT_LIFECYCLE)
    declare(api.ROUTES)
    register_section(digest.SECTION, *narrative_digest.SECTIONS)
    register_jobs(app, jobs.JOBS)
    app.add_template_filter(language_name, "narrative_language")  # « néerlandais » for `nl`, in the reader's language
