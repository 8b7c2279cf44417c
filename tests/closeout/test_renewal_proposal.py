"""A renewal needs an admin of each party (the service): the first proposes, the other confirms; the proposing
party cannot confirm twice, a successor whose values no longer hold is refused at confirmation and nothing starts."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.factories import load_agreement, make_party, make_user
from tests.helpers import login
from tracker.agreements.models import Agreement
from tracker.closeout import renewal_proposal
from tracker.closeout.models import RenewalProposal
from tracker.core.audit import AuditEntry
from tracker.core.db import db
from tracker.core.errors import InvalidTransition, PermissionDenied, ValidationFailed

VALUES = {"slug": "idf-bxl-2026", "starts_on": date(2026, 9, 23), "ends_on": date(2031, 9, 22)}


@pytest.fixture
def ended(app: Flask, frozen_clock) -> Agreement:
    return load_agreement(ended=True)


def test_the_successor_starts_with_the_second_party_and_each_step_is_audited(ended: Agreement) -> None:
    idf, bxl = make_user("IDF", "admin"), make_user("BXL", "admin")
    step = renewal_proposal.propose(idf, ended, **VALUES)
    db.session.commit()
    assert step.successor is None and [p.code for p in step.waiting_for] == ["BXL"]
    with pytest.raises(InvalidTransition, match="already confirmed"):
        renewal_proposal.confirm(make_user("IDF", "admin"), ended)
    with pytest.raises(InvalidTransition, match="already proposed"):
        renewal_proposal.propose(bxl, ended, **{**VALUES, "slug": "idf-bxl-2027"})
    db.session.rollback()
    step = renewal_proposal.confirm(bxl, ended, signed_on="2026-09-15")
    db.session.commit()
    assert step.successor is not None and step.successor.slug == "idf-bxl-2026" and ended.succeeded_by == step.successor
    assert renewal_proposal.open_proposal(ended) is None
    verbs = db.session.scalars(
        select(AuditEntry.verb).where(AuditEntry.agreement_id == ended.id).order_by(AuditEntry.id)
    ).all()
    assert verbs[-4:] == ["propose_renewal", "confirm_renewal", "confirm_renewal", "renew"]


def test_bad_values_and_people_without_the_right_are_refused(ended: Agreement) -> None:
    idf = make_user("IDF", "admin")
    with pytest.raises(ValidationFailed) as caught:
        renewal_proposal.propose(idf, ended, **{**VALUES, "slug": "idf-bxl-2021"})
    assert "slug" in caught.value.errors
    with pytest.raises(PermissionDenied):
        renewal_proposal.propose(make_user("IDF"), ended, **VALUES)
    with pytest.raises(InvalidTransition, match="No successor is proposed"):
        renewal_proposal.confirm(make_user("BXL", "admin"), ended)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(RenewalProposal)) == 0


def test_the_successor_s_signature_is_never_guessed_the_last_confirmation_needs_it(ended: Agreement) -> None:
    idf, bxl = make_user("IDF", "admin"), make_user("BXL", "admin")
    step = renewal_proposal.propose(idf, ended, **VALUES)  # not signed yet: the proposal leaves the date empty
    db.session.commit()
    assert step.proposal is not None and step.proposal.signed_on is None
    with pytest.raises(ValidationFailed) as missing:
        renewal_proposal.confirm(bxl, ended)
    assert set(missing.value.errors) == {"signed_on"}
    db.session.rollback()
    for wrong in ("2026-11-28", "2021-09-22", "2021-01-01", "15/09/2026"):  # tomorrow, before this one, too early
        with pytest.raises(ValidationFailed) as bad:
            renewal_proposal.confirm(bxl, ended, signed_on=wrong)
        assert set(bad.value.errors) == {"signed_on"}
        db.session.rollback()
    assert ended.succeeded_by is None and renewal_proposal.open_proposal(ended) is not None
    successor = renewal_proposal.confirm(bxl, ended, signed_on="2026-09-10").successor
    db.session.commit()
    assert successor is not None and successor.signed_on == date(2026, 9, 10) != successor.starts_on


def test_a_signature_date_given_with_the_proposal_starts_the_successor_with_it(ended: Agreement) -> None:
    renewal_proposal.propose(make_user("IDF", "admin"), ended, **VALUES, signed_on="2026-09-01")
    db.session.commit()
    successor = renewal_proposal.confirm(make_user("BXL", "admin"), ended).successor
    db.session.commit()
    assert successor is not None and successor.signed_on == date(2026, 9, 1)


def test_a_slug_taken_since_the_proposal_is_refused_at_confirmation(ended: Agreement) -> None:
    renewal_proposal.propose(make_user("IDF", "admin"), ended, **VALUES)
    db.session.commit()
    db.session.add(  # another agreement takes the short name meanwhile
        Agreement(
            slug="idf-bxl-2026",
            title_fr="x",
            title_nl="x",
            title_en="x",
            signed_on=date(2026, 1, 1),
            starts_on=date(2026, 1, 1),
            ends_on=date(2030, 1, 1),
            timezone=ended.timezone,
        )
    )
    db.session.commit()
    with pytest.raises(ValidationFailed, match="already taken"):
        renewal_proposal.confirm(make_user("BXL", "admin"), ended, signed_on=date(2026, 9, 15))
    db.session.rollback()
    assert renewal_proposal.open_proposal(ended) is not None and ended.succeeded_by is None


def test_an_admin_of_a_party_that_did_not_sign_sees_nothing(client: FlaskClient, ended: Agreement) -> None:
    renewal_proposal.propose(make_user("IDF", "admin"), ended, **VALUES)
    db.session.commit()
    make_party("LUX", country="LU")
    login(client, make_user("LUX", "admin").email)
    assert client.get("/agreements/idf-bxl-2021/renew").status_code == 404
    for route in ("confirm", "withdraw"):
        assert client.post(f"/agreements/idf-bxl-2021/renew/{route}").status_code in (400, 404)  # no form, no token
    assert renewal_proposal.open_proposal(ended) is not None
