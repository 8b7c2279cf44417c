"""Renewal from the command line (`agreements renew`, one-line errors) and from a data file (`succeeds:`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from sqlalchemy import func, select

from tests.factories import AGREEMENT_FILE, load_agreement, make_action, make_co_lead, make_milestone, make_user
from tests.factories import workstream as workstream_of
from tracker.actions.models import Action, Indicator, MilestoneStatus
from tracker.agreements.loader import AgreementFileError, load_agreement_file
from tracker.agreements.models import Agreement
from tracker.closeout import decisions
from tracker.closeout.models import CloseoutDecision, Decision
from tracker.core.audit import AuditEntry
from tracker.core.db import db


@pytest.fixture
def ended(app: Flask, frozen_clock) -> Agreement:
    return load_agreement(ended=True)


def _carried(agreement: Agreement, code: str = "ECO-DEV", title: str = "Mission croisée") -> Action:
    owner = make_user("IDF")
    action = make_action(workstream_of(agreement, code), owner, title=title)
    make_milestone(action, date(2027, 3, 1), title="Mission de printemps")
    make_milestone(
        action, date(2025, 3, 1), title="Mission passée", status=MilestoneStatus.DONE, completed_on=date(2025, 3, 2)
    )
    decisions.decide(owner, agreement, action, Decision.CARRIED_OVER, "")
    db.session.commit()
    return action


def _agreements() -> int:
    return int(db.session.scalar(select(func.count(Agreement.id))))


def test_an_admin_of_each_party_renews_from_the_command_line(app: Flask, ended: Agreement) -> None:
    action = _carried(ended)
    idf, bxl = make_user("IDF", "admin"), make_user("BXL", "admin")
    runner = app.test_cli_runner()
    renew = ["agreements", "renew", "idf-bxl-2021", "--slug", "idf-bxl-2026"]
    result = runner.invoke(args=[*renew, "--by", bxl.email, "--title-en", "Renewed agreement"])
    assert result.exit_code == 0, result.output
    assert "Proposed idf-bxl-2026 (2026-09-23 to 2031-09-22) to succeed idf-bxl-2021, for BXL" in result.output
    assert "waiting for an admin of IDF to confirm" in result.output
    assert _agreements() == 1

    twice = runner.invoke(args=[*renew, "--by", bxl.email])
    assert twice.exit_code != 0 and "Your party has already confirmed this successor" in twice.output
    other = runner.invoke(args=["agreements", "renew", "idf-bxl-2021", "--slug", "idf-bxl-2027", "--by", idf.email])
    assert other.exit_code != 0 and len(other.output.strip().splitlines()) == 1
    assert "idf-bxl-2026 is proposed and waits for confirmation" in other.output
    assert _agreements() == 1

    unsigned = runner.invoke(args=["agreements", "renew", "idf-bxl-2021", "--by", idf.email])
    assert unsigned.exit_code != 0 and len(unsigned.output.strip().splitlines()) == 1
    assert "--signed-on: Enter the date on which the successor agreement was signed." in unsigned.output
    assert _agreements() == 1
    result = runner.invoke(args=["agreements", "renew", "idf-bxl-2021", "--by", idf.email, "--signed-on", "2026-09-15"])
    assert result.exit_code == 0, result.output
    assert "Started idf-bxl-2026 (2026-09-23 to 2031-09-22), succeeding idf-bxl-2021" in result.output
    assert "1 action carried over" in result.output
    successor = db.session.scalars(select(Agreement).where(Agreement.slug == "idf-bxl-2026")).one()
    assert successor.title_en == "Renewed agreement" and successor.title_fr == ended.title_fr
    assert successor.signed_on == date(2026, 9, 15)
    moved = db.session.scalars(select(Action).where(Action.continues_action_id == action.id)).one()
    assert [m.title for m in moved.milestones] == ["Mission de printemps"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope", "--slug", "x-2026"], "no agreement 'nope'"),
        (["idf-bxl-2021", "--slug", "idf-bxl-2021"], "--slug: This short name is already taken."),
        (["idf-bxl-2021", "--slug", "Not A Slug"], "--slug: A short name of 2 to 64"),
        (
            ["idf-bxl-2021", "--slug", "idf-bxl-2026", "--starts-on", "2026-13-01"],
            "--starts-on: This date does not exist: 2026-13-01",
        ),
        (
            ["idf-bxl-2021", "--slug", "idf-bxl-2026", "--ends-on", "31/02/2031"],
            "--ends-on: This date does not exist: 31/02/2031",
        ),
        (
            ["idf-bxl-2021", "--slug", "idf-bxl-2026", "--starts-on", "le 23"],
            "--starts-on: Not a valid date: use the form YYYY-MM-DD.",
        ),
        (
            ["idf-bxl-2021", "--slug", "idf-bxl-2026", "--ends-on", "2026-10-01"],
            "--ends-on: The successor would already",
        ),
        (
            ["idf-bxl-2021", "--slug", "idf-bxl-2026", "--starts-on", "2027-01-01", "--ends-on", "2026-12-31"],
            "--ends-on: The end date must come after the start date.",
        ),
        (["idf-bxl-2021", "--slug", "idf-bxl-2026", "--starts-on", "2026-01-01"], "--starts-on: The successor starts"),
        (
            ["idf-bxl-2021", "--slug", "idf-bxl-2026", "--starts-on", "2099-12-31"],
            "--starts-on: The successor starts at the latest one year after the end of this agreement, on "
            "September 22, 2027.",
        ),
        (
            ["idf-bxl-2021", "--slug", "idf-bxl-2026", "--starts-on", "2027-01-01", "--ends-on", "2199-12-31"],
            "--ends-on: Give a date between January 1, 2000 and December 31, 2099.",
        ),
        (
            ["idf-bxl-2021", "--slug", "idf-bxl-2026", "--signed-on", "2026-11-28"],
            "--signed-on: A date of signature cannot be in the future: today is November 27, 2026.",
        ),
        (
            ["idf-bxl-2021", "--slug", "idf-bxl-2026", "--signed-on", "2021-09-22"],
            "--signed-on: The successor cannot have been signed before this agreement, which was signed on "
            "September 23, 2021.",
        ),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(app: Flask, ended: Agreement, args: list[str], message: str) -> None:
    admin = make_user("IDF", "admin")
    before = _agreements()
    result = app.test_cli_runner().invoke(args=["agreements", "renew", *args, "--by", admin.email])
    assert result.exit_code != 0 and message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert _agreements() == before


def test_a_successor_signed_today_after_its_start_starts_from_the_command_line(app: Flask, ended: Agreement) -> None:
    runner = app.test_cli_runner()
    bxl = make_user("BXL", "admin")
    proposed = runner.invoke(args=["agreements", "renew", "idf-bxl-2021", "--slug", "idf-bxl-2026", "--by", bxl.email])
    assert proposed.exit_code == 0, proposed.output
    confirm = ["agreements", "renew", "idf-bxl-2021", "--by", make_user("IDF", "admin").email]
    result = runner.invoke(args=[*confirm, "--signed-on", "2026-11-27"])  # today: with retroactive effect
    assert result.exit_code == 0, result.output
    assert "Started idf-bxl-2026 (2026-09-23 to 2031-09-22)" in result.output
    successor = db.session.scalars(select(Agreement).where(Agreement.slug == "idf-bxl-2026")).one()
    assert successor.signed_on == date(2026, 11, 27)


def test_not_an_admin_and_not_ended_are_refused(app: Flask, frozen_clock) -> None:
    in_force = load_agreement()
    runner = app.test_cli_runner()
    coordinator, admin = make_user("IDF"), make_user("IDF", "admin")
    refused = runner.invoke(
        args=["agreements", "renew", "idf-bxl-2021", "--slug", "idf-bxl-2027", "--by", coordinator.email]
    )
    assert refused.exit_code != 0 and "Only an administrator of a signatory party" in refused.output
    early = runner.invoke(args=["agreements", "renew", "idf-bxl-2021", "--slug", "idf-bxl-2027", "--by", admin.email])
    assert early.exit_code != 0 and "The agreement is in force" in early.output
    nobody = runner.invoke(
        args=["agreements", "renew", "idf-bxl-2021", "--slug", "idf-bxl-2027", "--by", "x@example.org"]
    )
    assert nobody.exit_code != 0 and "no active account" in nobody.output
    assert db.session.scalar(select(Agreement).where(Agreement.slug == "idf-bxl-2027")) is None
    assert in_force.succeeded_by is None


def _successor_file(tmp_path: Path, **changes: Any) -> Path:
    data = yaml.safe_load(AGREEMENT_FILE.read_text(encoding="utf-8"))
    data.update(
        slug="idf-bxl-2026",
        signed_on="2026-09-23",
        starts_on="2026-09-23",
        ends_on="2031-09-22",
        succeeds="idf-bxl-2021",
        amendments=[],
        indicators=[i for i in data["indicators"] if i["code"] != "BE-FR-EXPORT-SHARE"],
    )
    for ws in data["workstreams"]:
        ws.pop("starts_on", None)
    data.update(changes)
    path = tmp_path / "idf-bxl-2026.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_data_file_that_succeeds_the_ended_agreement_links_it_once(
    app: Flask, ended: Agreement, tmp_path: Path
) -> None:
    action = _carried(ended)
    lead = make_user("BXL")
    make_co_lead(workstream_of(ended, "ECO-DEV"), lead)
    path = _successor_file(tmp_path)
    first = load_agreement_file(path)
    db.session.commit()
    assert "1 succession created" in first.summary() and "1 action carried over created" in first.summary()
    successor = db.session.scalars(select(Agreement).where(Agreement.slug == "idf-bxl-2026")).one()
    assert successor.succeeds == ended
    moved = db.session.scalars(select(Action).where(Action.continues_action_id == action.id)).one()
    assert moved.workstream.agreement_id == successor.id
    assert db.session.get(CloseoutDecision, action.id).successor_action_id == moved.id
    assert workstream_of(successor, "ECO-DEV").lead_for(lead.party_id) == lead  # co-leads continue
    codes = set(db.session.scalars(select(Indicator.code).where(Indicator.agreement_id == successor.id)))
    assert "BE-FR-EXPORT-SHARE" in codes  # the indicator the file leaves out continues from the ended agreement

    entries = db.session.scalar(select(func.count(AuditEntry.id)))
    second = load_agreement_file(path)
    db.session.commit()
    assert not second.changed and db.session.scalar(select(func.count(AuditEntry.id))) == entries
    assert db.session.scalar(select(func.count(Action.id)).where(Action.continues_action_id.is_not(None))) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"succeeds": "idf-bxl-2019"}, "succeeds: no agreement 'idf-bxl-2019'"),
        (
            {"starts_on": "2026-09-01", "signed_on": "2026-09-01"},
            "starts_on: idf-bxl-2026 starts after the end of idf-bxl-2021",
        ),
        ({"succeeds": "idf-bxl-2026"}, "succeeds names the agreement itself"),
        (
            {"starts_on": "2099-12-31", "ends_on": "2104-12-30"},
            "ends_on 2104-12-30 is outside 2000-2099",
        ),
        (
            {"starts_on": "2028-01-01", "ends_on": "2032-12-31"},
            r"starts_on: idf-bxl-2026 starts at the latest one year after the end of idf-bxl-2021 \(2027-09-22\)",
        ),
        # The renewal's rule of a successor's signature: today at the latest, not before the ended agreement's.
        ({"signed_on": "2026-11-28"}, r"signed_on: 2026-11-28 is in the future \(today is 2026-11-27\)"),
        (
            {"signed_on": "2021-09-22"},
            "signed_on: idf-bxl-2026 cannot have been signed before idf-bxl-2021, which was signed on 2021-09-23",
        ),
    ],
)
def test_a_bad_succeeds_is_one_line_and_loads_nothing(
    app: Flask, ended: Agreement, tmp_path: Path, changes: dict[str, Any], message: str
) -> None:
    before = _agreements()
    with pytest.raises(AgreementFileError, match=message):
        load_agreement_file(_successor_file(tmp_path, **changes))
    db.session.rollback()
    assert _agreements() == before


def test_a_successor_in_a_data_file_may_be_signed_after_its_start_as_the_renewal_allows(
    app: Flask, ended: Agreement, tmp_path: Path
) -> None:
    action = _carried(ended)
    result = app.test_cli_runner().invoke(
        args=["agreements", "load", str(_successor_file(tmp_path, signed_on="2026-11-27"))]  # today, after its start
    )
    assert result.exit_code == 0, result.output
    successor = db.session.scalars(select(Agreement).where(Agreement.slug == "idf-bxl-2026")).one()
    assert (successor.succeeds, successor.starts_on, successor.signed_on) == (
        ended,
        date(2026, 9, 23),
        date(2026, 11, 27),
    )
    moved = db.session.scalars(select(Action).where(Action.continues_action_id == action.id)).one()
    assert moved.workstream.agreement_id == successor.id


def test_a_data_file_without_succeeds_is_still_signed_at_the_latest_on_its_start(app: Flask, tmp_path: Path) -> None:
    path = _successor_file(tmp_path, signed_on="2026-10-01")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["succeeds"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(AgreementFileError, match="signed_on must not be after starts_on"):
        load_agreement_file(path)


def test_a_carried_over_action_without_its_workstream_in_the_file_stops_the_load(
    app: Flask, ended: Agreement, tmp_path: Path
) -> None:
    _carried(ended, code="CULTURE")
    data = yaml.safe_load(AGREEMENT_FILE.read_text(encoding="utf-8"))
    kept = [{**ws, "starts_on": None} for ws in data["workstreams"] if ws["code"] != "CULTURE"]
    with pytest.raises(AgreementFileError, match="has no workstream “Culture”"):
        load_agreement_file(_successor_file(tmp_path, workstreams=kept))
    db.session.rollback()
    assert db.session.scalar(select(Agreement).where(Agreement.slug == "idf-bxl-2026")) is None
