"""A page writes hundreds of messages: it looks its language's catalog up once, not once per message, and still
writes each message in the language in force at that moment (a mail in the recipient's language, a switch)."""

from __future__ import annotations

import pytest
from flask import Flask, session
from flask_babel import force_locale, refresh

from tracker.web import i18n

MESSAGES = "{% for i in range(50) %}{{ _('Overdue milestones') }}|{% endfor %}"


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The languages of the catalogs asked of Flask-Babel, in order."""
    asked: list[str] = []
    original = i18n.get_translations

    def counted():
        found = original()
        asked.append(str(i18n.get_locale()))
        return found

    monkeypatch.setattr(i18n, "get_translations", counted)
    return asked


def test_a_page_looks_its_catalog_up_once(app: Flask, lookups: list[str]) -> None:
    template = app.jinja_env.from_string(MESSAGES)
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        written = template.render().split("|")[:-1]
        assert set(written) == {"Jalons en retard"} and len(written) == 50
        assert i18n._l("Late actions") == "Actions en retard"  # Python messages share it
    assert lookups == ["fr"]


def test_messages_follow_a_forced_language_and_a_switch(app: Flask, lookups: list[str]) -> None:
    template = app.jinja_env.from_string("{{ _('Overdue milestones') }}")
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert template.render() == "Jalons en retard"
        with force_locale("nl"):  # e.g. a mail to a Dutch-speaking recipient
            assert template.render() == "Achterstallige mijlpalen"
        assert template.render() == "Jalons en retard"
        session["lang"] = "en"
        refresh()  # the language switch
        assert template.render() == "Overdue milestones"
