"""Renewal as an admin does it in the browser: from the ended agreement, « Préparer l’accord suivant », a form with
its defaults, errors on the form, then the new agreement; the moved actions link both ways on their pages."""

from __future__ import annotations

from datetime import date

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.factories import load_agreement, make_action, make_milestone, make_party, make_user, workstream
from tests.forms import submit_form
from tests.helpers import login, logout, text
from tracker.actions.models import Action
from tracker.agreements.models import Agreement
from tracker.closeout import decisions
from tracker.closeout.models import Decision, RenewalProposal
from tracker.core.db import db
from tracker.reports.services import period_of

RENEW = "/agreements/idf-bxl-2021/renew"
N = "\u202f"  # the narrow no-break space of French typography


@pytest.fixture
def ended(app: Flask, frozen_clock) -> Agreement:
    return load_agreement(ended=True)


def _agreements() -> int:
    return int(db.session.scalar(select(func.count(Agreement.id))))


def test_an_admin_starts_the_successor_and_the_carried_over_action_links_both_ways(
    client: FlaskClient, ended: Agreement
) -> None:
    owner = make_user("IDF", language="fr")
    action = make_action(workstream(ended, "ECO-DEV"), owner, title="Mission croisée des incubateurs")
    make_milestone(action, date(2026, 12, 1), title="Deuxième mission")
    decisions.decide(owner, ended, action, Decision.CARRIED_OVER, "À poursuivre")
    db.session.commit()
    admin = make_user("IDF", "admin", language="fr")
    login(client, admin.email)

    assert "Préparer l’accord suivant" in text(client.get("/agreements/idf-bxl-2021/"))
    close_out = text(client.get("/agreements/idf-bxl-2021/close-out"))
    assert f'href="{RENEW}"' in close_out
    page = client.get(RENEW)
    assert page.status_code == 200
    body = text(page)
    assert 'value="idf-bxl-2026"' in body and 'value="2026-09-23"' in body and 'value="2031-09-22"' in body
    assert "1 action reportée y passera, avec ses jalons ouverts." in body

    waiting = submit_form(client, page, fields={"confirm": "y"}, follow_redirects=True)
    assert waiting.request.path == RENEW and _agreements() == 1
    body = text(waiting)
    assert "La confirmation de votre partie est enregistrée" in body and "Bruxelles" in body
    assert "Accord suivant en attente de confirmation" in body and "idf-bxl-2026" in body
    assert "Confirmer l’accord suivant" not in body and "Retirer la proposition" in body  # not twice by one party
    for path in ("/agreements/idf-bxl-2021/", "/agreements/idf-bxl-2021/close-out"):
        assert f"Accord suivant proposé par {admin.name} le " in text(client.get(path))
    logout(client)
    login(client, make_user("BXL", "admin", language="fr").email)
    page = client.get(RENEW)
    assert "Confirmer l’accord suivant" in text(page) and "Refuser la proposition" in text(page)
    assert "date de signature à renseigner" in text(page)
    # The signature date is never guessed: the last confirmation needs it.
    unsigned = submit_form(client, page, action=f"{RENEW}/confirm", fields={"confirm-confirm": "y"})
    assert unsigned.status_code == 422 and _agreements() == 1
    assert "Indiquez la date de signature de l’accord suivant." in text(unsigned)
    response = submit_form(
        client,
        RENEW,
        action=f"{RENEW}/confirm",
        fields={"confirm-confirm": "y", "confirm-signed_on": "2026-09-15"},
        follow_redirects=True,
    )
    assert response.request.path == "/agreements/idf-bxl-2026/"
    landed = text(response)
    assert "L’accord suivant est prêt" in landed and "Succède à" in landed and "2021–2026" in landed
    assert "15 septembre 2026" in landed and ended.succeeded_by.signed_on == date(2026, 9, 15)

    moved = db.session.scalars(select(Action).where(Action.continues_action_id == action.id)).one()
    old_page = text(client.get(f"/actions/{action.id}"))
    assert f"Décision de clôture{N}: reportée" in old_page
    assert f"Poursuivie dans l’accord 2026–2031 comme action n°{N}{moved.id}" in old_page
    assert f'href="/actions/{moved.id}"' in old_page
    assert f"poursuivie comme action n°{N}{moved.id}" in text(client.get("/agreements/idf-bxl-2021/close-out"))
    new_page = text(client.get(f"/actions/{moved.id}"))
    assert (
        f"Suite de l’action n°{N}{action.id} «{N}Mission croisée des incubateurs{N}» de l’accord 2021–2026" in new_page
    )
    assert f'href="/actions/{action.id}"' in new_page and "Deuxième mission" in new_page
    # Renewed once: the page says where the successor is and offers no form.
    again = text(client.get(RENEW))
    assert "a déjà son accord suivant" in again and 'name="slug"' not in again
    assert "Préparer l’accord suivant</a>" not in text(client.get("/agreements/idf-bxl-2021/"))


def test_errors_come_back_on_the_form_and_create_nothing(client: FlaskClient, ended: Agreement) -> None:
    admin = make_user("BXL", "admin", language="fr")
    login(client, admin.email)
    before = _agreements()
    response = submit_form(client, RENEW, fields={"slug": "idf-bxl-2021", "ends_on": "2026-09-01", "confirm": "y"})
    assert response.status_code == 422
    body = text(response)
    assert "Ce nom court est déjà pris." in body and "La date de fin doit suivre la date de début." in body
    response = submit_form(client, RENEW, fields={})
    assert response.status_code == 422 and "Cochez la case pour confirmer." in text(response)
    assert _agreements() == before


def test_an_emptied_or_too_short_title_is_refused_on_the_form_and_the_prefilled_titles_are_kept(
    client: FlaskClient, ended: Agreement
) -> None:
    admin = make_user("BXL", "admin", language="fr")
    login(client, admin.email)
    page = client.get(RENEW)
    form = lxml.html.document_fromstring(text(page))
    assert form.get_element_by_id("title_fr").value == ended.title_fr  # the ended agreement's, to edit
    assert form.get_element_by_id("title_nl").value == ended.title_nl
    before = _agreements()
    response = submit_form(
        client,
        page,
        fields={"slug": "idf-bxl-2026", "signed_on": "2026-11-20", "title_fr": "  ", "title_nl": "B", "confirm": "y"},
    )
    assert response.status_code == 422
    body = text(response)
    assert "Un titre est nécessaire." in body  # never silently the ended agreement's title again
    assert "Un titre de 3 à 300 caractères." in body
    assert _agreements() == before and db.session.scalar(select(func.count()).select_from(RenewalProposal)) == 0


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "L’accord suivant commence au plus tard un an après la fin de celui-ci, le 22 septembre 2027."),
        ("nl", "De opvolger begint uiterlijk een jaar na het einde van deze overeenkomst, op 22 september 2027."),
        ("en", "The successor starts at the latest one year after the end of this agreement, on September 22, 2027."),
    ],
)
def test_a_successor_starting_decades_later_is_refused(
    client: FlaskClient, ended: Agreement, language: str, message: str
) -> None:
    login(client, make_user("BXL", "admin", language=language).email)
    before = _agreements()
    fields = {"slug": "idf-bxl-2099", "starts_on": "2099-12-31", "ends_on": "2099-12-31", "confirm": "y"}
    response = submit_form(client, RENEW, fields=fields)
    assert response.status_code == 422 and message in text(response)
    assert _agreements() == before


def test_the_other_party_declines_or_the_proposer_withdraws_and_nothing_starts(
    client: FlaskClient, ended: Agreement
) -> None:
    idf, bxl = make_user("IDF", "admin", language="fr"), make_user("BXL", "admin", language="fr")
    login(client, idf.email)
    submit_form(client, RENEW, fields={"confirm": "y"})
    logout(client)
    login(client, bxl.email)
    refused = submit_form(client, RENEW, action=f"{RENEW}/confirm", fields={})
    assert refused.status_code == 422 and "Cochez la case pour confirmer." in text(refused)
    declined = submit_form(client, RENEW, action=f"{RENEW}/withdraw", follow_redirects=True)
    assert "L’accord suivant proposé est refusé." in text(declined) and 'name="slug"' in text(declined)
    submit_form(client, RENEW, fields={"slug": "idf-bxl-2027", "confirm": "y"})
    logout(client)
    login(client, idf.email)
    # The proposal is named by its title, as people read it (its slug is only in addresses).
    proposed = db.session.scalars(select(RenewalProposal).where(RenewalProposal.slug == "idf-bxl-2027")).one()
    assert proposed.title_fr in text(client.get("/agreements/idf-bxl-2021/"))
    logout(client)
    login(client, bxl.email)
    withdrawn = submit_form(client, RENEW, action=f"{RENEW}/withdraw", follow_redirects=True)
    assert "L’accord suivant proposé est retiré." in text(withdrawn)
    assert "Accord suivant proposé" not in text(client.get("/agreements/idf-bxl-2021/close-out"))
    assert _agreements() == 1
    history = text(client.get("/admin/audit"))
    assert "Accord suivant proposé" in history and "Proposition d’accord suivant refusée" in history
    assert "Proposition d’accord suivant retirée" in history


def test_only_admins_of_a_signatory_party_see_the_page(client: FlaskClient, ended: Agreement) -> None:
    login(client, make_user("BXL", "coordinator", language="fr").email)
    assert client.get(RENEW).status_code == 403
    assert "Préparer l’accord suivant" not in text(client.get("/agreements/idf-bxl-2021/close-out"))
    logout(client)
    make_party("LUX", country="LU")
    login(client, make_user("LUX", "admin", language="fr").email)
    assert client.get(RENEW).status_code == 404


def test_an_agreement_in_force_offers_no_renewal(client: FlaskClient, app: Flask, frozen_clock) -> None:
    load_agreement()
    login(client, make_user("IDF", "admin", language="fr").email)
    assert "Préparer l’accord suivant" not in text(client.get("/agreements/idf-bxl-2021/"))
    body = text(client.get(RENEW))
    assert "L’accord est en vigueur" in body and 'name="slug"' not in body


def test_once_renewed_a_new_action_in_the_ended_agreement_is_pointed_to_the_successor(
    client: FlaskClient, ended: Agreement
) -> None:
    login(client, make_user("IDF", "admin", language="fr").email)
    submit_form(client, RENEW, fields={"confirm": "y"})
    logout(client)
    login(client, make_user("BXL", "admin", language="fr").email)
    submit_form(
        client, RENEW, action=f"{RENEW}/confirm", fields={"confirm-confirm": "y", "confirm-signed_on": "2026-09-15"}
    )
    response = client.get("/agreements/idf-bxl-2021/workstreams/CULTURE/actions/new")  # the refusal, no form
    assert response.status_code == 200 and 'name="title"' not in text(response)
    successor = db.session.scalars(select(Agreement).where(Agreement.slug == "idf-bxl-2026")).one()
    assert f"une nouvelle action a sa place dans l’accord qui lui succède, {successor.title_fr}." in text(response)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "the successor starts once Brussels-Capital Region confirms it."),
        ("fr", f"La confirmation de votre partie est enregistrée{N}; l’accord suivant démarre dès que"),
        ("nl", "zodra Brussels Hoofdstedelijk Gewest ze bevestigt."),
    ],
)
def test_the_proposal_says_in_good_grammar_which_party_still_confirms(
    client: FlaskClient, ended: Agreement, language: str, expected: str
) -> None:
    login(client, make_user("IDF", "admin", language=language).email)
    waiting = text(submit_form(client, RENEW, fields={"confirm": "y"}, follow_redirects=True))
    assert expected in waiting
    assert "confirm it." not in waiting and "ze bevestigen." not in waiting  # one party waited for: singular


@pytest.mark.parametrize(
    ("language", "future", "too_early"),
    [
        (
            "fr",
            f"Une date de signature ne peut pas être dans le futur{N}: nous sommes le 27 novembre 2026.",
            "L’accord suivant ne peut pas avoir été signé avant celui-ci, signé le 23 septembre 2021.",
        ),
        (
            "nl",
            "Een datum van ondertekening kan niet in de toekomst liggen: vandaag is het 27 november 2026.",
            "De volgende overeenkomst kan niet vóór deze ondertekend zijn; deze werd ondertekend op 23 september 2021.",
        ),
        (
            "en",
            "A date of signature cannot be in the future: today is November 27, 2026.",
            "The successor cannot have been signed before this agreement, which was signed on September 23, 2021.",
        ),
    ],
)
def test_the_successor_signed_today_with_retroactive_effect_starts_a_future_or_too_early_date_is_refused(
    client: FlaskClient, ended: Agreement, language: str, future: str, too_early: str
) -> None:
    login(client, make_user("IDF", "admin", language=language).email)
    submit_form(client, RENEW, fields={"confirm": "y"})  # the default start: 2026-09-23, two months ago
    logout(client)
    login(client, make_user("BXL", "admin", language=language).email)
    for signed_on, message in (("2026-11-28", future), ("2021-09-22", too_early)):
        refused = submit_form(
            client, RENEW, action=f"{RENEW}/confirm", fields={"confirm-confirm": "y", "confirm-signed_on": signed_on}
        )
        assert refused.status_code == 422 and message in text(refused) and _agreements() == 1
    signed_today = submit_form(
        client,
        RENEW,
        action=f"{RENEW}/confirm",
        fields={"confirm-confirm": "y", "confirm-signed_on": "2026-11-27"},  # today, after the successor's start
        follow_redirects=True,
    )
    assert signed_today.request.path == "/agreements/idf-bxl-2026/"
    successor = db.session.scalars(select(Agreement).where(Agreement.slug == "idf-bxl-2026")).one()
    assert (successor.starts_on, successor.signed_on) == (date(2026, 9, 23), date(2026, 11, 27))
    assert period_of(successor, "Y1").start == date(2026, 9, 23)  # its agreement years cover the whole term
