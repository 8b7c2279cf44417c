"""Demo data and the benchmark generator: realistic, marked demo, repeatable, and loaded once."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests import factories
from tests.helpers import login, text
from tests.test_french_typography import typography_faults
from tracker.accounts.models import User
from tracker.actions.models import Action, ActionStatus, Milestone, MilestoneStatus, ProgressUpdate
from tracker.agreements.models import Agreement, AgreementStatus, WorkstreamLead
from tracker.core.db import db
from tracker.demo.narratives import SUMMARY, WORKSTREAMS
from tracker.reports.models import Report, ReportKind, ReportStatus
from tracker.reports.narratives.models import Narrative
from tracker.reports.render import render_html

ROOT = Path(__file__).resolve().parent.parent.parent


def count(model: type, *where: object) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_demo_load_adds_marked_data_once(app: Flask, frozen_clock) -> None:
    factories.load_agreement()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "camille.martin@idf.example.org" in first.output and "demo-password" in first.output
    actions = count(Action)
    assert actions == 90 and count(Action, Action.is_demo.is_(False)) == 0
    assert count(Milestone, Milestone.is_demo.is_(False)) == 0 and count(User, User.is_demo.is_(False)) == 0
    # Each of the nine workstreams has a co-lead in each region.
    assert count(WorkstreamLead) == 18
    # A realistic mix: finished work, running work with overdue milestones, work awaiting approval.
    statuses = set(db.session.scalars(select(Action.status).distinct()))
    assert {ActionStatus.COMPLETED, ActionStatus.ACTIVE, ActionStatus.PROPOSED} <= statuses
    today = frozen_clock.today("Europe/Paris")
    overdue = count(Milestone, Milestone.status == MilestoneStatus.PLANNED, Milestone.due_on < today)
    assert overdue > 0
    # Brussels people read the tracker in Dutch or French, as the Region works.
    brussels = db.session.scalars(select(User.language).where(User.email.like("%@bxl.example.org"))).all()
    assert brussels and {str(language) for language in brussels} <= {"nl", "fr"}
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0 and "already loaded" in second.output
    assert count(Action) == actions


def test_demo_load_needs_the_agreement(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 1
    assert "agreements load" in result.output and "Traceback" not in result.output


def test_generator_fills_scale_two_with_the_expected_volumes(fresh_database: str, tmp_path: Path) -> None:
    command = [
        sys.executable,
        str(ROOT / "bench" / "generate.py"),
        "--scale",
        "2",
        "--actions",
        "30",
        "--database-url",
        fresh_database,
    ]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "TRACKER_INSTANCE_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert "[2/2] idf-bxl-2021-g002: 40 users, 30 actions, 150 milestones" in result.stdout
    assert "Made 2 agreements: 80 users, 60 actions, 300 milestones" in result.stdout
    again = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "TRACKER_INSTANCE_DIR": str(tmp_path)},
    )
    assert again.returncode == 0 and "exists; skipped" in again.stdout


def test_progress_updates_keep_within_bounds(app: Flask, frozen_clock) -> None:
    factories.load_agreement()
    app.test_cli_runner().invoke(args=["demo", "load"])
    assert count(ProgressUpdate, (ProgressUpdate.percent < 0) | (ProgressUpdate.percent > 100)) == 0
    latest = db.session.scalar(select(func.max(ProgressUpdate.created_at)))
    assert latest is not None and latest <= frozen_clock.now()


def test_demo_descriptions_write_dates_as_their_french_authors_do(app: Flask, frozen_clock) -> None:
    factories.load_agreement()
    app.test_cli_runner().invoke(args=["demo", "load"])
    descriptions = db.session.scalars(select(Action.description)).all()
    assert descriptions and not [d for d in descriptions if re.search(r"\d{4}-\d{2}-\d{2}", d)]  # no ISO date
    assert all(re.search(r"Échéance\u202f: (1er|\d{1,2}) [a-zéû]+ \d{4}$", d) for d in descriptions), descriptions[:3]
    assert not [fault for d in descriptions for fault in typography_faults(d)]


def test_each_demo_actions_health_is_the_one_last_reported(app: Flask, frozen_clock) -> None:
    factories.load_agreement()
    app.test_cli_runner().invoke(args=["demo", "load"])
    rank = (
        func.row_number()
        .over(
            partition_by=ProgressUpdate.action_id, order_by=(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        )
        .label("rank")
    )
    ranked = select(ProgressUpdate.action_id, ProgressUpdate.health, rank).subquery()
    rows = db.session.execute(
        select(Action.id, Action.health, ranked.c.health)
        .join(ranked, ranked.c.action_id == Action.id)
        .where(ranked.c.rank == 1)
    ).all()
    assert len(rows) > 30
    assert [(i, stored, reported) for i, stored, reported in rows if stored != reported] == []


def test_the_demo_of_the_real_agreement_reflects_today_ended_with_its_final_report_to_sign(
    app: Flask, client: FlaskClient, frozen_clock
) -> None:
    agreement = factories.load_agreement(ended=True)  # its real term: ended on 2026-09-22
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(Agreement, agreement.id).status == AgreementStatus.ENDED
    final = db.session.scalars(select(Report).where(Report.kind == ReportKind.FINAL)).one()
    assert final.status == ReportStatus.DRAFT
    unfinished = count(Action, Action.status.not_in([ActionStatus.COMPLETED, ActionStatus.CANCELLED]))
    assert unfinished > 0
    login(client, "sophie.leroy@idf.example.org", "demo-password")  # the demo's IDF reviewer
    body = text(client.get("/agreements/idf-bxl-2021/"))
    assert "Cet accord a pris fin le 22 septembre 2026" in body
    assert "rapport final à signer" in body and f"{unfinished} actions à clôturer" in body


def test_the_demos_final_report_has_its_texts_in_both_languages_one_left_untranslated(app: Flask, frozen_clock) -> None:
    factories.load_agreement(ended=True)
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert count(Narrative, Narrative.is_demo.is_(True), Narrative.period == "final") == 10  # summary + 9 workstreams
    sophie = db.session.scalars(select(User).where(User.email == "sophie.leroy@idf.example.org")).one()
    assert sophie.function == "Directrice des affaires européennes et internationales"
    assert count(User, User.is_demo.is_(True), User.function == "") == 0  # every demo person has a job title
    final = db.session.scalars(select(Report).where(Report.kind == ReportKind.FINAL)).one()
    french = render_html(final, "fr")  # the file a reader downloads
    assert "Cinq ans après sa signature le 23 septembre 2021" in french  # the executive summary
    assert "Le guichet d’accueil des entreprises bruxelloises" in french  # ECO-DEV's assessment
    assert "texte non traduit" not in french
    dutch = render_html(final, "nl")
    assert "Vijf jaar na de ondertekening op 23 september 2021" in dutch
    assert dutch.count("„niet vertaalde tekst”") == 1  # CLIMATE's assessment, shown in French
    assert "Depuis la déclaration du 30 novembre 2022" in dutch
    assert all(typography_faults(text) == [] for text in french_demo_texts())


def french_demo_texts() -> list[str]:
    return [SUMMARY["fr"]] + [texts["fr"] for texts in WORKSTREAMS.values()]
