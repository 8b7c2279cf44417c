"""The role rules every domain asks about a person, whatever the object (e.g. « is this an administrator »).

Rules about one kind of object live with its domain: actions and indicators in `tracker.actions.permissions`,
workstream leads in `tracker.agreements.permissions`, visibility (which agreements a user sees) in
`tracker.agreements.services`.
"""

from __future__ import annotations

from tracker.accounts.models import User


def is_admin(user: User) -> bool:
    """Whether the user is an active administrator (`User.is_admin` is the role alone)."""
    return user.active and user.is_admin
