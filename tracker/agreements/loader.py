"""Load or update an agreement from its data file, in one transaction, changing only what differs."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import ngettext
from pydantic import ValidationError
from sqlalchemy import select

from tracker.accounts.models import Party, User
from tracker.agreements.amendments import MAX_SUCCESSION_GAP_YEARS, add_years, put_in_effect
from tracker.agreements.models import (
    Agreement,
    AgreementParty,
    Amendment,
    AmendmentConfirmation,
    Commitment,
    PartyDayOff,
    Workstream,
)
from tracker.agreements.schema import AgreementData, first_error_line
from tracker.agreements.services import ensure_writable, successor_signature_window
from tracker.core import audit, clock
from tracker.core.db import db

log = logging.getLogger(__name__)


class AgreementFileError(Exception):
    """The file cannot be loaded; the message is one line naming the file and the field."""


# Links a successor to the ended agreement it names (`succeeds:`) and moves the carried-over actions into it:
# `(predecessor, successor, actor) -> number of actions moved`, raising AgreementFileError. The close-out domain
# registers it (tracker/closeout/renewal.py): it reads close-out decisions and creates actions, which this package
# may not import.
Succession = Callable[[Agreement, Agreement, "User | None"], int]
_succession: list[Succession] = []


def register_succession(link: Succession) -> None:
    """Set the function that links a successor loaded from a file (once; a second call replaces it)."""
    _succession[:] = [link]


# Applies a part of the file that another domain owns (the indicators: tracker/actions/agreement_file.py), after
# the workstreams and before the amendments: `(agreement, data, workstreams by code, applier) -> None`. Registered
# by that domain's init_app, since this package may not import it.
Section = Callable[[Agreement, AgreementData, "dict[str, Workstream]", "Applier"], None]
_sections: list[Section] = []


def register_section(section: Section) -> None:
    """Apply `section` on every load, in the order of registration (a second call with it changes nothing)."""
    if section not in _sections:
        _sections.append(section)


# Ends at once an agreement whose end date the file puts in the past (`(agreement) -> None`, audited as the daily
# job does it). The close-out domain registers it (tracker/closeout/services.py): it owns the agreement lifecycle.
Ending = Callable[[Agreement], None]
_ending: list[Ending] = []


def register_ending(end: Ending) -> None:
    """Set the function that ends a loaded agreement whose term is over (once; a second call replaces it)."""
    _ending[:] = [end]


# What the loader counts, as operators read it (« 1 workstream », « 9 workstreams »): `(n) -> text`.
_COUNTED: dict[str, Callable[[int], str]] = {
    "agreements": lambda n: ngettext("%(num)d agreement", "%(num)d agreements", n),
    "parties": lambda n: ngettext("%(num)d party", "%(num)d parties", n),
    "workstreams": lambda n: ngettext("%(num)d workstream", "%(num)d workstreams", n),
    "commitments": lambda n: ngettext("%(num)d commitment", "%(num)d commitments", n),
    "indicators": lambda n: ngettext("%(num)d indicator", "%(num)d indicators", n),
    "signatures": lambda n: ngettext("%(num)d signature", "%(num)d signatures", n),
    "days off": lambda n: ngettext("%(num)d day off", "%(num)d days off", n),
    "amendments": lambda n: ngettext("%(num)d amendment", "%(num)d amendments", n),
    "successions": lambda n: ngettext("%(num)d succession", "%(num)d successions", n),
    "actions carried over": lambda n: ngettext("%(num)d action carried over", "%(num)d actions carried over", n),
}


def _how_many(kind: str, n: int) -> str:
    """Return `n` things of `kind` with the right plural (`1 workstream`); an unlisted kind as `n kind`."""
    counted = _COUNTED.get(kind)
    return counted(n) if counted else f"{n} {kind}"


@dataclass
class LoadResult:
    slug: str
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    kept: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def summary(self) -> str:
        if not self.changed:
            return f"{self.slug} is up to date: nothing changed."
        parts = [f"{_how_many(kind, n)} created" for kind, n in self.created.items() if n]
        parts += [f"{_how_many(kind, n)} updated" for kind, n in self.updated.items() if n]
        return f"Loaded {self.slug}: " + ", ".join(parts) + "."


def read_agreement_file(path: Path) -> AgreementData:
    """Parse and validate a data file, or raise AgreementFileError with one clear line."""
    import yaml  # on first use: only the loading command reads YAML

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AgreementFileError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AgreementFileError(f"{path}: cannot be read ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise AgreementFileError(f"{path}: not valid YAML{where}: {problem}") from None
    if not isinstance(raw, dict):
        raise AgreementFileError(f"{path}: expected a mapping of agreement fields at the top level")
    try:
        return AgreementData.model_validate(raw)
    except ValidationError as exc:
        raise AgreementFileError(f"{path}: {first_error_line(exc)}") from None


def load_agreement_file(path: Path, actor: User | None = None) -> LoadResult:
    """Validate the file and apply it to the session (the caller commits)."""
    data = read_agreement_file(path)
    return apply_agreement(data, actor)


def _assign(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the attributes that differ and return {name: [old, new]} for them."""
    changes: dict[str, list[Any]] = {}
    for name, value in values.items():
        old = getattr(obj, name)
        if old != value:
            changes[name] = [old, value]
            setattr(obj, name, value)
    return changes


def texts_columns(prefix: str, texts: Any) -> dict[str, str]:
    """Return {prefix_fr, prefix_en, prefix_nl: text} from a file's texts in the three languages."""
    return {f"{prefix}_{lang}": getattr(texts, lang) for lang in ("fr", "en", "nl")}


class Applier:
    """Creates or updates the rows a file describes, counting them and auditing each change (verb load or update)."""

    def __init__(self, actor: User | None, result: LoadResult) -> None:
        self.actor = actor
        self.result = result
        self.agreement_id: int | None = None

    def upsert(self, kind: str, obj: Any, values: dict[str, Any], entity: str, is_new: bool) -> Any:
        """Set `values` on `obj` (added when `is_new`), count it under `kind` and audit it as `entity`; return it."""
        changes = _assign(obj, values)
        if is_new:
            db.session.add(obj)
            db.session.flush()
            self.result.created[kind] += 1
            audit.record(
                actor=self.actor,
                entity=entity,
                entity_id=obj.id,
                verb="load",
                changes={k: v[1] for k, v in changes.items()},
                agreement_id=self.agreement_id,
            )
        elif changes:
            db.session.flush()
            self.result.updated[kind] += 1
            audit.record(
                actor=self.actor,
                entity=entity,
                entity_id=obj.id,
                verb="update",
                changes=changes,
                agreement_id=self.agreement_id,
            )
        return obj


def apply_agreement(data: AgreementData, actor: User | None = None) -> LoadResult:
    """Create or update the agreement described by `data`; items absent from the file are kept."""
    result = LoadResult(slug=data.slug)
    applier = Applier(actor, result)

    existing_parties = {
        p.code: p for p in db.session.scalars(select(Party).where(Party.code.in_([p.code for p in data.parties])))
    }
    parties: dict[str, Party] = {}
    for p in data.parties:
        party = existing_parties.get(p.code)
        values = {
            "code": p.code,
            **texts_columns("name", p.name),
            **(texts_columns("short_name", p.short_name) if p.short_name else {}),
            "country": p.country,
            "subdivision": p.subdivision,
            "timezone": p.timezone,
        }
        parties[p.code] = applier.upsert("parties", party or Party(), values, "party", party is None)

    agreement = db.session.scalar(select(Agreement).where(Agreement.slug == data.slug))
    summary = data.summary
    values = {
        "slug": data.slug,
        **texts_columns("title", data.title),
        **({f"summary_{lang}": getattr(summary, lang) for lang in ("fr", "en", "nl")} if summary else {}),
        "signed_on": data.signed_on,
        "starts_on": data.starts_on,
        # Amendments already in effect (from the browser or an earlier load) keep the end date they set.
        "ends_on": _amended_end(agreement) or data.ends_on,
        "timezone": data.timezone,
        "source_url": data.source_url,
    }
    is_new = agreement is None
    if agreement is None:
        agreement = Agreement()
    else:
        applier.agreement_id = agreement.id  # its own changes pass the write guard too (a closed one refuses them)
    applier.upsert("agreements", agreement, values, "agreement", is_new)
    applier.agreement_id = agreement.id
    if is_new:
        db.session.flush()

    _apply_signatories(agreement, data, parties, result)
    _apply_days_off(data, parties, applier)
    workstreams = _apply_workstreams(agreement, data, applier)
    if data.indicators and not _sections:
        raise AgreementFileError("indicators: not available in this application")
    for section in _sections:
        section(agreement, data, workstreams, applier)
    _apply_amendments(agreement, data, applier)
    _apply_succession(agreement, data, applier)
    for end in _ending:  # after the amendments, which may have moved the end date
        end(agreement)
    log.info(result.summary())
    return result


def _apply_signatories(
    agreement: Agreement, data: AgreementData, parties: dict[str, Party], result: LoadResult
) -> None:
    current = {s.party_id: s for s in agreement.signatories}
    for position, p in enumerate(data.parties):
        party = parties[p.code]
        signature = current.get(party.id)
        if signature is None or (signature.position, signature.signed_by) != (position, p.signed_by):
            ensure_writable(agreement)  # signatures are not audited one by one: a closed agreement refuses here
        if signature is None:
            agreement.signatories.append(AgreementParty(party=party, position=position, signed_by=p.signed_by))
            result.created["signatures"] += 1
        elif _assign(signature, {"position": position, "signed_by": p.signed_by}):
            result.updated["signatures"] += 1
    listed = {p.code for p in data.parties}
    result.kept += [f"party {s.party.code}" for s in agreement.signatories if s.party.code not in listed]


def _apply_days_off(data: AgreementData, parties: dict[str, Party], applier: Applier) -> None:
    """Add the parties' days off that the file lists and the database lacks (admins' own days are kept)."""
    ids = [party.id for party in parties.values()]
    existing = set(
        db.session.execute(select(PartyDayOff.party_id, PartyDayOff.off_on).where(PartyDayOff.party_id.in_(ids)))
    )
    for p in data.parties:
        party = parties[p.code]
        for day in p.days_off:
            if (party.id, day.date) in existing:
                continue
            db.session.add(PartyDayOff(party_id=party.id, off_on=day.date, label=day.label))
            existing.add((party.id, day.date))
            applier.result.created["days off"] += 1
            audit.record(
                actor=applier.actor,
                entity="day_off",
                entity_id=party.id,
                verb="load",
                changes={"on": day.date.isoformat(), "label": day.label},
                agreement_id=applier.agreement_id,
            )


def _apply_workstreams(agreement: Agreement, data: AgreementData, applier: Applier) -> dict[str, Workstream]:
    existing = {
        w.code: w for w in db.session.scalars(select(Workstream).where(Workstream.agreement_id == agreement.id))
    }
    commitments = {
        (c.workstream_id, c.code): c
        for c in db.session.scalars(select(Commitment).join(Workstream).where(Workstream.agreement_id == agreement.id))
    }
    by_code: dict[str, Workstream] = {}
    for position, w in enumerate(data.workstreams):
        ws = existing.get(w.code)
        values = {
            "agreement_id": agreement.id,
            "code": w.code,
            "position": position,
            **texts_columns("title", w.title),
            **texts_columns("objective", w.objective),
            "starts_on": w.starts_on,
        }
        ws = applier.upsert("workstreams", ws or Workstream(), values, "workstream", ws is None)
        by_code[w.code] = ws
        for c_position, c in enumerate(w.commitments):
            commitment = commitments.get((ws.id, c.code))
            c_values = {"workstream_id": ws.id, "code": c.code, "position": c_position, **texts_columns("text", c.text)}
            applier.upsert("commitments", commitment or Commitment(), c_values, "commitment", commitment is None)
    applier.result.kept += [f"workstream {code}" for code in existing if code not in by_code]
    return by_code


def _amended_end(agreement: Agreement | None) -> Any:
    if agreement is None or agreement.id is None:
        return None
    return db.session.scalar(
        select(Amendment.new_ends_on)
        .where(Amendment.agreement_id == agreement.id, Amendment.in_effect_at.is_not(None))
        .order_by(Amendment.new_ends_on.desc())
        .limit(1)
    )


def _apply_amendments(agreement: Agreement, data: AgreementData, applier: Applier) -> None:
    """Put in effect the file's amendments that the agreement does not have yet (matched by reference)."""
    known = set(db.session.scalars(select(Amendment.reference).where(Amendment.agreement_id == agreement.id)))
    for a in data.amendments:
        if a.reference in known or a.ends_on <= agreement.ends_on:
            continue
        amendment = Amendment(
            agreement=agreement,
            reference=a.reference,
            signed_on=a.signed_on,
            previous_ends_on=agreement.ends_on,
            new_ends_on=a.ends_on,
            text=a.text,
            recorded_by_id=applier.actor.id if applier.actor else None,
            confirmations=[AmendmentConfirmation(party_id=s.party_id) for s in agreement.signatories],
        )
        db.session.add(amendment)
        db.session.flush()
        put_in_effect(amendment, by=applier.actor)
        applier.result.created["amendments"] += 1


def _apply_succession(agreement: Agreement, data: AgreementData, applier: Applier) -> None:
    """Link the agreement to the ended one it `succeeds` (once: a second load finds the link and changes nothing)."""
    if data.succeeds is None:
        return
    predecessor = db.session.scalar(select(Agreement).where(Agreement.slug == data.succeeds))
    if predecessor is None:
        raise AgreementFileError(f"succeeds: no agreement {data.succeeds!r}; load it first")
    earliest, today = successor_signature_window(predecessor)
    if agreement.signed_on > today:
        raise AgreementFileError(f"signed_on: {agreement.signed_on} is in the future (today is {today})")
    if agreement.signed_on < earliest:
        raise AgreementFileError(
            f"signed_on: {agreement.slug} cannot have been signed before {predecessor.slug}, which was signed on "
            f"{earliest}"
        )
    parties = sorted(s.party.code for s in predecessor.signatories)
    if sorted(s.party.code for s in agreement.signatories) != parties:
        raise AgreementFileError(
            f"succeeds: the successor is signed by the parties of {predecessor.slug} ({', '.join(parties)})"
        )
    if agreement.succeeds_id == predecessor.id:
        return
    if agreement.succeeds_id is not None:
        raise AgreementFileError(f"succeeds: {agreement.slug} already succeeds another agreement")
    successor = db.session.scalar(select(Agreement.slug).where(Agreement.succeeds_id == predecessor.id))
    if successor is not None:
        raise AgreementFileError(f"succeeds: {predecessor.slug} already has its successor, {successor}")
    if not predecessor.has_ended(clock.today(predecessor.timezone)):
        raise AgreementFileError(f"succeeds: {predecessor.slug} is in force until {predecessor.ends_on}")
    if agreement.starts_on <= predecessor.ends_on:
        raise AgreementFileError(
            f"starts_on: {agreement.slug} starts after the end of {predecessor.slug} ({predecessor.ends_on})"
        )
    latest = add_years(predecessor.ends_on, MAX_SUCCESSION_GAP_YEARS)
    if agreement.starts_on > latest:
        raise AgreementFileError(
            f"starts_on: {agreement.slug} starts at the latest one year after the end of {predecessor.slug} ({latest})"
        )
    if not _succession:
        raise AgreementFileError("succeeds: renewal is not available in this application")
    moved = _succession[0](predecessor, agreement, applier.actor)
    applier.result.created["successions"] += 1
    applier.result.created["actions carried over"] += moved
