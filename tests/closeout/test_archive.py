"""The archive package of a closed agreement, as an archivist receives it: a BagIt bag that validates, holding
the published reports as stored, the evidence, the audit trail and the data with each column described."""

from __future__ import annotations

import csv
import hashlib
import json
import zipfile
from pathlib import Path

import bagit
import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.api.helpers import Api, token_for
from tests.closeout.closing import close, keep_small_files
from tests.factories import load_agreement, make_party, make_user
from tests.helpers import login, logout, text
from tracker.agreements.models import Agreement, AgreementStatus
from tracker.closeout.archive_columns import UNDESCRIBED
from tracker.closeout.jobs import agreement_archive
from tracker.closeout.models import AgreementArchive
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.reports.models import Report
from tracker.scheduling.jobs import JobContext

PAGE = "/agreements/idf-bxl-2021/close-out"
DOWNLOAD = "/agreements/idf-bxl-2021/archive.zip"


@pytest.fixture
def ended(app: Flask, frozen_clock) -> Agreement:
    return load_agreement(ended=True)


def unzip(path: Path, into: Path) -> Path:
    with zipfile.ZipFile(path) as archive:
        archive.extractall(into)
    (bag_dir,) = list(into.iterdir())
    return bag_dir


def test_the_scheduler_archives_a_closed_agreement_as_a_bag_that_validates(
    app: Flask, ended: Agreement, frozen_clock, tmp_path: Path
) -> None:
    close(ended, frozen_clock, files="rendered")
    assert agreement_archive(JobContext("agreement_archive", frozen_clock.now())) == {
        "archived": ["idf-bxl-2021"],
        "failed": {},
    }
    db.session.refresh(ended)
    assert ended.status == AgreementStatus.ARCHIVED
    moves = db.session.scalars(
        select(AuditEntry.verb).where(AuditEntry.entity == "agreement", AuditEntry.entity_id == ended.id)
    ).all()
    assert "archive" in moves
    package = db.session.get(AgreementArchive, ended.id)
    bag_dir = unzip(Path(app.config["ARCHIVE_DIR"]) / package.filename, tmp_path / "unzipped")

    bag = bagit.Bag(str(bag_dir))
    bag.validate()  # bagit's own validator: manifests, Payload-Oxum, completeness
    assert bag.info["Payload-Oxum"] == package.payload_oxum
    assert bag.info["External-Identifier"] == "idf-bxl-2021"
    assert bag.info["Bagging-Date"] == "2026-11-27"  # the one clock, frozen in tests
    assert "Région Île-de-France" in " ".join(bag.info["Source-Organization"])
    assert bag.info["Agreement-Ends-On"] == "2026-09-22" and "Bruxelles" in bag.info["Title"]

    # Every published file is in the manifest with the SHA-256 kept at publication.
    manifest = dict(
        (path, digest)
        for digest, path in (
            line.split(maxsplit=1) for line in (bag_dir / "manifest-sha256.txt").read_text().splitlines()
        )
    )
    report = db.session.scalar(select(Report).where(Report.agreement_id == ended.id))
    kept = {(lang, fmt): entry["sha256"] for lang, formats in report.files.items() for fmt, entry in formats.items()}
    assert len(kept) == 9
    in_bag = {
        tuple(Path(path).name.split(".")): digest
        for path, digest in manifest.items()
        if path.startswith("data/reports/")
    }
    assert in_bag == kept

    readme = (bag_dir / "data" / "README.txt").read_text(encoding="utf-8")
    assert "FRANÇAIS" in readme and "Ce paquet d’archive contient" in readme and "22 septembre 2026" in readme
    assert "NEDERLANDS" in readme and "Dit archiefpakket bevat" in readme and "22 september 2026" in readme
    assert "ENGLISH" in readme and "This archive package holds" in readme and "September 22, 2026" in readme
    # 9 report files, 1 evidence file: counted with proper plurals, never « rapport(s) ».
    assert "(s)" not in readme and "(en)" not in readme and "la pièce justificative déposée" in readme

    evidence = list((bag_dir / "data" / "evidence").iterdir())
    assert [p.read_bytes() for p in evidence] == [b"Programme des residences 2026\n"]


def test_every_column_of_every_table_is_described_and_the_data_is_there(
    app: Flask, ended: Agreement, frozen_clock, tmp_path: Path
) -> None:
    close(ended, frozen_clock)
    result = app.test_cli_runner().invoke(args=["agreements", "archive", "idf-bxl-2021"])
    assert result.exit_code == 0, result.output
    package = db.session.get(AgreementArchive, ended.id)
    assert f"Payload-Oxum {package.payload_oxum}" in result.output and package.filename in result.output
    tables = unzip(Path(app.config["ARCHIVE_DIR"]) / package.filename, tmp_path / "u") / "data" / "tables"

    dictionary = list(csv.DictReader((tables / "data_dictionary.csv").open(encoding="utf-8")))
    described = {(row["table"], row["column"]) for row in dictionary if row["description"] != UNDESCRIBED}
    for name in ("agreements", "workstreams", "commitments", "actions", "milestones", "progress_updates",
                 "measurements", "indicators", "closeout_decisions", "amendments", "audit_trail"):  # fmt: skip
        with (tables / f"{name}.csv").open(encoding="utf-8") as stream:
            header = next(csv.reader(stream))
        assert header, name
        assert {(f"{name}.csv", column) for column in header} <= described, name
        assert (tables / f"{name}.json").exists()
    assert all(row["description"] != UNDESCRIBED for row in dictionary), [
        r for r in dictionary if r["description"] == UNDESCRIBED
    ]

    decisions_rows = json.loads((tables / "closeout_decisions.json").read_text(encoding="utf-8"))
    assert sorted((r["decision"], r["note"]) for r in decisions_rows) == [
        ("cancelled", "Budget non reconduit"),
        ("carried_over", ""),
    ]
    trail = list(csv.DictReader((tables / "audit_trail.csv").open(encoding="utf-8")))
    assert {"close_out", "close", "end"} <= {row["verb"] for row in trail}
    people = (tables / "people.csv").read_text(encoding="utf-8")
    assert "@" not in people and "password" not in people  # names and roles, never emails or secrets


def test_a_package_without_evidence_says_so_names_its_report_folder_once_and_tells_each_actions_fate(
    app: Flask, ended: Agreement, frozen_clock, tmp_path: Path
) -> None:
    """No evidence: the README says there is none (and promises no evidence/ folder) in each language; the final
    report's folder says « final » once; actions.csv tells what the close-out made of each action."""
    people = close(ended, frozen_clock, evidence=False)
    result = app.test_cli_runner().invoke(args=["agreements", "archive", "idf-bxl-2021"])
    assert result.exit_code == 0, result.output
    package = db.session.get(AgreementArchive, ended.id)
    bag_dir = unzip(Path(app.config["ARCHIVE_DIR"]) / package.filename, tmp_path / "u")
    bagit.Bag(str(bag_dir)).validate()

    data = bag_dir / "data"
    assert not (data / "evidence").exists()
    readme = (data / "README.txt").read_text(encoding="utf-8")
    assert "evidence/" not in readme and "0 pièces" not in readme and " 0 " not in readme
    assert "aucune pièce justificative n’a été déposée sur les actions" in readme
    assert "bij de acties werd geen enkel bewijsstuk opgeladen" in readme
    assert "no evidence file was uploaded on the actions" in readme

    report = db.session.scalar(select(Report).where(Report.agreement_id == ended.id))
    assert [p.name for p in (data / "reports").iterdir()] == [f"{report.id}-final-v1"]

    actions = {row["title"]: row for row in csv.DictReader((data / "tables" / "actions.csv").open(encoding="utf-8"))}
    carried = people["carried_over"]
    assert actions[carried.title]["status"] == "active"  # as it was when the agreement closed
    assert actions[carried.title]["closeout_decision"] == "carried_over"
    assert actions["Résidences croisées"]["closeout_decision"] == "cancelled"
    dictionary = csv.DictReader((data / "tables" / "data_dictionary.csv").open(encoding="utf-8"))
    described = {(row["table"], row["column"]): row["description"] for row in dictionary}
    assert described[("actions.csv", "closeout_decision")].startswith("What became of it when the agreement ended")


def test_a_damaged_report_file_fails_the_build_and_one_failure_does_not_stop_the_others(
    app: Flask, ended: Agreement, frozen_clock
) -> None:
    close(ended, frozen_clock)
    second = Agreement(
        slug="bxl-nrw-2019", title_fr="Accord B", title_en="Agreement B", title_nl="Akkoord B",
        signed_on=ended.signed_on, starts_on=ended.starts_on, ends_on=ended.ends_on, status=AgreementStatus.CLOSED,
    )  # fmt: skip
    second.signatories = [
        type(ended.signatories[0])(party_id=s.party_id, position=s.position) for s in ended.signatories
    ]
    db.session.add(second)
    db.session.commit()
    report = db.session.scalar(select(Report).where(Report.agreement_id == ended.id))
    digest = report.files["fr"]["pdf"]["sha256"]
    stored = Path(app.config["REPORT_DIR"]) / digest[:2] / digest
    stored.write_bytes(stored.read_bytes() + b"tampered")

    outcome = agreement_archive(JobContext("agreement_archive", frozen_clock.now()))
    assert outcome["archived"] == ["bxl-nrw-2019"]
    assert "damaged" in outcome["failed"]["idf-bxl-2021"]
    db.session.refresh(ended)
    assert ended.status == AgreementStatus.CLOSED  # not archived: tried again at the next run
    failed = db.session.get(AgreementArchive, ended.id)
    assert failed.failure and not failed.built and failed.attempts == 1
    assert db.session.get(Agreement, second.id).status == AgreementStatus.ARCHIVED

    client = app.test_client()
    login(client, make_user("IDF", "admin", language="fr").email)
    page = text(client.get(PAGE))
    assert "Paquet d’archive\u202f: en préparation." in page and "La dernière tentative a échoué" in page
    assert client.get(DOWNLOAD).status_code == 404


def test_admins_and_reviewers_of_either_party_download_it_with_its_size(
    client: FlaskClient, app: Flask, ended: Agreement, frozen_clock
) -> None:
    people = close(ended, frozen_clock)
    login(client, people["bxl_reviewer"].email)
    page = text(client.get(PAGE))
    assert "in voorbereiding" in page and "archive.zip" not in page
    assert client.get(DOWNLOAD).status_code == 404
    agreement_archive(JobContext("agreement_archive", frozen_clock.now()))
    package = db.session.get(AgreementArchive, ended.id)
    page = text(client.get(PAGE))
    assert "Het archiefpakket downloaden" in page and "kB" in page
    response = client.get(DOWNLOAD)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert hashlib.sha256(response.get_data()).hexdigest() == package.sha256
    logout(client)
    login(client, people["idf_admin"].email)
    assert client.get(DOWNLOAD).status_code == 200
    assert "gearchiveerd" not in text(client.get("/agreements/idf-bxl-2021/")) and "archivé" in text(
        client.get("/agreements/idf-bxl-2021/")
    )
    api = Api(client, token_for(people["idf_admin"]))
    assert api.get("/agreements/idf-bxl-2021").get_json()["status"] == "archived"
    logout(client)
    login(client, people["owner"].email)  # a coordinator reads everything but the package
    assert client.get(DOWNLOAD).status_code == 403
    assert "archive.zip" not in text(client.get(PAGE))
    logout(client)
    make_party("XYZ")
    login(client, make_user("XYZ", "admin").email)  # a party that did not sign it: it does not exist
    assert client.get(DOWNLOAD).status_code == 404


def test_the_closed_agreements_banner_links_the_archive_package_only_for_whom_may_download_it(
    client: FlaskClient, app: Flask, ended: Agreement, frozen_clock
) -> None:
    people = close(ended, frozen_clock)
    agreement_archive(JobContext("agreement_archive", frozen_clock.now()))

    def banner_links(email: str) -> list[str]:
        login(client, email)
        html = text(client.get("/agreements/idf-bxl-2021/"))
        logout(client)
        (banner,) = lxml.html.document_fromstring(html).xpath("//aside[@class='agreement-ended']")
        return [link.text_content() for link in banner.iter("a")]

    assert banner_links(people["idf_admin"].email) == ["Paquet d’archive"]
    assert banner_links(people["bxl_reviewer"].email) == ["Archiefpakket"]
    login(client, people["owner"].email)
    assert client.get(DOWNLOAD).status_code == 403  # a coordinator may not download it: no link to it either
    logout(client)
    assert banner_links(people["owner"].email) == []


def test_the_command_line_refuses_in_one_line(app: Flask, ended: Agreement, frozen_clock) -> None:
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["agreements", "archive", "nope"])
    assert unknown.exit_code != 0 and "no agreement 'nope'" in unknown.output and "Traceback" not in unknown.output
    not_closed = runner.invoke(args=["agreements", "archive", "idf-bxl-2021"])
    assert not_closed.exit_code != 0 and "close it first" in not_closed.output
    assert len(not_closed.output.strip().splitlines()) == 1
    close(ended, frozen_clock, files=None)  # published, but the scheduler has not rendered its files yet
    waiting = runner.invoke(args=["agreements", "archive", "idf-bxl-2021"])
    assert waiting.exit_code != 0 and "not rendered yet" in waiting.output
    keep_small_files(db.session.scalar(select(Report).where(Report.agreement_id == ended.id)))
    assert runner.invoke(args=["agreements", "archive", "idf-bxl-2021"]).exit_code == 0
    again = runner.invoke(args=["agreements", "archive", "idf-bxl-2021"])
    assert again.exit_code != 0 and "already archived" in again.output
