"""The first of a month reads « 1er » in French, wherever a date is shown (pages, mails, reports)."""

from __future__ import annotations

from datetime import date

from flask import Flask, render_template_string
from flask_babel import force_locale

from tracker.reports.labels import iso_date


def test_the_first_of_a_month_reads_premier_in_french_only(app: Flask) -> None:
    first, second = date(2026, 11, 1), date(2026, 11, 2)
    with app.test_request_context(), force_locale("fr"):
        assert render_template_string("{{ d | date('long') }}", d=first) == "1er novembre 2026"
        assert render_template_string("{{ d | date('full') }}", d=first) == "dimanche 1er novembre 2026"
        assert render_template_string("{{ d | date('long') }}", d=second) == "2 novembre 2026"
        assert iso_date("2026-11-01", "long") == "1er novembre 2026"
    with app.test_request_context(), force_locale("nl"):
        assert render_template_string("{{ d | date('long') }}", d=first) == "1 november 2026"
