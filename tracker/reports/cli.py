"""`flask reports generate --agreement SLUG --period P [--send] [--regenerate]`."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import ngettext

from tracker.core.db import unit_of_work
from tracker.core.errors import DomainError

reports_cli = AppGroup("reports", help="Progress reports.")


@reports_cli.command("generate")
@click.option("--agreement", "slug", required=True, help="Slug of the agreement, e.g. idf-bxl-2021.")
@click.option("--period", "period", required=True, help="2026-Q3, Y3 (third agreement year), final, or START..END.")
@click.option("--send", is_flag=True, help="Mail it to the reviewers of every party, each in their language.")
@click.option("--regenerate", is_flag=True, help="Make a new version when the period has a report already.")
def generate(slug: str, period: str, send: bool, regenerate: bool) -> None:
    """Freeze a report snapshot of an agreement over a period."""
    from tracker.reports import services

    try:
        with unit_of_work():
            agreement = services.agreement_for_report(slug)
            report = services.generate_report(agreement, period, regenerate=regenerate)
            mailed = services.send_for_signoff(report) if send else 0
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from None
    click.echo(
        f"Report {report.id} generated: {slug} {report.period} (version {report.version}, "
        f"{report.period_start_on} to {report.period_end_on}), status {report.status.value}."
    )
    if send:
        click.echo(
            ngettext(
                "%(num)d reviewer mailed through the outbox.", "%(num)d reviewers mailed through the outbox.", mailed
            )
        )
