"""The workstream timeline after the end of an agreement: every action is drawn whole, even when it runs past the
end, and the end (and the end an amendment replaced) is a labelled line, told in words to screen readers too."""

from __future__ import annotations

import re
from datetime import date

from flask import Flask
from flask.testing import FlaskClient

from tests.factories import load_agreement, make_action, make_milestone, make_user, workstream
from tests.helpers import login, text
from tracker.agreements import amendments
from tracker.core.db import db

PAGE = "/agreements/idf-bxl-2021/workstreams/CULTURE"


def _timeline(page: str) -> str:
    return page.split('<svg class="timeline"')[1].split("</svg>")[0]


def _end_x(svg: str, kind: str) -> float:
    group = svg.split(f'class="timeline__end timeline__end--{kind}"')[1]
    return float(re.search(r'<line x1="([\d.]+)"', group).group(1))


def _bar_right(svg: str, title: str) -> float:
    row = svg.split(f"{title} ·")[0].rsplit("<rect", 1)[1]
    x, width = (float(re.search(rf' {name}="([\d.]+)"', row).group(1)) for name in ("x", "width"))
    return x + width


def _mark_x(svg: str, title: str) -> float:
    path = svg.split(f"{title} ·")[0].rsplit("<path", 1)[1]
    return float(re.search(r'd="M ([\d.]+) ', path).group(1))


def test_actions_running_past_the_end_are_drawn_whole_and_the_end_is_marked(
    client: FlaskClient, app: Flask, frozen_clock
) -> None:
    agreement = load_agreement(ended=True)
    owner = make_user("IDF", language="fr")
    ws = workstream(agreement, "CULTURE")
    festival = make_action(ws, owner, title="Festival 2027", start_on=date(2025, 1, 6), due_on=date(2027, 6, 30))
    make_milestone(festival, date(2027, 3, 15), title="Programmation arrêtée")
    make_action(ws, owner, title="Résidences croisées", start_on=date(2024, 3, 1), due_on=date(2026, 6, 30))
    login(client, owner.email)

    page = text(client.get(PAGE))
    svg = _timeline(page)
    end = _end_x(svg, "end")
    assert "Fin de l’accord\u202f: 22 sept. 2026" in svg  # the line's label, and its title for a pointer
    assert _bar_right(svg, "Festival 2027") > end + 50  # nine months past the end, not cut at it
    assert _mark_x(svg, "Programmation arrêtée") > end
    assert _bar_right(svg, "Résidences croisées") < end
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', page.split('<svg class="timeline"')[1]).group(1))
    assert _bar_right(svg, "Festival 2027") <= width  # inside the drawing
    description = page.split('id="timeline-desc"')[1].split("</p>")[0]
    assert "Le trait vertical épais marque la fin de l’accord, le 22 septembre 2026." in description
    assert "1 de ces actions se poursuit au-delà de la fin de l’accord." in description
    assert "timeline__end--original" not in svg  # never extended


def test_an_extended_agreement_marks_its_initial_end_too(client: FlaskClient, app: Flask, frozen_clock) -> None:
    agreement = load_agreement(ended=True)
    idf_admin, bxl_admin = make_user("IDF", "admin", language="fr"), make_user("BXL", "admin", language="nl")
    amendment = amendments.record_amendment(
        idf_admin, agreement, reference="Avenant n° 1", signed_on="2026-11-20", new_ends_on="2027-09-22"
    )
    amendments.confirm_amendment(bxl_admin, agreement, amendment)
    db.session.commit()
    owner = make_user("IDF", language="nl")
    make_action(workstream(agreement, "CULTURE"), owner, title="Festival 2027", due_on=date(2027, 6, 30))
    login(client, owner.email)

    page = text(client.get(PAGE))
    svg = _timeline(page)
    assert _end_x(svg, "original") < _end_x(svg, "end")
    assert "Einde van de overeenkomst: 22 sep 2027" in svg and "Oorspronkelijk einde: 22 sep 2026" in svg
    description = page.split('id="timeline-desc"')[1].split("</p>")[0]
    assert "22 september 2026" in description and "22 september 2027" in description
    assert "loopt na het einde" not in description  # ends before the new end


def test_a_year_too_close_to_the_right_edge_gets_no_cut_label(client: FlaskClient, app: Flask, frozen_clock) -> None:
    agreement = load_agreement(ended=True)
    owner = make_user("IDF", language="fr")
    make_action(workstream(agreement, "CULTURE"), owner, title="Bilan", due_on=date(2027, 1, 10))
    login(client, owner.email)
    svg = _timeline(text(client.get(PAGE)))
    years = {
        int(year): float(x) for x, year in re.findall(r'<text class="chart-label" x="([\d.]+)" y="\d+">(\d{4})<', svg)
    }
    assert 2026 in years and all(x + 30 <= 960 for x in years.values()), years
