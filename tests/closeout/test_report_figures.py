"""The final report counts an action carried over as « Reportée » in its figures — as its close-out section says —
and never as « En cours », whether it has moved into the successor yet or not."""

from __future__ import annotations

import io
from datetime import date

import lxml.html
import openpyxl
from flask import Flask

from tests.factories import load_agreement, make_action, make_user, workstream
from tracker.actions.models import ActionStatus
from tracker.closeout import decisions, renewal
from tracker.closeout.models import Decision
from tracker.core.db import db
from tracker.reports import render
from tracker.reports import services as reports


def _figures(html: str) -> dict[str, dict[str, str]]:
    """The « Actions at a glance » table: {row header: {column header: cell}}."""
    table = lxml.html.fromstring(html).xpath('//table[@id="actions-table"]')[0]
    heads = [" ".join(th.text_content().split()) for th in table.xpath("./thead/tr/th")][1:]
    rows = {}
    for tr in table.xpath("./tbody/tr | ./tfoot/tr"):
        name = " ".join(tr.xpath("./th")[0].text_content().split())
        rows[name] = dict(zip(heads, [td.text_content().strip() for td in tr.xpath("./td")], strict=True))
    return rows


def test_the_final_report_counts_carried_over_actions_as_its_close_out_section_does(app: Flask, frozen_clock) -> None:
    ended = load_agreement(ended=True)
    owner = make_user("IDF", language="fr")
    ws = workstream(ended, "ECO-DEV")
    waiting = make_action(ws, owner, title="Mission à reprendre")  # carried over, no successor yet
    on_hold = make_action(ws, owner, title="Étude suspendue", status=ActionStatus.ON_HOLD)
    make_action(ws, owner, title="Atelier sans décision")  # still running: « En cours »
    decisions.decide(owner, ended, waiting, Decision.CARRIED_OVER, "À poursuivre")
    decisions.decide(owner, ended, on_hold, Decision.CARRIED_OVER, "")
    db.session.commit()

    report = reports.generate_report(ended, "final")
    db.session.commit()
    totals = report.snapshot["totals"]["actions"]
    assert (totals["by_status"]["carried_over"], totals["by_status"]["active"], totals["by_status"]["on_hold"]) == (
        2,
        1,
        0,
    )
    assert sum(totals["by_health"].values()) == 1  # only the undecided action still runs
    assert [d["decision"] for d in report.snapshot["closeout"]["decisions"]] == ["carried_over"] * 2
    entries = {
        a["title"]: a["status"]
        for a in next(w for w in report.snapshot["workstreams"] if w["code"] == "ECO-DEV")["action_list"]
    }
    assert entries == {"Mission à reprendre": "carried_over", "Étude suspendue": "carried_over",
                       "Atelier sans décision": "active"}  # fmt: skip

    html = render.render_html(report, "fr")
    figures = _figures(html)
    title = next(name for name in figures if name.endswith("Le développement économique"))
    assert (figures[title]["Reportée"], figures[title]["En cours"], figures[title]["Suspendue"]) == ("2", "1", "0")
    assert (figures["Ensemble de l’accord"]["Reportée"], figures["Ensemble de l’accord"]["En cours"]) == ("2", "1")
    outcomes = " ".join(lxml.html.fromstring(html).xpath('//*[@id="ws-ECO-DEV"]')[0].text_content().split())
    assert "Reportée" in outcomes
    book = openpyxl.load_workbook(io.BytesIO(render.render(report, "fr", "xlsx")))
    sheet = book["Actions"]
    heads = [c.value for c in sheet[1]]
    last = dict(zip(heads, [c.value for c in sheet[sheet.max_row]], strict=True))
    assert (last["Reportée"], last["En cours"]) == (2, 1)

    # Once moved into the successor, the next version of the final report counts them the same.
    renewal.renew(
        ended,
        by=make_user("IDF", "admin"),
        slug="idf-bxl-2026",
        starts_on=date(2026, 9, 23),
        ends_on=date(2031, 9, 22),
        signed_on=date(2026, 9, 15),
    )
    db.session.commit()
    again = reports.generate_report(ended, "final", regenerate=True)
    assert again.snapshot["totals"]["actions"]["by_status"]["carried_over"] == 2
    assert again.snapshot["totals"]["actions"]["by_status"]["active"] == 1
