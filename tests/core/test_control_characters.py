"""No control character gets past the edge: forms, API bodies and imported cells are cleaned on the way in.

Single-line values (names, titles) lose their line breaks (to one space), other controls and bidi overrides;
multi-line values (descriptions) keep their line breaks. Cleaned, not refused: see tracker/core/text.py.
"""

from __future__ import annotations

import importlib
import pkgutil

from flask_wtf import FlaskForm

import tracker
from tests.actions.conftest import Team, team  # noqa: F401
from tests.api.helpers import Api, token_for
from tests.factories import load_agreement, make_user
from tests.forms import submit_form
from tests.helpers import login
from tracker.accounts.models import User
from tracker.actions.models import Action
from tracker.core.db import db
from tracker.core.forms import Form

INJECTED_NAME = "Camille\r\nBcc: someone@example.org"


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(_subclasses(c) for c in found))


def test_every_form_of_the_site_derives_from_the_cleaning_form() -> None:
    for module in pkgutil.walk_packages(tracker.__path__, "tracker."):
        importlib.import_module(module.name)
    forms = {c for c in _subclasses(FlaskForm) if c.__module__.startswith("tracker.")}
    assert len(forms) >= 10
    assert {f"{c.__module__}.{c.__name__}" for c in forms if not issubclass(c, Form)} == set()


def test_a_line_break_in_a_display_name_is_cleaned_on_the_profile_page(client, app, frozen_clock) -> None:
    load_agreement()
    person = make_user("IDF", name="Camille Martin")
    login(client, person.email)

    saved = submit_form(client, "/profile", action="/profile", fields={"profile-name": INJECTED_NAME})

    assert saved.status_code == 302
    assert db.session.get(User, person.id).name == "Camille Bcc: someone@example.org"
    only_breaks = submit_form(client, "/profile", action="/profile", fields={"profile-name": "\r\n\t\x07"})
    assert only_breaks.status_code in (200, 422)  # the form again, with its "required" error
    # A NUL is refused at the edge, before any form reads it (tracker/web/edge.py).
    nul = submit_form(client, "/profile", action="/profile", fields={"profile-name": "Camille\x00"})
    assert nul.status_code == 400
    assert db.session.get(User, person.id).name == "Camille Bcc: someone@example.org"


def test_api_bodies_are_cleaned_single_line_fields_lose_breaks_text_keeps_them(client, team: Team) -> None:  # noqa: F811
    api = Api(client, token_for(team.owner))

    created = api.post(
        "/actions",
        json={
            "workstream_id": team.ws.id,
            "title": "Forum\r\ndes\x1b start-up \u202egpj.exe",
            "description": "Ligne 1\r\nLigne 2\x07",
        },
    )

    assert created.status_code == 201, created.get_json()
    action = db.session.get(Action, created.get_json()["id"])
    assert action.title == "Forum des start-up gpj.exe"
    assert action.description == "Ligne 1\nLigne 2"


def test_the_command_line_cleans_names_too(app, frozen_clock) -> None:
    load_agreement()
    result = app.test_cli_runner().invoke(
        args=[
            *("users", "create", "--email", "an@example.org", "--name", "An\nBcc: x@example.org\u202e"),
            *("--party", "BXL", "--role", "reviewer", "--password", "a long enough password"),
        ]
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalars(db.select(User.name).where(User.email == "an@example.org")).one() == (
        "An Bcc: x@example.org"
    )
