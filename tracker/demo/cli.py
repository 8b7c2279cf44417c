"""`flask demo load`."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import ngettext

from tracker.core.db import unit_of_work
from tracker.core.errors import DomainError

demo_cli = AppGroup("demo", help="Demo data (every row it adds is marked as demo).")


@demo_cli.command("load")
@click.option("--agreement", "slug", default="idf-bxl-2021", show_default=True)
def load(slug: str) -> None:
    """Add demo accounts, actions, milestones and progress updates, marked as demo."""
    # Imported here: the demo's generator and texts are of no use to the other commands nor to the web workers.
    from tracker.demo.service import DemoError, demo_loaded, load_demo

    if demo_loaded():
        click.echo("Demo data is already loaded; nothing added.")
        _print_accounts()
        return
    try:
        with unit_of_work():
            counts = load_demo(slug)
    except DemoError as exc:
        raise click.ClickException(str(exc)) from None
    except DomainError as exc:  # e.g. the agreement is closed: read-only
        raise click.ClickException(str(exc.message)) from None
    click.echo(
        f"Demo data added to {slug}: {counts.users} users, {counts.actions} actions, "
        f"{counts.milestones} milestones, {counts.updates} progress updates, {counts.measurements} measurements."
    )
    _print_accounts()


def _print_accounts() -> None:
    """Print every demo account: address, name, party, role and the workstreams it co-leads."""
    from tracker.demo.service import DEMO_PASSWORD, demo_accounts

    rows = demo_accounts()
    click.echo(
        ngettext(
            "%(num)d demo account, with the password %(password)s:",
            "%(num)d demo accounts, all with the password %(password)s:",
            len(rows),
            password=DEMO_PASSWORD,
        )
    )
    for row in rows:
        co_leads = f"  co-leads {', '.join(row.co_leads)}" if row.co_leads else ""
        click.echo(f"  {row.email:36} {row.name:24} {row.party:4} {row.role:12}{co_leads}")
