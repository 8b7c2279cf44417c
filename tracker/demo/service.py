"""`demo load`: named demo accounts and a readable amount of generated activity on one agreement."""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import exists, select

from tracker.accounts.models import Language, Party, Role, User
from tracker.agreements.models import Agreement, Workstream, WorkstreamLead
from tracker.closeout.services import end_due_agreements
from tracker.core import audit, clock
from tracker.core.db import db
from tracker.demo import narratives
from tracker.demo.generator import AgreementPopulator, Counts, Sizes, agreement_with_structure, shared_password_hash
from tracker.reports.models import Report, ReportKind
from tracker.reports.narratives.models import NARRATIVE_LANGUAGES, Narrative, NarrativeVersion
from tracker.reports.services import generate_report

FINAL_PERIOD = "final"  # the final report's period key (tracker.reports.periods)
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
    function: str  # job title, shown beside a signature


DEMO_ACCOUNTS = (
    DemoAccount(
        "camille.martin@idf.example.org",
        "Camille Martin",
        "IDF",
        Role.COORDINATOR,
        Language.FR,
        "Chargée de mission coopération européenne",
    ),
    DemoAccount(
        "julien.bernard@idf.example.org",
        "Julien Bernard",
        "IDF",
        Role.COORDINATOR,
        Language.FR,
        "Chef de projet développement économique",
    ),
    DemoAccount(
        "sophie.leroy@idf.example.org",
        "Sophie Leroy",
        "IDF",
        Role.REVIEWER,
        Language.FR,
        "Directrice des affaires européennes et internationales",
    ),
    DemoAccount(
        "admin@idf.example.org", "Admin Île-de-France", "IDF", Role.ADMIN, Language.FR, "Administrateur fonctionnel"
    ),
    DemoAccount(
        "lotte.peeters@bxl.example.org",
        "Lotte Peeters",
        "BXL",
        Role.COORDINATOR,
        Language.NL,
        "Attaché bilaterale betrekkingen, Brussels International",
    ),
    DemoAccount(
        "marc.dubois@bxl.example.org",
        "Marc Dubois",
        "BXL",
        Role.COORDINATOR,
        Language.FR,
        "Conseiller relations bilatérales, Brussels International",
    ),
    DemoAccount(
        "an.janssens@bxl.example.org",
        "An Janssens",
        "BXL",
        Role.REVIEWER,
        Language.NL,
        "Directeur-generaal, Brussels International",
    ),
    DemoAccount("admin@bxl.example.org", "Admin Bruxelles", "BXL", Role.ADMIN, Language.NL, "Functioneel beheerder"),
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
        {
            "email": a.email,
            "name": a.name,
            "party_id": parties[a.party].id,
            "role": a.role,
            "language": a.language,
            "function": a.function,
        }
        for a in DEMO_ACCOUNTS
    ]
    populator = AgreementPopulator(
        agreement, random.Random(seed), DEMO_SIZES, clock.today(agreement.timezone), password_hash, "example.org"
    )
    people = populator.users(named)
    leads = populator.co_leads(people, lead_pool=2)
    populator.actions(people)
    populator.measurements()
    _final_report_texts(agreement, people, leads)
    _as_of_today(agreement)
    audit.record(
        actor=None,
        entity="agreement",
        entity_id=agreement.id,
        verb="demo_load",
        agreement_id=agreement.id,
        changes={"users": populator.counts.users, "actions": populator.counts.actions},
    )
    return populator.counts


def _final_report_texts(
    agreement: Agreement, people: dict[str, dict[Role, list[int]]], leads: dict[tuple[int, int], int]
) -> None:
    """Write the final report's texts as the demo's people would have: the executive summary by the admin of the
    first party, each workstream's assessment by its co-lead of that party; one version each, marked as demo
    (tracker/demo/narratives.py; one workstream has no Dutch). Flushes; two queries and two inserts."""
    first = agreement.signatories[0].party
    author_ids = {people[first.code][Role.ADMIN][0]} | {leads[(ws.id, first.id)] for ws in agreement.workstreams}
    names = {row.id: row.name for row in db.session.execute(select(User.id, User.name).where(User.id.in_(author_ids)))}
    subjects: list[tuple[int | None, int, dict[str, str]]] = [
        (None, people[first.code][Role.ADMIN][0], narratives.SUMMARY)
    ]
    subjects += [
        (ws.id, leads[(ws.id, first.id)], narratives.WORKSTREAMS[ws.code])
        for ws in agreement.workstreams
        if ws.code in narratives.WORKSTREAMS
    ]
    now = clock.now()
    rows = [
        Narrative(
            agreement_id=agreement.id,
            period=FINAL_PERIOD,
            workstream_id=workstream_id,
            versions_count=1,
            updated_by_id=author_id,
            is_demo=True,
            **{f"text_{lang}": texts.get(lang, "") for lang in NARRATIVE_LANGUAGES},
        )
        for workstream_id, author_id, texts in subjects
    ]
    db.session.add_all(rows)
    db.session.flush()
    db.session.add_all(
        NarrativeVersion(
            narrative_id=row.id,
            number=1,
            author_id=author_id,
            author_name=names[author_id],
            saved_at=now,
            **{f"text_{lang}": getattr(row, f"text_{lang}") for lang in NARRATIVE_LANGUAGES},
        )
        for row, (_, author_id, _texts) in zip(rows, subjects, strict=True)
    )
    db.session.flush()


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
