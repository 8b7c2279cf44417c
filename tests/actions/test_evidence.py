"""Evidence files: checked by content, limited in size, stored by SHA-256 outside static/, shown to the agreement."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from flask import Flask

from tests import factories
from tests.actions.conftest import Team
from tracker.actions import services
from tracker.actions.evidence import open_evidence
from tracker.core.errors import NotFound, PermissionDenied, ValidationFailed

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\x00" * 24


def _zip(entries: dict[str, bytes], stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if stored_first:
            archive.writestr(zipfile.ZipInfo(stored_first), entries.pop(stored_first))
        for name, data in entries.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _ooxml(part: str) -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>", part: b"<x/>"})


def _odf(mime: str) -> bytes:
    return _zip({"mimetype": mime.encode(), "content.xml": b"<office/>"}, stored_first="mimetype")


ACCEPTED = [
    ("rapport.pdf", PDF, "application/pdf"),
    ("photo.png", PNG, "image/png"),
    ("photo.jpg", JPEG, "image/jpeg"),
    ("anim.gif", GIF, "image/gif"),
    ("image.webp", WEBP, "image/webp"),
    ("cr.docx", _ooxml("word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("t.xlsx", _ooxml("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (
        "d.pptx",
        _ooxml("ppt/presentation.xml"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("cr.odt", _odf("application/vnd.oasis.opendocument.text"), "application/vnd.oasis.opendocument.text"),
    ("t.ods", _odf("application/vnd.oasis.opendocument.spreadsheet"), "application/vnd.oasis.opendocument.spreadsheet"),
    ("chiffres.csv", "région;valeur\nÎle-de-France;12\n".encode(), "text/csv"),
    ("notes.txt", "Réunion à Bruxelles – compte rendu.\n".encode(), "text/plain"),
    # A name that claims no type we know leaves the content to decide.
    ("compte rendu v1.2", PDF, "application/pdf"),
]

REFUSED = [
    ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64),
    ("archive.zip", _zip({"a.txt": b"hello"})),
    ("latin1.txt", "Réunion".encode("latin-1")),
    ("binary.csv", b"a,b\n\x00\x01\x02"),
    ("fake.odt", _odf("application/x-not-a-document")),
    ("vide.txt", b""),
    # The name claims another type than the content shows.
    ("image.png", PDF),
    ("chiffres.csv", _ooxml("xl/workbook.xml")),
]


@pytest.fixture
def action(team: Team):
    return factories.make_action(team.ws, team.owner)


@pytest.mark.parametrize(("name", "content", "mime"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_accepted_types_are_recognised_by_content_and_stored_by_hash(
    app: Flask, team: Team, action, name: str, content: bytes, mime: str
) -> None:
    attachment = services.store_evidence(team.owner, action, name, io.BytesIO(content))
    digest = hashlib.sha256(content).hexdigest()
    assert (attachment.content_type, attachment.size, attachment.sha256) == (mime, len(content), digest)
    stored = Path(app.config["UPLOAD_DIR"]) / digest[:2] / digest
    assert stored.read_bytes() == content
    assert "static" not in stored.parts
    found, path = open_evidence(team.bxl_coordinator, attachment.id)
    assert found is attachment and path == stored


@pytest.mark.parametrize(("name", "content"), REFUSED, ids=[r[0] for r in REFUSED])
def test_other_types_are_refused_with_a_clear_message(app: Flask, team: Team, action, name: str, content) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.store_evidence(team.owner, action, name, io.BytesIO(content))
    assert refused.value.errors["file"]
    assert not any(p.is_file() for p in Path(app.config["UPLOAD_DIR"]).rglob("*"))


def test_a_file_over_the_limit_is_refused(app: Flask, team: Team, action) -> None:
    app.config["MAX_UPLOAD_BYTES"] = 1024 * 1024
    try:
        with pytest.raises(ValidationFailed, match="1 MB"):
            services.store_evidence(team.owner, action, "big.txt", io.BytesIO(b"a" * (1024 * 1024 + 1)))
        assert services.store_evidence(team.owner, action, "ok.txt", io.BytesIO(b"a" * 1024 * 1024)).size == 2**20
    finally:
        app.config["MAX_UPLOAD_BYTES"] = 20 * 1024 * 1024


def test_file_names_lose_directories_and_control_characters(team: Team, action) -> None:
    attachment = services.store_evidence(team.owner, action, "../../etc/pass\x00wd.txt", io.BytesIO(b"x"))
    assert attachment.filename == "pass_wd.txt"


def test_file_names_lose_bidirectional_controls(team: Team, action) -> None:
    # Displayed as it is, "résumé\u202egpj.exe" reads "résuméexe.jpg": an executable posing as a photo.
    attachment = services.store_evidence(team.owner, action, "résumé\u202egpj.exe", io.BytesIO(b"x"))
    assert attachment.filename == "résumégpj.exe"
    isolated = services.store_evidence(team.owner, action, "\u2067note\u2069\u200f.txt", io.BytesIO(b"y"))
    assert isolated.filename == "note.txt"


def test_the_same_content_twice_is_stored_once(app: Flask, team: Team, action) -> None:
    one = services.store_evidence(team.owner, action, "a.txt", io.BytesIO(b"same"))
    two = services.store_evidence(team.owner, action, "b.txt", io.BytesIO(b"same"))
    assert one.sha256 == two.sha256 and one.id != two.id
    assert len([p for p in Path(app.config["UPLOAD_DIR"]).rglob("*") if p.is_file()]) == 1


def test_only_editors_upload_and_only_the_agreements_parties_download(team: Team, action) -> None:
    with pytest.raises(PermissionDenied):
        services.store_evidence(team.reviewer, action, "a.txt", io.BytesIO(b"x"))
    with pytest.raises(NotFound):
        services.store_evidence(team.outsider, action, "a.txt", io.BytesIO(b"x"))
    attachment = services.store_evidence(team.owner, action, "a.txt", io.BytesIO(b"x"))
    assert open_evidence(team.reviewer, attachment.id)[0] is attachment
    for ident in (attachment.id, "x", 0):
        with pytest.raises(NotFound):
            open_evidence(team.outsider if ident == attachment.id else team.owner, ident)


def test_a_progress_log_carries_its_files(team: Team, action) -> None:
    stored = services.store_evidence(team.owner, action, "cr.pdf", io.BytesIO(PDF))
    update = services.log_progress(
        team.owner,
        action,
        text="Compte rendu joint.",
        percent=20,
        health="on_track",
        attachments=[stored, ("photo.png", io.BytesIO(PNG))],
    )
    assert [a.filename for a in update.attachments] == ["cr.pdf", "photo.png"]
