"""A user sees only the agreements their party signed; everything else answers 404."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from tests import factories
from tests.helpers import login, text
from tracker.agreements import services
from tracker.core.errors import NotFound


def _other_agreement(tmp_path: Path) -> None:
    """An agreement between Île-de-France and Québec, which Brussels did not sign."""
    data = yaml.safe_load(factories.AGREEMENT_FILE.read_text(encoding="utf-8"))
    data["slug"] = "idf-qc-2024"
    data["title"] = {
        "fr": "Accord Île-de-France – Québec",
        "en": "Île-de-France – Quebec agreement",
        "nl": "Akkoord Île-de-France – Quebec",
    }
    data["parties"][1] = {
        "code": "QC",
        "name": {"fr": "Québec", "en": "Quebec", "nl": "Quebec"},
        "country": "CA",
        "timezone": "America/Toronto",
    }
    path = tmp_path / "idf-qc.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    factories.load_agreement(path)


def test_each_party_lists_only_what_it_signed(app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    factories.load_agreement()
    _other_agreement(tmp_path)
    brussels = factories.make_user("BXL")
    paris = factories.make_user("IDF")
    assert [a.slug for a in services.list_agreements(brussels)] == ["idf-bxl-2021"]
    assert sorted(a.slug for a in services.list_agreements(paris)) == ["idf-bxl-2021", "idf-qc-2024"]
    login(client, brussels.email)
    page = text(client.get("/agreements/"))
    assert "idf-bxl-2021" in page and "idf-qc-2024" not in page


def test_another_partys_agreement_answers_404(app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    factories.load_agreement()
    _other_agreement(tmp_path)
    brussels = factories.make_user("BXL")
    with pytest.raises(NotFound):
        services.get_agreement(brussels, "idf-qc-2024")
    login(client, brussels.email)
    assert client.get("/agreements/idf-qc-2024/").status_code == 404
    assert client.get("/agreements/does-not-exist/").status_code == 404
    assert client.get("/agreements/idf-bxl-2021/").status_code == 200


def test_a_party_outside_the_agreement_sees_nothing_of_it(app: Flask, client: FlaskClient) -> None:
    factories.load_agreement()
    factories.make_party("QC", "CA")
    outsider = factories.make_user("QC", "admin")
    login(client, outsider.email)
    assert client.get("/agreements/idf-bxl-2021/").status_code == 404
    assert "Votre région n’a encore signé aucun accord" in text(client.get("/agreements/"))
