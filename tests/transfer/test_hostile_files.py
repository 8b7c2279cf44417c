"""Hostile files sent to the import: each is built for real and refused with a 422 naming the bound it passed.

Without the bounds, each of these files takes a worker for tens of seconds (or gigabytes of memory); the tests
would hang rather than fail, which is why they finish in a blink when the bounds hold.
"""

from __future__ import annotations

import io
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openpyxl import Workbook
from sqlalchemy import func, select

from tests import factories
from tests.api.helpers import Api, assert_problem, token_for
from tests.forms import submit_form
from tests.helpers import login
from tracker.actions.models import Action
from tracker.core.db import db
from tracker.transfer import importer
from tracker.transfer.reader import MAX_COLUMNS, MAX_LINES, MAX_UNCOMPRESSED_BYTES

SLUG = "idf-bxl-2021"
HEADER = ("action_ref", "workstream", "title", "description", "owner_email", "lead_party", "start_on", "due_on")


def _workbook(**cells: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for ref, value in cells.items():
        sheet[ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _replace_member(workbook: bytes, name: str, content: bytes) -> bytes:
    """Return the workbook with one member's content replaced (or added), deflated as Excel does."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename != name:
                target.writestr(member, source.read(member))
        target.writestr(name, content)
    return out.getvalue()


def far_corner_workbook() -> bytes:
    """1.5 KB: a declared dimension of A1:XFD1048576, a cell in A1 and one in the very last cell."""
    data = _workbook(XFD1048576="x")
    assert b"A1:XFD1048576" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    return data


def empty_rows_workbook() -> bytes:
    """About 93 KB of empty rows spread down to the last row of a sheet."""
    header = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(HEADER))
    rows = "".join(f'<row r="{n}"/>' for n in range(2, 1_048_577, 190))
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:H1048576"/><sheetData><row r="1">{header}</row>{rows}</sheetData></worksheet>'
    ).encode()
    assert len(sheet) > 92_000
    return _replace_member(_workbook(), "xl/worksheets/sheet1.xml", sheet)


def inflating_strings_workbook() -> bytes:
    """Shared strings of a few hundred kilobytes that inflate past the bound on unpacked size."""
    big = b"a" * (MAX_UNCOMPRESSED_BYTES + 1024)
    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>' + big + b"</t></si></sst>"
    )
    data = _replace_member(_workbook(A2="x"), "xl/sharedStrings.xml", strings)
    assert len(data) < 400_000
    return data


def wide_csv() -> bytes:
    """A 1.5 MB header of 200,000 columns."""
    data = ",".join(f"c{i}" for i in range(200_000)).encode() + b"\n"
    assert len(data) > 1_400_000
    return data


HOSTILE = {
    "far_corner.xlsx": (far_corner_workbook, f"at most {MAX_LINES:,} "),
    "empty_rows.xlsx": (empty_rows_workbook, f"at most {MAX_LINES:,} "),
    "inflating.xlsx": (inflating_strings_workbook, f"at most {MAX_UNCOMPRESSED_BYTES // 2**20} MB"),
    "wide.csv": (wide_csv, f"at most {MAX_COLUMNS:,}."),
}


@pytest.fixture
def importer_user(team: Any) -> Any:
    return team.admin


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_api_refuses_a_hostile_file_naming_the_bound(client, importer_user, name: str) -> None:
    build, bound = HOSTILE[name]
    api = Api(client, token_for(importer_user))
    for dry_run in ("true", "false"):
        response = client.post(
            f"/api/v1/agreements/{SLUG}/import?dry_run={dry_run}",
            data={"file": (io.BytesIO(build()), name)},
            headers={"Authorization": f"Bearer {api.token}", "Accept-Language": "en"},
            content_type="multipart/form-data",
        )
        body = assert_problem(response, 422, "import-rejected")
        assert bound in body["row_errors"][0]["message"], body
    assert db.session.scalar(select(func.count(Action.id))) == 0


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_import_page_shows_the_bound_as_a_form_error(client, importer_user, name: str) -> None:
    build, bound = HOSTILE[name]
    admin = factories.make_user("IDF", "admin", language="en")
    login(client, admin.email)
    page = client.get(f"/agreements/{SLUG}/import")
    response = submit_form(client, page, fields={"file": (name, build()), "dry_run": None})
    assert response.status_code == 422
    assert bound in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Action.id))) == 0


def test_the_file_is_parsed_outside_any_transaction(
    committed_app: Flask, backend: str, fresh_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the file is read, the request holds no transaction: on SQLite, another writer gets the lock at once."""
    factories.load_agreement()
    admin = factories.make_user("IDF", "admin")
    token = token_for(admin)
    db.session.remove()
    seen: list[str] = []
    real_read_rows = importer.read_rows

    def read_rows_and_look_around(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
        seen.append("in transaction" if db.session().in_transaction() else "outside")
        if backend == "sqlite":
            other = sqlite3.connect(Path(fresh_database.removeprefix("sqlite:///")), timeout=0, isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")  # "database is locked" at once if the request held the lock
                other.execute("ROLLBACK")
                seen.append("lock free")
            finally:
                other.close()
        return real_read_rows(data)

    monkeypatch.setattr(importer, "read_rows", read_rows_and_look_around)
    response = committed_app.test_client().post(
        f"/api/v1/agreements/{SLUG}/import?dry_run=true",
        data={"file": (io.BytesIO(",".join(HEADER).encode() + b"\n"), "a.csv")},
        headers={"Authorization": f"Bearer {token}"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422  # a header and no row
    assert seen == ["outside", "lock free"] if backend == "sqlite" else ["outside"]
