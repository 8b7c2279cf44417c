"""Lifecycles as tables: states, and transitions each with a guard (who, when) and an effect.

A domain declares a `Lifecycle` for a model and registers it from its `init_app(app)`; services then call
`transition(obj, to, by=user, comment=...)` and views or the API ask `available_transitions(obj, user)`.
Every move writes an audit entry (who, when, from, to, comment) in the caller's transaction.

Guards return `None` when they pass, or the reason (translated text) when they refuse:
- `who` decides whether the user may make this move at all: a refused one is not offered (403 if tried);
- `when` holds conditions on the object: a refused one may be shown with its reason (409 if tried); a lifecycle's
  own `when` holds those every one of its transitions checks first (e.g. an action carried over no longer moves).
A transition with `completes` is a collective decision (e.g. one approval per party): its effect runs
each time, and the state moves only once `completes(obj)` holds afterwards.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from tracker.core import audit
from tracker.core.audit import Actor
from tracker.core.db import db
from tracker.core.errors import InvalidTransition, PermissionDenied, ValidationFailed

# A guard receives the object and the acting user (a domain's model: its guards read the user's role and links).
Guard = Callable[[Any, Any], Any]
# An effect receives the object, the user, the comment and the transition's extra data; it may return
# extra changes ({field: [old, new]} or {field: value}) for the audit entry.
Effect = Callable[..., Mapping[str, Any] | None]

MAX_COMMENT_LENGTH = 2000


class CommentNeed(enum.StrEnum):
    NONE = "none"
    OPTIONAL = "optional"
    REQUIRED = "required"


@dataclass(frozen=True)
class Input:
    """A value a transition asks for besides the comment (e.g. a completion date), passed to its effect."""

    name: str
    label: Any
    kind: str = "text"  # the HTML input type: text, date, url
    required: bool = False
    default: Callable[[Any], str] | None = None


@dataclass(frozen=True)
class Transition:
    """One move of a lifecycle, from any of `sources` to `target`."""

    name: str
    sources: tuple[str, ...]
    target: str
    label: Any
    who: Guard
    when: tuple[Guard, ...] = ()
    effect: Effect | None = None
    comment: CommentNeed = CommentNeed.NONE
    comment_label: Any = None
    completes: Callable[[Any], bool] | None = None
    inputs: tuple[Input, ...] = ()
    # "primary", "secondary" or "danger": how prominent the control is.
    style: str = "secondary"


@dataclass(frozen=True)
class Option:
    """A transition offered to a user now: `blocked` holds the reason it cannot be made yet, if any."""

    transition: Transition
    blocked: str | None = None

    @property
    def name(self) -> str:
        return self.transition.name

    @property
    def to(self) -> str:
        return self.transition.target

    @property
    def label(self) -> str:
        return str(self.transition.label)

    @property
    def comment(self) -> CommentNeed:
        return self.transition.comment

    @property
    def comment_label(self) -> str:
        return str(self.transition.comment_label or _l("Comment"))

    @property
    def inputs(self) -> tuple[Input, ...]:
        return self.transition.inputs

    @property
    def allowed(self) -> bool:
        return self.blocked is None


@dataclass(frozen=True)
class Outcome:
    """What `transition()` did: the transition taken, and whether the state moved."""

    transition: Transition
    source: str
    moved: bool
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass
class Lifecycle:
    """The table of one model's states and transitions, and how to audit them."""

    entity: str
    states: tuple[str, ...]
    transitions: tuple[Transition, ...]
    state_attr: str = "status"
    agreement_id: Callable[[Any], int | None] = lambda _obj: None
    state_labels: Mapping[str, Any] = field(default_factory=dict)
    # Conditions on the object that every transition checks before its own `when`.
    when: tuple[Guard, ...] = ()

    def __post_init__(self) -> None:
        seen: set[tuple[str, str]] = set()
        for t in self.transitions:
            for source in t.sources:
                if source not in self.states or t.target not in self.states:
                    raise ValueError(f"{self.entity}: transition {t.name} uses an unknown state")
                if (source, t.target) in seen:
                    raise ValueError(f"{self.entity}: two transitions from {source} to {t.target}")
                seen.add((source, t.target))

    def state_of(self, obj: Any) -> str:
        return str(getattr(obj, self.state_attr))

    def state_label(self, state: str) -> str:
        return str(self.state_labels.get(state, state))

    def find(self, obj: Any, to: str) -> Transition | None:
        """Return the transition from the object's current state to `to`, if the table has one."""
        state = self.state_of(obj)
        return next((t for t in self.transitions if state in t.sources and t.target == to), None)

    def by_name(self, obj: Any, name: str) -> Transition | None:
        """Return the transition named `name` from the object's current state, if any."""
        state = self.state_of(obj)
        return next((t for t in self.transitions if state in t.sources and t.name == name), None)

    def options(self, obj: Any, user: Actor) -> list[Option]:
        """Return the transitions the user may make from the current state, with why any is blocked."""
        state = self.state_of(obj)
        offered = []
        for t in self.transitions:
            if state not in t.sources or t.who(obj, user) is not None:
                continue
            offered.append(Option(t, _first_refusal(self.when + t.when, obj, user)))
        return offered

    def apply(self, obj: Any, transition: Transition, by: Actor, comment: str | None = None, **data: Any) -> Outcome:
        """Check the guards, run the effect, move the state and write the audit entry; flushes."""
        source = self.state_of(obj)
        if source not in transition.sources:
            raise InvalidTransition(
                _l(
                    "This is no longer possible: the status is now “%(state)s”.",
                    state=self.state_label(source),
                )
            )
        refusal = transition.who(obj, by)
        if refusal is not None:
            raise PermissionDenied(refusal)
        comment = _clean_comment(transition, comment)
        blocked = _first_refusal(self.when + transition.when, obj, by)
        if blocked is not None:
            raise InvalidTransition(blocked)
        changes: dict[str, Any] = {}
        if transition.effect is not None:
            changes.update(transition.effect(obj, by, comment, **data) or {})
        moved = transition.completes is None or transition.completes(obj)
        if moved and source != transition.target:
            setattr(obj, self.state_attr, type(getattr(obj, self.state_attr))(transition.target))
            changes[self.state_attr] = [source, transition.target]
        db.session.flush()
        audit.record(
            actor=by,
            entity=self.entity,
            entity_id=obj.id,
            verb=transition.name,
            changes=changes,
            comment=comment,
            agreement_id=self.agreement_id(obj),
        )
        db.session.flush()
        return Outcome(transition, source, moved, changes)


def _first_refusal(guards: tuple[Guard, ...], obj: Any, user: Actor) -> str | None:
    for guard in guards:
        reason = guard(obj, user)
        if reason is not None:
            return str(reason)
    return None


def _clean_comment(transition: Transition, comment: str | None) -> str | None:
    text = (comment or "").strip()
    if len(text) > MAX_COMMENT_LENGTH:
        raise ValidationFailed(
            _l("The comment may have at most %(n)d characters.", n=MAX_COMMENT_LENGTH),
            {"comment": [_l("Too long.")]},
        )
    if transition.comment == CommentNeed.REQUIRED and not text:
        message = _l("Please say why: “%(label)s” needs a comment.", label=transition.label)
        raise ValidationFailed(message, {"comment": [_l("A comment is needed.")]})
    return text or None


_registry: dict[type, Lifecycle] = {}


def register(model: type, lifecycle: Lifecycle) -> Lifecycle:
    """Declare `lifecycle` as the one of `model` (and its subclasses); registering it again changes nothing."""
    _registry[model] = lifecycle
    return lifecycle


def lifecycle_of(obj: Any) -> Lifecycle:
    for cls in type(obj).__mro__:
        if cls in _registry:
            return _registry[cls]
    raise LookupError(f"no lifecycle registered for {type(obj).__name__}")


def transition(obj: Any, to: str, *, by: Actor, comment: str | None = None, **data: Any) -> Outcome:
    """Move `obj` to state `to` as `by`, or raise InvalidTransition / PermissionDenied / ValidationFailed."""
    lifecycle = lifecycle_of(obj)
    chosen = lifecycle.find(obj, str(to))
    if chosen is None:
        raise InvalidTransition(
            _l(
                "This cannot go from “%(source)s” to “%(target)s”.",
                source=lifecycle.state_label(lifecycle.state_of(obj)),
                target=lifecycle.state_label(str(to)),
            )
        )
    return lifecycle.apply(obj, chosen, by, comment, **data)


def available_transitions(obj: Any, user: Actor, *, include_blocked: bool = False) -> list[Option]:
    """Return what `user` may do to `obj` now (with `include_blocked`, also what waits on a condition)."""
    options = lifecycle_of(obj).options(obj, user)
    return options if include_blocked else [o for o in options if o.allowed]
