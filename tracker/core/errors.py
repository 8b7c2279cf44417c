"""Domain errors raised by services; the web layer turns them into pages or problem+json answers."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal a user can understand; `message` is already translated (or lazily translatable)."""

    status = 400
    problem_type = "bad-request"

    def __init__(self, message: Any, **details: Any) -> None:
        super().__init__(str(message))
        self.message = message
        self.details = details


class NotFound(DomainError):
    """The object does not exist, or the user may not know that it exists."""

    status = 404
    problem_type = "not-found"


class PermissionDenied(DomainError):
    """The user sees the object but may not do this to it."""

    status = 403
    problem_type = "forbidden"


class ValidationFailed(DomainError):
    """The input is refused; `errors` maps field names to messages."""

    status = 422
    problem_type = "validation-failed"

    def __init__(self, message: Any, errors: dict[str, list[Any]] | None = None, **details: Any) -> None:
        super().__init__(message, **details)
        self.errors = errors or {}


class Conflict(DomainError):
    """The object changed since the version the user based their edit on."""

    status = 409
    problem_type = "conflict"


class InvalidTransition(DomainError):
    """The lifecycle does not allow this move now, or not for this user."""

    status = 409
    problem_type = "invalid-transition"
