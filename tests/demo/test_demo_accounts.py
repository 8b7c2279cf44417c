"""`demo load` lists every demo account it created, with its party, role and the workstreams it co-leads."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from tests import factories
from tracker.accounts.models import User
from tracker.agreements.models import Workstream, WorkstreamLead
from tracker.core.db import db


def test_demo_load_lists_every_demo_account_with_what_it_co_leads(app: Flask, frozen_clock) -> None:
    factories.load_agreement()
    output = app.test_cli_runner().invoke(args=["demo", "load"]).output
    users = list(db.session.scalars(select(User).where(User.is_demo.is_(True))))
    assert len(users) > 8 and f"{len(users)} demo accounts" in output
    lines = {line.split()[0]: line for line in output.splitlines() if "@" in line}
    assert set(lines) == {u.email for u in users}
    for user in users:
        assert user.name in lines[user.email] and user.party.code in lines[user.email]
    for lead, code in db.session.execute(
        select(WorkstreamLead.user_id, Workstream.code).join(Workstream, Workstream.id == WorkstreamLead.workstream_id)
    ):
        email = db.session.get(User, lead).email
        assert "co-leads" in lines[email] and code in lines[email]
    assert "all listed above" not in output
