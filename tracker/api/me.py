"""The caller's own account and the token it is using (`/me`)."""

from __future__ import annotations

from typing import Any, Literal

from flask import g

from tracker.api.blueprint import Route
from tracker.api.common import current_api_user
from tracker.api.schemas import ApiModel, Instant, PartyOut, answer
from tracker.api.spec import responses, spec


class Me(ApiModel):
    id: int
    email: str
    name: str
    party: PartyOut
    role: Literal["admin", "coordinator", "reviewer"]
    language: Literal["fr", "en", "nl"]
    token_name: str
    token_scope: Literal["read", "write"]
    token_expires_at: Instant | None


@spec.validate(resp=responses(HTTP_200=Me), tags=["me"])
def me() -> dict[str, Any]:
    """Your account and the token you are using."""
    user, token = current_api_user(), g.api_token
    body = Me(
        id=user.id,
        email=user.email,
        name=user.name,
        party=PartyOut.of(user.party),
        role=str(user.role),
        language=str(user.language),
        token_name=token.name,
        token_scope=str(token.scope),
        token_expires_at=token.expires_at,
    )
    return answer(body)


# This resource's routes, which its domain's init_app declares on the API blueprint.
ROUTES: tuple[Route, ...] = (("/me", me, ("GET",)),)
