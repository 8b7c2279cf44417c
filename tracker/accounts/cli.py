"""`flask users create` and `flask users token`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tracker.accounts import services
from tracker.accounts.models import Role
from tracker.core.db import db, unit_of_work
from tracker.core.errors import ValidationFailed
from tracker.core.text import clean_line

users_cli = AppGroup("users", help="Manage accounts.")


def _one_line(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """Clean a single-line option (no line break or control reaches a stored name)."""
    return clean_line(value).strip()


@users_cli.command("create")
@click.option("--email", required=True, help="Login address (unique, case-insensitive).")
@click.option("--name", required=True, callback=_one_line, help="Full name shown to others.")
@click.option("--party", "party_code", required=True, help="Party code, e.g. IDF or BXL.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]), help="Role of the account.")
@click.option("--language", default="fr", type=click.Choice(["fr", "en", "nl"]), show_default=True)
@click.option("--password", default=None, help="Password; asked for when not given.")
def create_user(email: str, name: str, party_code: str, role: str, language: str, password: str | None) -> None:
    """Create an account."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with unit_of_work():
            user = services.create_user(
                email=email, name=name, party_code=party_code, role=role, password=password, language=language
            )
    except ValidationFailed as exc:
        raise click.ClickException(str(exc.message)) from None
    click.echo(f"Created {user.role} {user.email} ({user.party.code}).")


@users_cli.command("token")
@click.option("--email", required=True, help="Account the token belongs to.")
@click.option("--name", default="cli", show_default=True, callback=_one_line, help="A name to recognise the token by.")
@click.option("--scope", default="write", type=click.Choice(["read", "write"]), show_default=True)
@click.option("--days", default=365, show_default=True, type=click.IntRange(min=0), help="Days until expiry; 0: never.")
def create_token(email: str, name: str, scope: str, days: int) -> None:
    """Create an API token for a user and print it once."""
    user = services.find_by_email(email)
    if user is None or not user.active:
        raise click.ClickException(f"No active account with the email {email}.")
    try:
        with unit_of_work():
            _token, plaintext = services.create_api_token(user, name=name, scope=scope, expires_in_days=days or None)
    except ValidationFailed as exc:
        raise click.ClickException(str(exc.message)) from None
    click.echo(plaintext)


@users_cli.command("ensure-admin")
@click.option("--email", default="admin@example.org", show_default=True)
@click.option("--party", "party_code", default="IDF", show_default=True)
def ensure_admin(email: str, party_code: str) -> None:
    """Create a first admin with a random password when the installation has no admin yet."""
    import secrets

    from sqlalchemy import exists, select

    from tracker.accounts.models import User

    if db.session.scalar(select(exists().where(User.role == Role.ADMIN, User.active.is_(True)))):
        click.echo("An admin account exists already.")
        return
    password = secrets.token_urlsafe(12)
    try:
        with unit_of_work():
            user = services.create_user(
                email=email, name="Administrator", party_code=party_code, role="admin", password=password, language="fr"
            )
    except ValidationFailed as exc:
        raise click.ClickException(str(exc.message)) from None
    from flask import current_app

    path = current_app.config["INSTANCE_DIR"] / "initial-admin.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"email: {user.email}\npassword: {password}\n")
    path.chmod(0o600)
    click.echo(f"Created the first admin {user.email}; password written to {path}.")
