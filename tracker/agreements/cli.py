"""`flask agreements load PATH`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from tracker.core.db import unit_of_work
from tracker.core.errors import DomainError

agreements_cli = AppGroup("agreements", help="Manage agreements.")


@agreements_cli.command("load")
@click.argument("path", type=click.Path(path_type=Path))
def load(path: Path) -> None:
    """Load or update an agreement from a data file (running it twice changes nothing)."""
    # Imported here: the file's schema (pydantic) is of no use to the other commands nor to the web workers.
    from tracker.agreements.loader import AgreementFileError, load_agreement_file

    try:
        with unit_of_work():
            result = load_agreement_file(path)
    except AgreementFileError as exc:
        raise click.ClickException(str(exc)) from None
    except DomainError as exc:  # e.g. the agreement is closed: read-only
        raise click.ClickException(f"{path}: {exc.message}; nothing was loaded") from None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        raise click.ClickException(f"{path}: the database refused the data ({reason}); nothing was loaded") from None
    click.echo(result.summary())
    for item in result.kept:
        click.echo(f"Kept {item}, which the file no longer lists.")
