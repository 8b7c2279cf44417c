"""The people around one workstream of the Île-de-France ↔ Brussels agreement, for the action tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from tests import factories
from tests.workspace.conftest import world  # noqa: F401 - the pages' small world: an action and the people around it
from tracker.accounts.models import User
from tracker.agreements.models import Agreement, Workstream


@dataclass
class Team:
    agreement: Agreement
    ws: Workstream
    owner: User  # IDF coordinator who owns actions
    idf_lead: User  # IDF co-lead of the workstream
    bxl_lead: User  # BXL co-lead of the workstream
    idf_coordinator: User  # IDF coordinator, neither owner nor co-lead
    bxl_coordinator: User
    reviewer: User  # IDF reviewer
    admin: User  # IDF admin
    outsider: User  # coordinator of a party that did not sign the agreement

    def by_name(self, name: str) -> User:
        return getattr(self, name)


@pytest.fixture
def team(app: Flask) -> Team:
    agreement = factories.load_agreement()
    ws = factories.workstream(agreement, "ECO-DEV")
    factories.make_party("QC", country="CA")
    idf_lead = factories.make_user("IDF", name="Claire Martin")
    bxl_lead = factories.make_user("BXL", name="Pieter Janssens", language="nl")
    factories.make_co_lead(ws, idf_lead)
    factories.make_co_lead(ws, bxl_lead)
    return Team(
        agreement=agreement,
        ws=ws,
        owner=factories.make_user("IDF", name="Amélie Durand"),
        idf_lead=idf_lead,
        bxl_lead=bxl_lead,
        idf_coordinator=factories.make_user("IDF"),
        bxl_coordinator=factories.make_user("BXL"),
        reviewer=factories.make_user("IDF", "reviewer"),
        admin=factories.make_user("IDF", "admin"),
        outsider=factories.make_user("QC"),
    )
