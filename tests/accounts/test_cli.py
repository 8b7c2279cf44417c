"""`flask users create` and `flask users token`, as an operator uses them."""

from __future__ import annotations

from flask import Flask

from tests import factories
from tracker.accounts import services
from tracker.accounts.models import ApiToken
from tracker.core.db import db


def test_create_an_account_then_log_in(app: Flask) -> None:
    factories.load_agreement()
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "Lotte.Peeters@Example.org",
            "--name",
            "Lotte Peeters",
            "--party",
            "bxl",
            "--role",
            "coordinator",
            "--password",
            "a long enough password",
        ]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Created coordinator lotte.peeters@example.org (BXL)."
    user = services.authenticate("lotte.peeters@example.org", "a long enough password")
    assert user is not None and user.party.code == "BXL"


def test_password_is_prompted_when_not_given(app: Flask) -> None:
    factories.load_agreement()
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "an@example.org", "--name", "An", "--party", "BXL", "--role", "reviewer"],
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert services.authenticate("an@example.org", "a long enough password") is not None


def test_bad_arguments_get_one_line_and_create_nothing(app: Flask) -> None:
    factories.load_agreement()
    runner = app.test_cli_runner()
    cases = {
        ("--email", "not-an-email", "--party", "IDF", "--password", "a long enough password"): "not valid",
        ("--email", "x@example.org", "--party", "QC", "--password", "a long enough password"): "Unknown party QC",
        ("--email", "x@example.org", "--party", "IDF", "--password", "short"): "at least 10 characters",
    }
    for extra, message in cases.items():
        result = runner.invoke(args=["users", "create", "--name", "X", "--role", "coordinator", *extra])
        assert result.exit_code == 1, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and message in lines[0] and lines[0].startswith("Error:")
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--name",
            "X",
            "--role",
            "boss",
            "--email",
            "x@example.org",
            "--party",
            "IDF",
            "--password",
            "a long enough password",
        ]
    )
    assert result.exit_code == 2 and "boss" in result.output
    assert services.find_by_email("x@example.org") is None


def test_duplicate_email_in_another_case_is_refused(app: Flask) -> None:
    factories.load_agreement()
    factories.make_user("IDF", email="camille@example.org")
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "CAMILLE@example.org",
            "--name",
            "Camille",
            "--party",
            "IDF",
            "--role",
            "coordinator",
            "--password",
            "a long enough password",
        ]
    )
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_token_is_printed_once_and_stored_hashed(app: Flask) -> None:
    factories.load_agreement()
    user = factories.make_user("IDF", email="camille@example.org")
    result = app.test_cli_runner().invoke(args=["users", "token", "--email", "Camille@example.org"])
    assert result.exit_code == 0, result.output
    plaintext = result.output.strip()
    assert plaintext.startswith("trk_") and len(plaintext) > 30
    stored = db.session.query(ApiToken).one()
    assert stored.token_hash != plaintext and plaintext not in stored.token_hash
    found = services.user_for_token(plaintext)
    assert found is not None and found[0].id == user.id
    assert services.user_for_token(plaintext + "x") is None


def test_token_for_an_unknown_account(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["users", "token", "--email", "nobody@example.org"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: No active account with the email nobody@example.org."


def test_ensure_admin_creates_one_admin_once(app: Flask) -> None:
    factories.load_agreement()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["users", "ensure-admin"])
    assert first.exit_code == 0 and "Created the first admin admin@example.org" in first.output
    credentials = (app.config["INSTANCE_DIR"] / "initial-admin.txt").read_text()
    password = credentials.split("password: ")[1].strip()
    assert services.authenticate("admin@example.org", password) is not None
    second = runner.invoke(args=["users", "ensure-admin"])
    assert "exists already" in second.output
