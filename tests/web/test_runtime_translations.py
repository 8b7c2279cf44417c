"""Nothing reads as English or as code in French and Dutch, as rendered at runtime.

The catalog check (tests/test_translations.py) only sees strings marked for translation; this one reads what people
get: every main page, a digest mail and a report (its HTML and the text of its PDF), in French and in Dutch, on the
demo data. It fails on an English interface message from the catalog shown untranslated, a raw field or enum name
(`snake_case`), a unit key, or `None`.
"""

from __future__ import annotations

import csv
import re
import subprocess
from datetime import date
from io import BytesIO, StringIO
from pathlib import Path

import lxml.html
import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from tests import factories
from tests.forms import submit_form
from tracker.accounts.models import Role, User
from tracker.accounts.services import create_user
from tracker.actions.models import Action, ActionStatus, Indicator
from tracker.actions.progress import log_progress
from tracker.agreements.models import Agreement
from tracker.core.db import db
from tracker.demo.service import DEMO_PASSWORD, load_demo
from tracker.mail.models import OutboxMessage
from tracker.people.services import deactivate, set_co_lead
from tracker.reminders.digest import preview_digest
from tracker.reports import render, services, signoff, xlsx
from tracker.reports.models import Report
from tracker.transfer.export import IMPORT_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
SLUG = "idf-bxl-2021"
MONDAY = date(2026, 11, 30)
# Words an English message shares with proper text of the other language, or names that stay as they are.
SHARED = {
    "fr": set(),
    "nl": set(),
}
UNIT_KEYS = ("people", "percent", "count", "eur", "euros", "hours", "days", "companies", "projects")
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b|\bNone\b|\(\s*(?:{})\b".format("|".join(UNIT_KEYS)))
# English number shapes: a decimal point (French and Dutch write « 7,4 »), a size in English units.
ENGLISH_NUMBER = re.compile(r"(?<![\w./:-])\d+\.\d+(?![\w./-])|\b\d+(?:[.,]\d+)? ?(?:Bytes|bytes)\b")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


def _catalog(lang: str) -> dict[str, tuple[str, ...]]:
    """Return {English message: its translations} of the `lang` catalog (plural forms flattened)."""
    with (ROOT / "tracker" / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    result: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        if message.id and message.string:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for english in ids:
                result[english] = tuple(strings)
    return result


def english_phrases(lang: str) -> list[str]:
    """Return the English literal chunks of every message the catalog translates differently into `lang`.

    A chunk the French translation also has is left out for Dutch: the demo data (what people wrote) is French.
    """
    translations = _catalog(lang)
    french = _catalog("fr")
    phrases = set()
    for english, strings in translations.items():
        if english in strings:
            continue
        for chunk in PLACEHOLDER.split(english):
            chunk = chunk.strip(" .,:;·—–-()«»\"'\n")
            words = re.findall(r"[A-Za-z]+", chunk)
            # One word of four letters and more, or several words: short ones match too much by chance.
            if not (len(words) >= 2 or (words and len(words[0]) >= 4)) or any(chunk in s for s in strings):
                continue
            if lang != "fr" and any(chunk in s for s in french.get(english, ())):
                continue
            phrases.add(chunk)
    return sorted(phrases - SHARED[lang], key=len, reverse=True)


def visible_text(html: str) -> str:
    """Return what a reader sees or hears of a page: its text, titles, labels, placeholders and button values."""
    document = lxml.html.document_fromstring(html)
    page_language = document.get("lang", "")
    # <code> holds values to copy (a calendar address with its random token, a hash), not words to translate: a
    # random token may look like snake_case.
    for hidden in document.xpath("//script|//style|//template|//code"):
        hidden.drop_tree()
    # Text declared in another language (the English version of an agreement text in the history) is data.
    for other in document.xpath("//body//*[@lang]"):
        if other.get("lang") != page_language and other.getparent() is not None:
            other.drop_tree()
    parts = list(document.itertext())
    for attribute in ("title", "placeholder", "aria-label", "alt"):
        parts += document.xpath(f"//@{attribute}")
    parts += document.xpath("//input[@type='submit' or @type='button']/@value")
    return " ".join(" ".join(parts).split())


def dutch(match: re.Match[str], lang: str) -> bool:
    """Whether a number with a point is Dutch: grouped thousands (`63.595`) or an hour (`07.00 uur`)."""
    number, after = match.group(0), match.string[match.end() : match.end() + 4]
    return (re.fullmatch(r"\d{1,3}(\.\d{3})+", number) is not None and lang == "nl") or after == " uur"


def findings(where: str, text: str, phrases: list[str], lang: str, allowed: tuple[str, ...] = ()) -> list[str]:
    found = [f"{where}: code {m.group(0)!r}" for m in CODE.finditer(text) if m.group(0) not in allowed]
    found += [f"{where}: English number {m.group(0)!r}" for m in ENGLISH_NUMBER.finditer(text) if not dutch(m, lang)]
    for phrase in phrases:
        if phrase in allowed:  # a column name of the import file, the same in every language
            continue
        if re.search(r"(?<![\w@.-])" + re.escape(phrase) + r"(?![\w@-])", text):
            found.append(f"{where}: English {phrase!r}")
            text = text.replace(phrase, "")
    return found


def log_in(client: FlaskClient, email: str) -> None:
    response = submit_form(client, "/login", fields={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def first_action() -> Action:
    """Return the first active action with milestones (its page shows progress, files and history)."""
    return db.session.scalars(
        select(Action).where(Action.milestones.any(), Action.status == ActionStatus.ACTIVE).order_by(Action.id)
    ).first()


def main_pages(slug: str, person: User) -> list[str]:
    """Return the main pages, with the people admin page of `person` (who owns actions and co-leads)."""
    action = first_action()
    indicator = db.session.scalars(select(Indicator).order_by(Indicator.id)).first()
    milestone = action.milestones[0]
    return [
        "/",
        "/agreements/",
        f"/agreements/{slug}/",
        f"/agreements/{slug}/dashboard",
        "/approvals",
        f"/agreements/{slug}/workstreams/{action.workstream.code}",
        f"/agreements/{slug}/workstreams/{action.workstream.code}/actions/new",
        f"/actions/{action.id}",
        f"/actions/{action.id}/edit",
        f"/actions/{action.id}/progress",
        f"/actions/{action.id}/milestones/new",
        f"/milestones/{milestone.id}/edit",
        f"/indicators/{indicator.id}/measurements/new",
        f"/agreements/{slug}/reports/",
        f"/agreements/{slug}/import",
        "/search?q=emploi",
        "/profile",
        "/admin/audit",
        "/admin/outbox",
        "/admin/reminders",
        "/admin/people",
        f"/admin/people/{person.id}",
        "/admin/co-leads",
    ]


def _history_rows(people: dict[str, User], agreement: Agreement, action: Action) -> tuple[User, Report]:
    """Write the audit rows that once read raw (« Partie : 1 », `co_lead`, `handed_to`, withdrawn signatures) and a
    quarterly report compared with the previous one; return the newcomer and that report."""
    admin = people["admin@idf.example.org"]
    newcomer = create_user(
        email="ines.nouvelle@idf.example.org", name="Inès Nouvelle", party_code="IDF", role="coordinator", by=admin
    )
    people[newcomer.email] = newcomer
    set_co_lead(admin, action.workstream_id, newcomer.id)
    deactivate(admin, newcomer, successor_id=people["camille.martin@idf.example.org"].id)
    services.generate_report(agreement, "2026-Q2")
    quarter = services.generate_report(agreement, "2026-Q3")
    reviewers = [u for u in people.values() if u.role == Role.REVIEWER]
    signoff.sign_report(next(u for u in reviewers if u.party.code == "IDF"), quarter, "Relu.")
    signoff.return_report(next(u for u in reviewers if u.party.code == "BXL"), quarter, "Chiffres à revoir.")
    db.session.commit()
    return newcomer, quarter


def _audit_rows_read_as_names(client: FlaskClient, newcomer: User, lang: str) -> list[str]:
    """Return what the audit log shows of the newcomer's account by its id instead of a name."""
    page = lxml.html.document_fromstring(client.get("/admin/audit").get_data(as_text=True))
    # The creation of the account: the one row that records its email, with the party it belongs to.
    rows = [row for row in page.xpath("//table[@class='audit-table']//tr") if newcomer.email in row.text_content()]
    assert len(rows) == 1, "the newcomer's account is in the audit log"
    created = rows[0]
    values = [" ".join(v.text_content().split()) for v in created.xpath(".//ins")]
    party = newcomer.party.text("name", lang)
    problems = [] if party in values else [f"/admin/audit: the new account's party is not named: {values!r}"]
    # What the row is about: the person's account, by their name (« Compte · Inès Nouvelle »), not « Compte #12 ».
    what = " ".join(created.xpath("./td")[2].text_content().split())
    if newcomer.name not in what or f"#{newcomer.id}" in what:
        problems.append(f"/admin/audit: the new account is not named by its person: {what!r}")
    return problems


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_pages_mails_and_reports_read_in_the_language_without_english_or_code(
    app: Flask, client: FlaskClient, frozen_clock, tmp_path: Path, lang: str
) -> None:
    factories.load_agreement()
    load_demo(SLUG)
    agreement = services.agreement_for_report(SLUG)
    report = services.generate_report(agreement, "final")
    people = {u.email: u for u in db.session.scalars(select(User))}
    signoff.sign_report(people["sophie.leroy@idf.example.org"], report, "Relu.")  # a signature in the history
    action = first_action()
    owner = db.session.get(User, action.owner_id)
    log_progress(owner, action, text="Preuve jointe.", percent=40, health="on_track",
                 attachments=[("compte-rendu.txt", BytesIO("Compte rendu de la réunion.".encode()))])  # fmt: skip
    db.session.commit()
    newcomer, previous_report = _history_rows(people, agreement, action)
    for person in people.values():
        person.language = lang
    db.session.commit()
    phrases = english_phrases(lang)
    problems: list[str] = []

    # Workstream and commitment codes are English words (`YOUTH`, `ECO-PROD-1`): pages, digests and reports name
    # workstreams by title (reports by number and title), commitments by number (« n° 1 ») and text.
    codes = [re.escape(ws.code) for ws in agreement.workstreams]
    codes += [re.escape(c.code) for ws in agreement.workstreams for c in ws.commitments]
    code_word = re.compile(r"(?<![\w-])(?:{})(?![\w-])".format("|".join(codes)))

    log_in(client, "admin@idf.example.org")
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).first()  # the sign-off notice
    holder = people["camille.martin@idf.example.org"]  # owns actions, and co-leads since the newcomer left
    paths = [*main_pages(SLUG, holder), f"/reports/{report.id}", f"/admin/outbox/{message.id}"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, f"{path}: {response.status_code}"
        html = response.get_data(as_text=True)
        problems += [f"{path}: markup {leak!r}" for leak in set(re.findall(r'[\w-]+="None"', html))]
        # The import page names the columns of the file, which are the same in every language.
        allowed = IMPORT_COLUMNS if path.endswith("/import") else ()
        text = visible_text(html)
        problems += findings(path, text, phrases, lang, allowed)
        # The agreement's slug is a part of addresses: people read its title (breadcrumbs, the audit log's filter).
        problems += [f"{path}: slug in {text[m.start() - 40 : m.end() + 20]!r}" for m in re.finditer(SLUG, text)]
        if not path.endswith("/import"):  # the file to import names workstreams by code, as the API does
            problems += [f"{path}: code in {text[m.start() - 40 : m.end() + 20]!r}" for m in code_word.finditer(text)]

    problems += _audit_rows_read_as_names(client, newcomer, lang)

    # The actions downloaded to read them (the workstream page's first links, XLSX and CSV): columns, statuses,
    # parties and people in words, dates as dates (XLSX) or as the reader writes them (CSV), never ISO.
    workstream = client.get(f"/agreements/{SLUG}/workstreams/{action.workstream.code}").get_data(as_text=True)
    for href in lxml.html.document_fromstring(workstream).find_class("export-links")[0].xpath(".//a/@href"):
        body = client.get(href).get_data()
        if ".xlsx" in href:
            rows = [
                r
                for s in load_workbook(BytesIO(body), read_only=True).worksheets
                for r in s.iter_rows(values_only=True)
            ]
        else:
            delimiter = ";" if "sep=semicolon" in href else ","
            rows = list(csv.reader(StringIO(body.decode("utf-8-sig"), newline=""), delimiter=delimiter))
        cells = [v for row in rows for v in row if isinstance(v, str) and v]
        problems += findings(f"download {href}", " | ".join(cells), phrases, lang)
        problems += [f"download {href}: code {c!r}" for c in cells if code_word.fullmatch(c) or c in ("IDF", "BXL")]
        problems += [f"download {href}: ISO date {c!r}" for c in cells if re.fullmatch(r"\d{4}-\d{2}-\d{2}", c)]

    digest = preview_digest(people["camille.martin@idf.example.org"], MONDAY)
    assert digest is not None
    problems += findings("digest subject", digest.subject, phrases, lang)
    problems += findings("digest text", digest.text, phrases, lang)
    problems += findings("digest html", visible_text(digest.html or ""), phrases, lang)

    problems += [f"digest: code {m.group(0)!r}" for m in code_word.finditer(digest.subject + " " + digest.text)]
    # The quarterly report is compared with the one before: named by its period as readers write it.
    compared = visible_text(render.render_html(previous_report, lang))
    problems += findings("compared report html", compared, phrases, lang)
    problems += [f"compared report: period key {key!r}" for key in re.findall(r"\b\d{4}-Q[1-4]\b|\bY\d+\b", compared)]
    problems += [f"compared report: code {m.group(0)!r}" for m in code_word.finditer(compared)]
    html = render.render_html(report, lang)
    problems += findings("report html", visible_text(html), phrases, lang)
    problems += [f"report html: workstream code {m.group(0)!r}" for m in code_word.finditer(visible_text(html))]
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render.render_pdf(report, lang, html))
    pdf_text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    problems += findings("report pdf", " ".join(pdf_text.stdout.split()), phrases, lang)

    book = load_workbook(BytesIO(xlsx.render_xlsx(report, lang)), read_only=True)
    for sheet in book.worksheets:
        cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)]
        problems += findings(f"report xlsx « {sheet.title} »", " | ".join([sheet.title, *cells]), phrases, lang)
        problems += [f"xlsx « {sheet.title} »: workstream code {c!r}" for c in cells if code_word.fullmatch(c)]

    assert not problems, "\n".join(sorted(set(problems)))
