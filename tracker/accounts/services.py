"""Account verbs: create, authenticate, change password, end sessions, tokens."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.accounts.models import (
    ApiToken,
    DigestFrequency,
    Language,
    Party,
    Role,
    TokenScope,
    User,
    new_session_token,
)
from tracker.core import audit, clock
from tracker.core.db import db
from tracker.core.errors import ValidationFailed

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 10
# Checked against when the email is unknown, so that both failures take the same time.


@cache
def _dummy_hash() -> str:
    """A hash to check unknown emails against (same time as a wrong password); made on first use, not at import."""
    return generate_password_hash("not-a-real-password-" + secrets.token_hex(8))


USER_AUDIT_FIELDS = ("email", "name", "function", "party_id", "role", "language", "digest", "digest_hour", "active")


def normalize_email(raw: str) -> str:
    """Return the address in canonical form, or raise ValidationFailed with a message in the reader's language.

    The part before the @ must be ASCII (allow_smtputf8=False): mail relays without SMTPUTF8, which the outbox
    does not require, could never deliver to « élodie@… », so it is refused here rather than failing in the outbox.
    """
    from email_validator import EmailNotValidError, validate_email  # on first use: it loads idna's tables

    try:
        checked = validate_email((raw or "").strip(), check_deliverability=False, allow_smtputf8=False)
        # An accented domain is kept in its ASCII form (punycode), which every relay can deliver to.
        return str(checked.ascii_email or checked.normalized).lower()
    except EmailNotValidError as exc:
        reason = _l(
            "Write the address as name@example.org: one @, a domain with a dot, no space, and no accented letter "
            "before the @."
        )
        raise ValidationFailed(_l("This email address is not valid."), {"email": [reason]}) from exc


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def find_party(code: str | None) -> Party | None:
    """Return the party with this code (spaces around and case ignored), or None. The one lookup of a party by
    its code (account creation, the API's lead party)."""
    return db.session.scalar(select(Party).where(Party.code == (code or "").strip().upper()))


def check_password_strength(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            _l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            {"password": [_l("Too short.")]},
        )


def create_user(
    *,
    email: str,
    name: str,
    party_code: str,
    role: str,
    password: str | None = None,
    language: str = "fr",
    is_demo: bool = False,
    by: User | None = None,
) -> User:
    """Create an account (flushed, not committed) and return it."""
    email = normalize_email(email)
    name = (name or "").strip()
    errors: dict[str, list[object]] = {}
    if not name or len(name) > 200:
        errors["name"] = [_l("A name of 1 to 200 characters is needed.")]
    party = find_party(party_code)
    if party is None:
        errors["party"] = [_l("Unknown party %(code)s.", code=party_code)]
    if role not in {r.value for r in Role}:
        errors["role"] = [_l("Unknown role %(role)s.", role=role)]
    if language not in {lang.value for lang in Language}:
        errors["language"] = [_l("Unknown language %(lang)s.", lang=language)]
    if find_by_email(email) is not None:
        errors["email"] = [_l("An account with this email already exists.")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, errors)
    if password is not None:
        check_password_strength(password)
    assert party is not None
    user = User(
        email=email,
        name=name,
        party=party,
        role=Role(role),
        language=Language(language),
        digest=DigestFrequency.DAILY,
        password_hash=generate_password_hash(password) if password else None,
        is_demo=is_demo,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor=by, entity="user", entity_id=user.id, verb="create", changes=audit.snapshot(user, USER_AUDIT_FIELDS)
    )
    log.info("created user %s (%s, %s)", user.email, party.code, role)
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None (same work for every failure)."""
    user = find_by_email(email or "")
    if user is None or not user.active or not user.password_hash:
        check_password_hash(_dummy_hash(), password or "")
        return None
    if not check_password_hash(user.password_hash, password or ""):
        return None
    user.last_login_at = clock.now()
    return user


def end_all_sessions(user: User) -> None:
    """Rotate the token that login sessions and remember-me cookies carry, ending all of them."""
    user.session_token = new_session_token()


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; every session of the user ends."""
    if not user.password_hash or not check_password_hash(user.password_hash, current or ""):
        raise ValidationFailed(_l("The current password is not correct."), {"current_password": [_l("Not correct.")]})
    check_password_strength(new)
    user.password_hash = generate_password_hash(new)
    end_all_sessions(user)
    revoke_api_tokens(user)
    audit.record(actor=user, entity="user", entity_id=user.id, verb="change_password")


def set_password(user: User, new: str, by: User | None = None) -> None:
    check_password_strength(new)
    user.password_hash = generate_password_hash(new)
    end_all_sessions(user)
    revoke_api_tokens(user)
    audit.record(actor=by, entity="user", entity_id=user.id, verb="set_password")


def revoke_api_tokens(user: User) -> None:
    """Revoke every API token of the user now (a new password, a departure): scripts must get new ones."""
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )


def clean_function(function: str | None) -> str:
    """Return a function (job title) as kept: trimmed, inner runs of spaces as one; ValidationFailed past 200."""
    function = " ".join((function or "").split())
    if len(function) > 200:
        raise ValidationFailed(
            _l("A function of at most 200 characters, please."), {"function": [_l("At most 200 characters.")]}
        )
    return function


def update_profile(
    user: User, *, name: str, language: str, digest: str, digest_hour: int, function: str | None = None
) -> None:
    """Change the user's own name, function (when given), language and digest; audited."""
    before = audit.snapshot(user, USER_AUDIT_FIELDS)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ValidationFailed(_l("A name of 1 to 200 characters is needed."), {"name": [_l("Required.")]})
    user.name = name
    if function is not None:
        user.function = clean_function(function)
    user.language = Language(language)
    user.digest = DigestFrequency(digest)
    user.digest_hour = digest_hour
    changes = audit.diff(before, audit.snapshot(user, USER_AUDIT_FIELDS))
    if changes:
        audit.record(actor=user, entity="user", entity_id=user.id, verb="update", changes=changes)


def set_language(user: User, language: str) -> None:
    if language in {lang.value for lang in Language} and user.language != language:
        before = user.language
        user.language = Language(language)
        audit.record(
            actor=user, entity="user", entity_id=user.id, verb="update", changes={"language": [before, language]}
        )


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def create_api_token(
    user: User, *, name: str = "cli", scope: str = "write", expires_in_days: int | None = 365
) -> tuple[ApiToken, str]:
    """Create a personal API token and return it with its plaintext, which is never stored."""
    if scope not in {s.value for s in TokenScope}:
        raise ValidationFailed(_l("Unknown scope %(scope)s.", scope=scope), {"scope": [_l("Unknown.")]})
    name = (name or "").strip() or "token"
    plaintext = "trk_" + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name[:100],
        token_hash=hash_token(plaintext),
        prefix=plaintext[:10],
        scope=TokenScope(scope),
        created_at=clock.now(),
        expires_at=clock.now() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        actor=user, entity="api_token", entity_id=token.id, verb="create", changes={"name": token.name, "scope": scope}
    )
    return token, plaintext


def user_for_token(plaintext: str) -> tuple[User, ApiToken] | None:
    """Return the user and token for a bearer token that is valid now, else None."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plaintext or "")))
    if token is None or not token.is_usable(clock.now()):
        return None
    return token.user, token
