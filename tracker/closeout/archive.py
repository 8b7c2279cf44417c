"""The archive package of a closed agreement: a BagIt bag (RFC 8493, made by the `bagit` library, SHA-256
manifests) serialised as a zip under ARCHIVE_DIR; once built, the agreement moves to *archived*.

The bag's payload (data/):
- README.txt: what the package holds, in French, Dutch and English;
- reports/<id>-<kind>-<period>-v<version>/<lang>.<fmt> (`4-final-v2` for a final report): every file of every published report, as stored, each
  checked against the SHA-256 kept at publication (a mismatch or a missing file fails the build);
- evidence/<id>-<filename>: the evidence files of its actions, checked against their SHA-256 (no folder, and the
  README says so, when there are none);
- tables/<table>.csv and .json: its data and audit trail (tracker/closeout/archive_data.py), and
  tables/data_dictionary.csv describing every column.

Built by the scheduler's `agreement_archive` job (never in a web request) or `flask agreements archive SLUG`.
`bagit.make_bag` changes the process's working directory while it hashes: every path here is absolute."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Any

from babel.dates import format_date
from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker.accounts.models import Role, User
from tracker.actions.evidence import evidence_path
from tracker.actions.models import Action, Attachment
from tracker.agreements.models import Agreement, AgreementStatus, Workstream
from tracker.agreements.services import get_agreement
from tracker.closeout.archive_data import agreement_tables, data_dictionary
from tracker.closeout.models import AgreementArchive
from tracker.core import clock
from tracker.core.db import db, unit_of_work
from tracker.core.errors import DomainError, InvalidTransition, NotFound, PermissionDenied
from tracker.core.lifecycle import transition
from tracker.reports.models import Report, ReportStatus
from tracker.reports.storage import published_file

log = logging.getLogger(__name__)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class ArchiveFailed(DomainError):
    """The package cannot be built (a stored file is missing or damaged, or the files are not ready)."""

    status = 409
    problem_type = "archive-failed"


def build_archive(agreement: Agreement) -> AgreementArchive:
    """Build the archive package of a closed agreement now and move the agreement to *archived*; flushes, the
    caller commits. Raises InvalidTransition when the agreement is not closed (or already archived) and
    ArchiveFailed when a stored file is missing, damaged or not rendered yet (nothing is kept then)."""
    if agreement.status == AgreementStatus.ARCHIVED:
        raise InvalidTransition(_l("This agreement is already archived."))
    if agreement.status != AgreementStatus.CLOSED:
        raise InvalidTransition(_l("Only a closed agreement is archived: close it first."))
    import bagit  # here, not at start-up: only the archiving job and command build bags

    root = Path(current_app.config["ARCHIVE_DIR"]).resolve()
    (root / "tmp").mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=root / "tmp"))
    try:
        bag_dir = work / f"{agreement.slug}-archive"
        bag_dir.mkdir()
        _write_payload(agreement, bag_dir)
        bag = bagit.make_bag(str(bag_dir), bag_info(agreement), processes=1, checksums=["sha256"])
        name = f"{agreement.slug}-archive.zip"
        size, digest = _zip(bag_dir, root / name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    archive = db.session.get(AgreementArchive, agreement.id) or AgreementArchive(agreement_id=agreement.id, attempts=0)
    db.session.add(archive)
    archive.filename, archive.size, archive.sha256 = name, size, digest
    archive.payload_oxum = str(bag.info["Payload-Oxum"])
    archive.built_at, archive.failure, archive.failed_at = clock.now(), None, None
    archive.attempts = (archive.attempts or 0) + 1
    db.session.flush()
    transition(agreement, AgreementStatus.ARCHIVED.value, by=None)  # type: ignore[arg-type]
    return archive


def bag_info(agreement: Agreement) -> dict[str, Any]:
    """Return the bag-info.txt fields: the agreement's titles, parties and dates; Bagging-Date from the clock."""
    parties = [s.party for s in agreement.signatories]
    return {
        "Source-Organization": [p.name_fr for p in parties],
        "External-Identifier": agreement.slug,
        "External-Description": agreement.title_en,
        "Title": agreement.title_fr,
        "Title-FR": agreement.title_fr,
        "Title-NL": agreement.title_nl,
        "Title-EN": agreement.title_en,
        "Parties": "; ".join(f"{p.code} {p.name_fr}" for p in parties),
        "Agreement-Signed-On": agreement.signed_on.isoformat(),
        "Agreement-Starts-On": agreement.starts_on.isoformat(),
        "Agreement-Ends-On": agreement.ends_on.isoformat(),
        "Agreement-Status": str(agreement.status.value),
        "Bagging-Date": clock.today(agreement.timezone).isoformat(),
    }


def _write_payload(agreement: Agreement, bag_dir: Path) -> None:
    """Write the bag's payload: reports, evidence, tables and the README (the layout is in the module's doc)."""
    reports = _published_reports(agreement)
    for report in reports:
        _copy_report_files(report, bag_dir / "reports" / report_folder(report))
    evidence = _evidence(agreement)
    for attachment in evidence:
        (bag_dir / "evidence").mkdir(exist_ok=True)
        _copy_evidence(attachment, bag_dir / "evidence" / _safe(f"{attachment.id}-{attachment.filename}"))
    (bag_dir / "tables").mkdir()
    tables = agreement_tables(agreement)
    for table in [*tables, data_dictionary(tables)]:
        (bag_dir / "tables" / f"{table.name}.csv").write_bytes(table.csv_bytes())
        (bag_dir / "tables" / f"{table.name}.json").write_bytes(table.json_bytes())
    readme = render_template(
        "closeout/archive_readme.txt",
        agreement=agreement,
        parties=[s.party for s in agreement.signatories],
        reports=reports,
        evidence=evidence,
        long_date=lambda d, lang: format_date(d, "long", locale=lang),
        bagged_on=clock.today(agreement.timezone),
    )
    (bag_dir / "README.txt").write_text(readme, encoding="utf-8")


def report_folder(report: Report) -> str:
    """Return the folder of a published report in the bag: `<id>-<kind>-<period>-v<version>`, the period said once
    when it is the kind's own name (`4-final-v2`, `2-quarter-2026-Q3-v1`)."""
    kind = report.kind.value
    label = kind if report.period == kind else f"{kind}-{report.period}"
    return _safe(f"{report.id}-{label}-v{report.version}")


def _copy_report_files(report: Report, folder: Path) -> None:
    """Copy every stored file of a published report, each checked against the SHA-256 kept at publication."""
    folder.mkdir(parents=True)
    for lang, formats in sorted((report.files or {}).items()):
        for fmt in sorted(formats):
            try:
                data = published_file(report, lang, fmt)
            except NotFound as exc:  # missing, or not the bytes that were published
                message = _l("Report %(id)s, file %(file)s: %(reason)s", id=report.id, file=f"{lang}.{fmt}",
                             reason=exc.message)  # fmt: skip
                raise ArchiveFailed(message) from None
            (folder / f"{lang}.{fmt}").write_bytes(data)


def _published_reports(agreement: Agreement) -> list[Report]:
    reports = db.session.scalars(
        select(Report)
        .where(Report.agreement_id == agreement.id, Report.status == ReportStatus.PUBLISHED)
        .order_by(Report.period_end_on, Report.id)
    ).all()
    waiting = [r.id for r in reports if r.files is None]
    if waiting:
        raise ArchiveFailed(
            _l(
                "The files of published reports are not rendered yet (report %(ids)s).",
                ids=", ".join(map(str, waiting)),
            )
        )
    return list(reports)


def _evidence(agreement: Agreement) -> list[Attachment]:
    return list(
        db.session.scalars(
            select(Attachment)
            .join(Action, Action.id == Attachment.action_id)
            .join(Workstream, Workstream.id == Action.workstream_id)
            .where(Workstream.agreement_id == agreement.id)
            .order_by(Attachment.id)
        )
    )


def _copy_evidence(attachment: Attachment, target: Path) -> None:
    source = evidence_path(attachment.sha256)
    digest = hashlib.sha256()
    try:
        with source.open("rb") as src, target.open("wb") as dst:
            for chunk in iter(lambda: src.read(1 << 16), b""):
                digest.update(chunk)
                dst.write(chunk)
    except FileNotFoundError:
        raise ArchiveFailed(
            _l(
                "Evidence file %(id)s (%(name)s) is missing from the storage.",
                id=attachment.id,
                name=attachment.filename,
            )
        ) from None
    if digest.hexdigest() != attachment.sha256:
        raise ArchiveFailed(
            _l(
                "Evidence file %(id)s (%(name)s) does not match its SHA-256.",
                id=attachment.id,
                name=attachment.filename,
            )
        )


def _safe(name: str) -> str:
    return _UNSAFE.sub("_", name).strip("._")[:150] or "file"


def _zip(bag_dir: Path, target: Path) -> tuple[int, str]:
    """Serialise the bag as a zip whose single top folder is the bag; return its size and SHA-256."""
    scratch = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
    with zipfile.ZipFile(scratch, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in bag_dir.rglob("*") if p.is_file()):
            archive.write(path, f"{bag_dir.name}/{path.relative_to(bag_dir).as_posix()}")
    digest = hashlib.sha256()
    with scratch.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 16), b""):
            digest.update(chunk)
    scratch.replace(target)  # atomic: a download never reads half a file
    return target.stat().st_size, digest.hexdigest()


def record_failure(agreement_id: int, reason: str) -> None:
    """Keep why the last build failed (shown to admins on the close-out page); flushes, the caller commits."""
    archive = db.session.get(AgreementArchive, agreement_id) or AgreementArchive(agreement_id=agreement_id, attempts=0)
    db.session.add(archive)
    archive.failure = reason[:2000]
    archive.failed_at = clock.now()
    archive.attempts = (archive.attempts or 0) + 1
    db.session.flush()


def archive_closed_agreements(stopping: threading.Event | None = None) -> dict[str, Any]:
    """Build the package of every closed agreement (the scheduler's job), one commit each: one that fails is
    recorded and never stops the others; it is tried again at the next run. Returns the slugs archived and the
    failures by slug."""
    closed = db.session.execute(
        select(Agreement.id, Agreement.slug).where(Agreement.status == AgreementStatus.CLOSED).order_by(Agreement.id)
    ).all()
    result: dict[str, Any] = {"archived": [], "failed": {}}
    for agreement_id, slug in closed:
        if stopping is not None and stopping.is_set():
            break
        try:
            with unit_of_work():
                agreement = db.session.get(Agreement, agreement_id, populate_existing=True)
                if agreement is None or agreement.status != AgreementStatus.CLOSED:
                    continue
                build_archive(agreement)
            result["archived"].append(slug)
            log.info("agreement %s archived", slug)
        except Exception as exc:  # one agreement's failure never holds up the others
            reason = str(exc.message) if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
            log.exception("agreement %s: its archive package could not be built", slug)
            with unit_of_work():
                record_failure(agreement_id, reason)
            result["failed"][slug] = reason
    return result


def archive_of(agreement: Agreement) -> AgreementArchive | None:
    """Return the agreement's archive record (built or failed), if any."""
    return db.session.get(AgreementArchive, agreement.id)


def may_download_archive(user: User) -> bool:
    """Admins and reviewers of a signing party download the archive package (visibility is checked apart)."""
    return bool(user.active and user.role in (Role.ADMIN, Role.REVIEWER))


def archive_download(user: User, slug: str) -> tuple[AgreementArchive, Path]:
    """Return the archive record and the zip's path for a user who may download it. Raises NotFound (not a
    signatory, or not built yet) or PermissionDenied (a coordinator)."""
    agreement = get_agreement(user, slug)
    if not may_download_archive(user):
        raise PermissionDenied(_l("Only administrators and reviewers download the archive package."))
    archive = archive_of(agreement)
    if archive is None or not archive.built:
        raise NotFound(_l("The archive package is being prepared."))
    path = Path(current_app.config["ARCHIVE_DIR"]) / str(archive.filename)
    if not path.is_file():
        log.error("agreement %s: archive package %s is missing", slug, path)
        raise NotFound(_l("The archive package is missing from the storage; the administrators have been told."))
    return archive, path
