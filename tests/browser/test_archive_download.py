"""Issue 14: a closed agreement's archive package in the browser. An admin follows « Paquet d’archive » from the
agreement's page, reads « en préparation », and once the scheduler's job has built it, downloads the zip by clicking
the link: the bag inside validates with bagit's own validator."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.conftest import download_bag, log_in
from tests.closeout.closing import close
from tracker.agreements.models import AgreementStatus
from tracker.closeout.jobs import agreement_archive
from tracker.core.db import db
from tracker.scheduling.jobs import JobContext


def test_an_admin_downloads_the_archive_package_once_built(page: Page, live_app, frozen_clock, tmp_path: Path) -> None:
    agreement = factories.load_agreement(ended=True)
    people = close(agreement, frozen_clock)
    log_in(page, people["idf_admin"].email, keyboard=True)
    page.goto("/agreements/idf-bxl-2021/")
    expect(page.locator("dl.facts")).to_contain_text("clôturé")
    page.locator("dl.facts").get_by_role("link", name="Paquet d’archive").click()
    expect(page.get_by_role("heading", name="Paquet d’archive")).to_be_visible()
    expect(page.get_by_text("Paquet d’archive\u202f: en préparation.")).to_be_visible()
    expect(page.get_by_role("button", name="Enregistrer la décision")).to_have_count(0)  # nothing to change

    db.session.rollback()  # the job starts afresh, as in the scheduler (not in a read begun before the page's writes)
    assert agreement_archive(JobContext("agreement_archive", frozen_clock.now()))["archived"] == ["idf-bxl-2021"]
    db.session.commit()
    page.reload()
    link = page.get_by_role("link", name="Télécharger le paquet d’archive")
    expect(link).to_be_visible()
    expect(page.locator("#archive-heading + p + p .meta")).to_contain_text("zip")
    assert_accessible(page)
    bag = download_bag(page, link, tmp_path, "idf-bxl-2021-archive")
    assert any(path.startswith("data/reports/") for path in bag.payload_entries())
    db.session.refresh(agreement)
    assert agreement.status == AgreementStatus.ARCHIVED
    page.goto("/agreements/idf-bxl-2021/")
    expect(page.locator("dl.facts")).to_contain_text("archivé")
