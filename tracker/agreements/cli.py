"""`flask agreements load PATH`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from tracker.agreements.loader import AgreementFileError, load_agreement_file
from tracker.core.db import db
from tracker.core.errors import DomainError

agreements_cli = AppGroup("agreements", help="Manage agreements.")


@agreements_cli.command("load")
@click.argument("path", type=click.Path(path_type=Path))
def load(path: Path) -> None:
    """Load or update an agreement from a data file (running it twice changes nothing)."""
    try:
        result = load_agreement_file(path)
        db.session.commit()
    except AgreementFileError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    except DomainError as exc:  # e.g. the agreement is closed: read-only
        db.session.rollback()
        raise click.ClickException(f"{path}: {exc.message}; nothing was loaded") from None
    except SQLAlchemyError as exc:
        db.session.rollback()
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        raise click.ClickException(f"{path}: the database refused the data ({reason}); nothing was loaded") from None
    click.echo(result.summary())
    for item in result.kept:
        click.echo(f"Kept {item}, which the file no longer lists.")
