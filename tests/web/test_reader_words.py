"""Words and numbers as the reader writes them: numbers inside messages, terms, form messages, dates, names."""

from __future__ import annotations

from flask import Flask, render_template_string
from flask_babel import force_locale, gettext, lazy_gettext, ngettext

NNBSP = "\u202f"


def test_numbers_inside_messages_are_written_for_the_reader(app: Flask) -> None:
    template = '{{ ngettext("%(num)d action to close out", "%(num)d actions to close out", n) }}'
    with app.test_request_context():
        with force_locale("fr"):
            assert f"10{NNBSP}000 actions" in ngettext("%(num)d action to close out", "%(num)d actions to close out", 10000)
            assert f"10{NNBSP}000 actions" in render_template_string(template, n=10000)
            assert f"12{NNBSP}500" in str(lazy_gettext("At most %(n)d characters.", n=12500))
            # A year or an id is a name, not a quantity: never grouped.
            assert "2026" in gettext("Q%(quarter)s %(year)s", quarter=4, year=2026)
        with force_locale("nl"):
            assert "10.000 acties" in render_template_string(template, n=10000)
            assert "7,4" in gettext("%(label)s: %(value)s", label="x", value=7.4)
        with force_locale("en"):
            assert "10,000 actions" in render_template_string(template, n=10000)
