"""`demo load`: named demo accounts and a readable amount of generated activity on one agreement."""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import exists, select

from tracker.accounts.models import Language, Role, User
from tracker.agreements.models import Agreement, Party, Workstream, WorkstreamLead
from tracker.closeout.services import end_due_agreements
from tracker.core import audit, clock
from tracker.core.db import db
from tracker.demo.generator import AgreementPopulator, Counts, Sizes, agreement_with_structure, shared_password_hash
from tracker.reports.models import Report, ReportKind
from tracker.reports.services import generate_report

DEMO_PASSWORD = "demo-password"  # noqa: S105 - shown to people trying the demo; demo accounts only
DEMO_SIZES = Sizes(
    actions=90,
    milestones_per_action=4,
    updates_per_action=4,
    coordinators_per_party=4,
    reviewers_per_party=1,
    admins_per_party=0,
    measurements_per_indicator=4,
)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    party: str
    role: Role
    language: Language


DEMO_ACCOUNTS = (
    DemoAccount("camille.martin@idf.example.org", "Camille Martin", "IDF", Role.COORDINATOR, Language.FR),
    DemoAccount("julien.bernard@idf.example.org", "Julien Bernard", "IDF", Role.COORDINATOR, Language.FR),
    DemoAccount("sophie.leroy@idf.example.org", "Sophie Leroy", "IDF", Role.REVIEWER, Language.FR),
    DemoAccount("admin@idf.example.org", "Admin Île-de-France", "IDF", Role.ADMIN, Language.FR),
    DemoAccount("lotte.peeters@bxl.example.org", "Lotte Peeters", "BXL", Role.COORDINATOR, Language.NL),
    DemoAccount("marc.dubois@bxl.example.org", "Marc Dubois", "BXL", Role.COORDINATOR, Language.FR),
    DemoAccount("an.janssens@bxl.example.org", "An Janssens", "BXL", Role.REVIEWER, Language.NL),
    DemoAccount("admin@bxl.example.org", "Admin Bruxelles", "BXL", Role.ADMIN, Language.EN),
)


class DemoError(Exception):
    pass


@dataclass(frozen=True)
class DemoAccountRow:
    email: str
    name: str
    party: str
    role: str
    co_leads: tuple[str, ...]  # codes of the workstreams the account co-leads


def demo_accounts() -> list[DemoAccountRow]:
    """Return every demo account, the named ones first, with the workstreams each co-leads (two queries)."""
    users = db.session.execute(
        select(User.id, User.email, User.name, Party.code, User.role)
        .join(Party, Party.id == User.party_id)
        .where(User.is_demo.is_(True))
        .order_by(Party.code, User.role, User.email)
    ).all()
    leads: dict[int, list[str]] = {}
    for user_id, code in db.session.execute(
        select(WorkstreamLead.user_id, Workstream.code)
        .join(Workstream, Workstream.id == WorkstreamLead.workstream_id)
        .order_by(Workstream.position)
    ):
        leads.setdefault(user_id, []).append(code)
    named = {a.email: i for i, a in enumerate(DEMO_ACCOUNTS)}
    rows = [DemoAccountRow(u.email, u.name, u.code, str(u.role), tuple(leads.get(u.id, ()))) for u in users]
    return sorted(rows, key=lambda r: (r.email not in named, named.get(r.email, 0), r.party, r.role, r.email))


def demo_loaded() -> bool:
    return bool(db.session.scalar(select(exists().where(User.email == DEMO_ACCOUNTS[0].email))))


def load_demo(slug: str = "idf-bxl-2021", seed: int = 2021) -> Counts:
    """Add the demo accounts and activity to the agreement (flushed; the caller commits)."""
    try:
        agreement = agreement_with_structure(slug)
    except LookupError:
        raise DemoError(f"agreement {slug} is not loaded; run `agreements load` first") from None
    if demo_loaded():
        raise DemoError("demo data is already loaded")
    parties = {s.party.code: s.party for s in agreement.signatories}
    missing = {a.party for a in DEMO_ACCOUNTS} - set(parties)
    if missing:
        raise DemoError(f"agreement {slug} is not signed by {', '.join(sorted(missing))}")
    password_hash = shared_password_hash(DEMO_PASSWORD)
    named = [
        {"email": a.email, "name": a.name, "party_id": parties[a.party].id, "role": a.role, "language": a.language}
        for a in DEMO_ACCOUNTS
    ]
    populator = AgreementPopulator(
        agreement, random.Random(seed), DEMO_SIZES, clock.today(agreement.timezone), password_hash, "example.org"
    )
    people = populator.users(named)
    populator.co_leads(people, lead_pool=2)
    populator.actions(people)
    populator.measurements()
    _as_of_today(agreement)
    audit.record(
        actor=None,
        entity="agreement",
        entity_id=agreement.id,
        verb="demo_load",
        agreement_id=agreement.id,
        comment="demo data",
        changes={"users": populator.counts.users, "actions": populator.counts.actions},
    )
    return populator.counts


def _as_of_today(agreement: Agreement) -> None:
    """Bring an agreement whose end date has passed to where today puts it, as the scheduler would (without mail):
    ended, with its final report generated and waiting for both parties' signatures. Flushes."""
    if not agreement.has_ended(clock.today(agreement.timezone)):
        return
    end_due_agreements()
    final = select(exists().where(Report.agreement_id == agreement.id, Report.kind == ReportKind.FINAL))
    if not db.session.scalar(final):
        db.session.flush()
        generate_report(agreement, "final")
