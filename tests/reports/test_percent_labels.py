"""Percentages in reports read as people write them, never with a float's tail (96,70000000000001 %)."""

from __future__ import annotations

from flask import Flask

from tracker.reports.labels import percent


def test_percentages_have_one_decimal_at_most(session_app: Flask) -> None:
    with session_app.test_request_context(headers={"Accept-Language": "fr"}):
        assert [percent(v) for v in (96.7, 91.8, 100.0, 45.25)] == [
            "96,7\u00a0%",
            "91,8\u00a0%",
            "100\u00a0%",
            "45,2\u00a0%",
        ]
