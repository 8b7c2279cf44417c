"""What an admin does to the people of their party: list and search, invite, change role, language and digest,
deactivate a person who left (handing what they owned or co-led to a colleague), name workstream co-leads.

Every verb takes the admin first, checks that the person belongs to the admin's party (NotFound otherwise:
another party's people do not exist for them), writes audit entries and flushes; the caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from tracker.accounts import links
from tracker.accounts.models import DigestFrequency, Language, Role, User, new_session_token
from tracker.accounts.permissions import is_admin
from tracker.accounts.services import USER_AUDIT_FIELDS, clean_function, create_user, revoke_api_tokens
from tracker.actions.lifecycle import CLOSED_STATUSES
from tracker.actions.models import Action
from tracker.agreements.models import READ_ONLY_STATUSES, Agreement, Workstream, WorkstreamLead
from tracker.agreements.services import visible_agreement_ids, workstream_visible_to
from tracker.core import audit, clock
from tracker.core.db import db
from tracker.core.errors import NotFound, PermissionDenied, ValidationFailed
from tracker.core.pagination import Page, paginate
from tracker.mail.outbox import queue_mail
from tracker.mail.render import link


def _require_admin(user: User) -> None:
    if not is_admin(user):
        raise PermissionDenied(_l("Only administrators manage people."))


def list_people(admin: User, query: str, page: int, per_page: int) -> Page[User]:
    """Return one page of the admin's party's people, active first then by name; `query` searches names and emails."""
    _require_admin(admin)
    statement = select(User).where(User.party_id == admin.party_id)
    words = (query or "").strip().lower()[:100]
    if words:
        pattern = "%" + words.replace("\\", "").replace("%", "").replace("_", "") + "%"
        statement = statement.where(or_(func.lower(User.name).like(pattern), func.lower(User.email).like(pattern)))
    return paginate(statement.order_by(User.active.desc(), User.name, User.id), page, per_page)


def get_person(admin: User, person_id: int) -> User:
    """Return a person of the admin's party; another party's people do not exist for them."""
    _require_admin(admin)
    person = db.session.scalar(select(User).where(User.id == person_id, User.party_id == admin.party_id))
    if person is None:
        raise NotFound(_l("This person does not exist, or you may not see them."))
    return person


def invite(admin: User, *, email: str, name: str, role: str, language: str) -> User:
    """Create the account of a person of the admin's party, without a password, and mail them the link to set it."""
    _require_admin(admin)
    person = create_user(email=email, name=name, party_code=admin.party.code, role=role, language=language, by=admin)
    send_invitation(admin, person)
    return person


def send_invitation(admin: User, person: User) -> None:
    """Queue (again) the invitation mail, with a link valid for 7 days and once."""
    url = link(f"/welcome/{links.make_token(person, 'invitation')}")
    key = f"invitation:{person.id}:{clock.now().isoformat()}"
    queue_mail(
        to=person, template="people/mail/invitation", context={"invited_by": admin.name, "url": url}, dedupe_key=key
    )


def update_person(
    admin: User, person: User, *, role: str, language: str, digest: str, function: str | None = None
) -> None:
    """Change a person's function (when given), role, language and digest; an admin never changes their own role.

    ValidationFailed (errors by field) on an unknown role, language or digest or a function over 200 characters."""
    _require_admin(admin)
    if person.party_id != admin.party_id:
        raise NotFound(_l("This person does not exist, or you may not see them."))
    errors: dict[str, list[Any]] = {}
    if role not in {r.value for r in Role}:
        errors["role"] = [_l("Unknown role %(role)s.", role=role)]
    elif person.id == admin.id and role != person.role:
        errors["role"] = [_l("You cannot change your own role: ask another administrator of your party.")]
    if language not in {lang.value for lang in Language}:
        errors["language"] = [_l("Unknown language %(lang)s.", lang=language)]
    if digest not in {d.value for d in DigestFrequency}:
        errors["digest"] = [_l("Unknown choice.")]
    if function is not None and len(" ".join(function.split())) > 200:
        errors["function"] = [_l("At most 200 characters.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors)
    before = audit.snapshot(person, USER_AUDIT_FIELDS)
    person.role, person.language, person.digest = Role(role), Language(language), DigestFrequency(digest)
    if function is not None:
        person.function = clean_function(function)
    db.session.flush()
    changes = audit.diff(before, audit.snapshot(person, USER_AUDIT_FIELDS))
    if changes:
        audit.record(actor=admin, entity="user", entity_id=person.id, verb="update", changes=changes)


@dataclass(frozen=True)
class Holdings:
    """What a person owns or co-leads: open actions and workstreams."""

    actions: Sequence[Action]
    co_leads: Sequence[WorkstreamLead]

    @property
    def empty(self) -> bool:
        return not self.actions and not self.co_leads


def holdings(admin: User, person: User) -> Holdings:
    """Return the open actions the person owns and the workstreams they co-lead (two queries); those of closed
    agreements stay as they were (read-only, tracker/closeout/readonly.py)."""
    _require_admin(admin)
    changeable = Workstream.agreement_id.in_(select(Agreement.id).where(Agreement.status.not_in(READ_ONLY_STATUSES)))
    actions = db.session.scalars(
        select(Action)
        .join(Workstream, Workstream.id == Action.workstream_id)
        .where(Action.owner_id == person.id, Action.status.not_in(CLOSED_STATUSES), changeable)
        .options(joinedload(Action.workstream).joinedload(Workstream.agreement))
        .order_by(Action.id)
    ).all()
    co_leads = db.session.scalars(
        select(WorkstreamLead)
        .join(Workstream, Workstream.id == WorkstreamLead.workstream_id)
        .where(WorkstreamLead.user_id == person.id, changeable)
        .options(joinedload(WorkstreamLead.workstream).joinedload(Workstream.agreement))
    ).all()
    return Holdings(actions, co_leads)


def _colleague(admin: User, candidate_id: Any, *, not_id: int | None = None) -> User:
    """Return an active coordinator or admin of the admin's party (not `not_id`), or raise ValidationFailed."""
    try:
        wanted = int(candidate_id)
    except (TypeError, ValueError):
        wanted = 0
    successor = db.session.get(User, wanted) if 0 < wanted < 2**31 else None
    if (
        successor is None
        or successor.id == not_id
        or successor.party_id != admin.party_id
        or not successor.active
        or successor.role == Role.REVIEWER
    ):
        message = _l("Choose an active coordinator or administrator of your party.")
        raise ValidationFailed(message, {"successor": [message]})
    return successor


def deactivate(admin: User, person: User, *, successor_id: Any = None) -> Holdings:
    """Deactivate a person who left: sessions, API tokens and calendar feed die at once; what they owned or
    co-led goes to the successor (required when there is something to hand over). Returns what was handed."""
    _require_admin(admin)
    if person.party_id != admin.party_id:
        raise NotFound(_l("This person does not exist, or you may not see them."))
    if person.id == admin.id:
        raise ValidationFailed(_l("You cannot deactivate yourself."), {})
    handed = holdings(admin, person)
    successor = _colleague(admin, successor_id, not_id=person.id) if not handed.empty else None
    for action in handed.actions:
        action.owner_id = successor.id  # type: ignore[union-attr]
        audit.record(
            actor=admin,
            entity="action",
            entity_id=action.id,
            verb="update",
            changes={"owner_id": [person.id, action.owner_id]},
            agreement_id=action.workstream.agreement_id,
        )
    for lead in handed.co_leads:
        lead.user_id = successor.id  # type: ignore[union-attr]
        audit.record(
            actor=admin,
            entity="workstream",
            entity_id=lead.workstream_id,
            verb="update",
            changes={"co_lead": [person.name, successor.name]},  # type: ignore[union-attr]
            agreement_id=lead.workstream.agreement_id,
        )
    person.active = False
    person.session_token = new_session_token()
    person.feed_token = new_session_token()
    revoke_api_tokens(person)
    db.session.flush()
    audit.record(
        actor=admin,
        entity="user",
        entity_id=person.id,
        verb="deactivate",
        changes={"active": [True, False], "handed_to": successor.name if successor else None},
    )
    return handed


def co_lead_choices(admin: User) -> Sequence[User]:
    """Return the people of the admin's party who may co-lead a workstream (active coordinators and admins)."""
    _require_admin(admin)
    return db.session.scalars(
        select(User)
        .where(User.party_id == admin.party_id, User.active.is_(True), User.role != Role.REVIEWER)
        .order_by(User.name)
    ).all()


def workstreams_with_leads(admin: User) -> Sequence[Workstream]:
    """Return the workstreams of the agreements the admin's party signed, with their co-leads (two queries)."""
    _require_admin(admin)
    return (
        db.session.scalars(
            select(Workstream)
            .join(Agreement)
            .where(Agreement.id.in_(visible_agreement_ids(admin)))
            .options(joinedload(Workstream.agreement), joinedload(Workstream.leads).joinedload(WorkstreamLead.user))
            .order_by(Agreement.slug, Workstream.position)
        )
        .unique()
        .all()
    )


def set_co_lead(admin: User, workstream_id: int, person_id: Any) -> None:
    """Name the co-lead of the admin's party for a workstream of an agreement the party signed."""
    _require_admin(admin)
    workstream = db.session.scalar(
        select(Workstream).where(Workstream.id == workstream_id, workstream_visible_to(admin))
    )
    if workstream is None:
        raise NotFound(_l("This workstream does not exist, or you may not see it."))
    person = _colleague(admin, person_id)
    lead = db.session.get(WorkstreamLead, (workstream.id, admin.party_id))
    old = lead.user.name if lead else None
    if lead is None:
        db.session.add(WorkstreamLead(workstream_id=workstream.id, party_id=admin.party_id, user_id=person.id))
    elif lead.user_id == person.id:
        return
    else:
        lead.user_id = person.id
    db.session.flush()
    audit.record(
        actor=admin,
        entity="workstream",
        entity_id=workstream.id,
        verb="update",
        changes={"co_lead": [old, person.name]},
        agreement_id=workstream.agreement_id,
    )
