"""`flask outbox deliver`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from flask.cli import AppGroup
from flask_babel import ngettext

if TYPE_CHECKING:
    from tracker.mail.delivery import DeliveryReport

outbox_cli = AppGroup("outbox", help="The mail outbox.")


@outbox_cli.command("deliver")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Stop after this many messages.")
def deliver(limit: int | None) -> None:
    """Send pending mail over SMTP; print how many were sent, retried later and given up.

    The delivery runs its own units of work (a claim, each message's hand-over and outcome; units do not nest).
    """
    # Imported here: SMTP is of no use to the other commands nor to the web workers.
    from tracker.mail.delivery import deliver_pending

    def show(report: DeliveryReport) -> None:
        click.echo(f"  ... {report.sent} sent, {report.retried} to retry, {report.dead} given up", err=True)

    report = deliver_pending(limit=limit, progress=show)
    if report.recovered:
        click.echo(
            ngettext(
                "Took back %(num)d message left claimed by a stopped run.",
                "Took back %(num)d messages left claimed by a stopped run.",
                report.recovered,
            )
        )
    if report.kept:
        click.echo(
            f"SMTP_HOST is not set: mail stays in the outbox ({report.kept} waiting; admins read it at /admin/outbox)."
        )
        return
    line = f"Sent {report.sent}, retried later {report.retried}, given up {report.dead}"
    if report.cancelled:
        line += f", cancelled {report.cancelled} (nothing left to say)"
    click.echo(line + ".")
    for error in sorted(set(report.errors)):
        click.echo(f"Relay problem: {error}", err=True)
