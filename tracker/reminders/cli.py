"""`flask reminders run [--date YYYY-MM-DD]`."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import ngettext

from tracker.core import clock
from tracker.reminders.sweep import sweep

reminders_cli = AppGroup("reminders", help="Reminder digests.")


def _parse_date(_ctx: object, _param: object, value: str | None) -> date | None:
    if value is None:
        return None
    from tracker.actions.validation import FIRST_DATE, LAST_DATE

    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-11-30") from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise click.BadParameter(f"{value} is outside {FIRST_DATE}..{LAST_DATE}")
    return day


@reminders_cli.command("run")
@click.option("--date", "on", callback=_parse_date, help="Local date to sweep (YYYY-MM-DD); default: today.")
def run(on: date | None) -> None:
    """Queue the digests of a date in the outbox (whatever the hour; once per person and date).

    The sweep runs one unit of work per chunk of digests (units do not nest): a failure keeps what was queued.
    """
    on = on or clock.today(current_app.config["TRACKER_TIMEZONE"])

    def show(done: int, total: int) -> None:
        click.echo(f"  ... {done}/{total} people", err=True)

    report = sweep(on, progress=show)
    if report.groups == 0:
        click.echo(
            f"{on:%A %d %B %Y} is not a working day in any region: no digest. To see what a person's digest "
            "holds now: flask --app wsgi reminders preview --email E --date YYYY-MM-DD (a working day)."
        )
        return
    if report.non_working:
        click.echo(f"Not a working day for {', '.join(report.non_working)}: their digests wait for the next one.")
    queued = ngettext("Queued %(num)d digest for %(date)s", "Queued %(num)d digests for %(date)s", report.queued,
                      date=on.isoformat())  # fmt: skip
    already = ngettext("%(num)d was queued already", "%(num)d were queued already", report.already)
    click.echo(f"{queued} ({already}); `outbox deliver` sends them.")


@reminders_cli.command("preview")
@click.option("--email", required=True, help="Login address of the person.")
@click.option("--date", "on", callback=_parse_date, help="Local date (YYYY-MM-DD); default: today.")
def preview(email: str, on: date | None) -> None:
    """Print the digest a person would get on a date (subject and text), without queuing anything."""
    from tracker.accounts.services import find_by_email
    from tracker.core.db import reading
    from tracker.reminders.digest import preview_digest

    on = on or clock.today(current_app.config["TRACKER_TIMEZONE"])
    with reading():  # writes nothing: a reader's transaction, ended before printing
        user = find_by_email(email)
        if user is None:
            raise click.ClickException(f"no account with the address {email}")
        address, rendered = user.email, preview_digest(user, on)
    if rendered is None:
        click.echo(
            f"No digest for {address} on {on:%A} {on.day} {on:%B %Y}: nothing to remind, or not a digest day "
            "of their region (weekend, public holiday, weekly digest)."
        )
        return
    click.echo(f"Subject: {rendered.subject}\n")
    click.echo(rendered.text)
