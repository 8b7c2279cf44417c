"""Loading the agreement data file: the real file, loading twice, and every kind of bad file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from flask import Flask
from sqlalchemy import func, select

from tests import factories
from tracker.accounts.models import Party
from tracker.actions.models import Indicator
from tracker.agreements.loader import AgreementFileError, load_agreement_file
from tracker.agreements.models import Agreement, Commitment, Workstream
from tracker.core.audit import AuditEntry
from tracker.core.db import db


def counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Party, Agreement, Workstream, Commitment, Indicator, AuditEntry)
    }


def test_the_real_agreement_loads_with_its_nine_workstreams(app: Flask) -> None:
    agreement = factories.load_agreement(ended=True)
    assert agreement.slug == "idf-bxl-2021"
    assert agreement.signed_on == date(2021, 9, 23)
    assert agreement.ends_on == date(2026, 9, 22)
    assert [p.code for p in agreement.parties] == ["IDF", "BXL"]
    workstreams = agreement.workstreams
    assert len(workstreams) == 9
    assert workstreams[0].title_fr == "L’économie productive"
    assert all(ws.title_en and ws.title_nl and ws.objective_nl for ws in workstreams)
    climate = workstreams[-1]
    assert climate.code == "CLIMATE" and climate.starts_on == date(2022, 11, 30)
    assert len(climate.commitments) == 3
    assert "biodiversité" in climate.commitments[0].text_fr


def test_franco_belgian_figures_are_indicators_with_baselines(app: Flask) -> None:
    factories.load_agreement(ended=True)
    values = {i.code: (i.baseline_value, i.unit) for i in db.session.scalars(select(Indicator))}
    assert values["BE-FR-EXPORT-SHARE"] == (6.9, "percent")
    assert values["BE-FR-IMPORT-SHARE"] == (6.6, "percent")
    assert values["FR-BE-EXPORT-SHARE"] == (14.1, "percent")
    assert values["FR-BE-IMPORT-SHARE"] == (9.7, "percent")
    assert values["BE-FR-CUSTOMER-RANK"][0] == 5 and values["FR-BE-CUSTOMER-RANK"][0] == 2
    assert values["BE-FR-SUPPLIER-RANK"][0] == 5 and values["FR-BE-SUPPLIER-RANK"][0] == 3
    assert values["BE-COMMUNITY-IDF"] == (65000, "people")
    assert values["BE-FRENCH-SPEAKERS"] == (8_700_000, "people")
    assert values["BE-FRENCH-SPEAKERS-SHARE"] == (40, "percent")


def test_loading_twice_changes_nothing(app: Flask) -> None:
    agreement = factories.load_agreement(ended=True)
    before = counts()
    versions = [agreement.version] + [ws.version for ws in agreement.workstreams]
    result = load_agreement_file(factories.AGREEMENT_FILE)
    db.session.commit()
    assert not result.changed
    assert counts() == before
    db.session.expire_all()
    assert [agreement.version] + [ws.version for ws in agreement.workstreams] == versions


def test_an_edited_file_updates_only_what_changed(app: Flask, tmp_path: Path) -> None:
    factories.load_agreement(ended=True)
    data = yaml.safe_load(factories.AGREEMENT_FILE.read_text(encoding="utf-8"))
    data["workstreams"][5]["title"]["en"] = "Young people"
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = load_agreement_file(path)
    db.session.commit()
    assert result.updated == {"workstreams": 1}
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.entity == "workstream" and entry.changes == {"title_en": ["Youth", "Young people"]}


def _bad_file(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load(factories.AGREEMENT_FILE.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


BAD_FILES = {
    "missing slug": (lambda d: d.pop("slug"), "slug: is required"),
    "missing Dutch title": (lambda d: d["workstreams"][2]["title"].pop("nl"), "workstreams.2.title.nl: is required"),
    "empty French objective": (lambda d: d["workstreams"][0]["objective"].update(fr=" "), "workstreams.0.objective.fr"),
    "bad date": (lambda d: d.update(ends_on="2026-02-30"), "ends_on"),
    "ends before it starts": (lambda d: d.update(ends_on="2020-01-01"), "ends_on must be after starts_on"),
    "duplicate workstream": (
        lambda d: d["workstreams"][1].update(code="ECO-PROD"),
        "duplicate workstream code 'ECO-PROD'",
    ),
    "unknown field": (lambda d: d.update(colour="blue"), "colour: is not a known field"),
    "unknown time zone": (lambda d: d.update(timezone="Europe/Atlantis"), "timezone"),
    "indicator of an unknown workstream": (
        lambda d: d["indicators"][0].update(workstream="NOPE"),
        "indicators.0.workstream: unknown workstream 'NOPE'",
    ),
    "baseline not a number": (
        lambda d: d["indicators"][1]["baseline"].update(value="lots"),
        "indicators.1.baseline.value",
    ),
    "workstream before the agreement": (
        lambda d: d["workstreams"][8].update(starts_on="2019-01-01"),
        "workstreams.8.starts_on",
    ),
    "one party only": (lambda d: d.update(parties=d["parties"][:1]), "parties"),
    "a hundred years": (
        lambda d: d.update(signed_on="2099-12-01", starts_on="2099-12-31", ends_on="2199-12-31"),
        "ends_on 2199-12-31 is outside 2000-2099",
    ),
    "a term of eleven years": (
        lambda d: d.update(ends_on="2032-09-23"),
        "ends_on: an agreement runs for 10 years at most",
    ),
    "signed last millennium": (lambda d: d.update(signed_on="1999-12-31"), "signed_on 1999-12-31 is outside"),
    "an amendment of a century": (
        lambda d: d.update(amendments=[{"reference": "A1", "signed_on": "2026-01-01", "ends_on": "2099-01-01"}]),
        "amendments.0.ends_on moves the end by more than 10 years",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_names_the_field_and_writes_nothing(app: Flask, tmp_path: Path, case: str) -> None:
    mutate, expected = BAD_FILES[case]
    path = _bad_file(tmp_path, mutate)
    before = counts()
    with pytest.raises(AgreementFileError) as error:
        load_agreement_file(path)
    db.session.rollback()
    message = str(error.value)
    assert expected in message
    assert "\n" not in message and message.startswith(str(path))
    assert counts() == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("slug: [unclosed", "not valid YAML at line 1"),
        ("- just\n- a list\n", "expected a mapping"),
        (b"\xff\xfe\x00bad", "cannot be read"),
    ],
)
def test_unreadable_files_get_one_line(app: Flask, tmp_path: Path, content: str | bytes, expected: str) -> None:
    path = tmp_path / "broken.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(AgreementFileError, match=expected):
        load_agreement_file(path)


def test_cli_loads_the_file_then_reports_nothing_to_do(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["agreements", "load", str(factories.AGREEMENT_FILE)])
    assert first.exit_code == 0, first.output
    assert "9 workstreams created" in first.output
    second = runner.invoke(args=["agreements", "load", str(factories.AGREEMENT_FILE)])
    assert second.exit_code == 0
    assert "nothing changed" in second.output


def test_cli_on_a_bad_file_exits_non_zero_with_one_line(app: Flask, tmp_path: Path) -> None:
    path = _bad_file(tmp_path, lambda d: d["parties"][0].pop("country"))
    result = app.test_cli_runner().invoke(args=["agreements", "load", str(path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: {path}: parties.0.country: is required"]
    assert db.session.scalar(select(func.count()).select_from(Agreement)) == 0


def test_cli_refuses_an_agreement_of_a_hundred_years_in_one_line(app: Flask, tmp_path: Path) -> None:
    path = _bad_file(tmp_path, lambda d: d.update(signed_on="2099-12-31", starts_on="2099-12-31", ends_on="2199-12-31"))
    result = app.test_cli_runner().invoke(args=["agreements", "load", str(path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: {path}: ends_on 2199-12-31 is outside 2000-2099"]
    assert db.session.scalar(select(func.count()).select_from(Agreement)) == 0


def test_cli_on_a_missing_file(app: Flask, tmp_path: Path) -> None:
    result = app.test_cli_runner().invoke(args=["agreements", "load", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert "no such file" in result.output and "Traceback" not in result.output


def _with_amendments(tmp_path: Path, amendments: list[dict]) -> Path:
    data = yaml.safe_load(factories.AGREEMENT_FILE.read_text(encoding="utf-8"))
    data["amendments"] = amendments
    path = tmp_path / "amended.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_data_file_with_an_amendment_moves_the_end_date_once(app: Flask, tmp_path: Path) -> None:
    factories.load_agreement(ended=True)
    path = _with_amendments(
        tmp_path, [{"reference": "Avenant n° 1", "signed_on": date(2026, 9, 1), "ends_on": date(2027, 9, 22)}]
    )
    first = load_agreement_file(path)
    db.session.commit()
    agreement = db.session.scalars(select(Agreement)).one()
    assert first.created["amendments"] == 1 and agreement.ends_on == date(2027, 9, 22)
    second = load_agreement_file(path)
    assert not second.changed and agreement.ends_on == date(2027, 9, 22)
    # Loading the original file again keeps the amended end date (the amendment stays in effect).
    assert not load_agreement_file(factories.AGREEMENT_FILE).changed


def test_an_amendment_that_does_not_move_the_end_later_is_refused_in_one_line(app: Flask, tmp_path: Path) -> None:
    path = _with_amendments(
        tmp_path, [{"reference": "Avenant n° 1", "signed_on": date(2026, 9, 1), "ends_on": date(2026, 1, 1)}]
    )
    result = app.test_cli_runner().invoke(args=["agreements", "load", str(path)])
    assert result.exit_code != 0
    assert "amendments.0.ends_on must come after 2026-09-22" in result.output
    assert "Traceback" not in result.output
