"""`flask agreements close-out SLUG --by EMAIL [--decision D --note N --action ID ...]`: the close-out from the
command line, with the same rules as the page (the person named by --by must be the owner or a co-lead);
`flask agreements renew SLUG --slug NEW --by EMAIL [--starts-on --ends-on --signed-on --title ...]`: the successor,
proposed by an admin of one party and confirmed by an admin of the other (the same command, as the other admin, with
--signed-on unless the proposal gave it), as on the page; `flask agreements archive SLUG`: build the archive package of a closed agreement now."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask_babel import ngettext
from sqlalchemy import func, select

from tracker.accounts.models import User
from tracker.accounts.services import find_by_email
from tracker.actions.models import Action
from tracker.agreements.models import Agreement, Workstream
from tracker.agreements.services import get_agreement
from tracker.closeout import decisions, renewal, renewal_proposal
from tracker.core import clock
from tracker.core.db import db, unit_of_work
from tracker.core.errors import DomainError, NotFound, ValidationFailed


@click.command("close-out")
@click.argument("slug")
@click.option("--by", "email", required=True, help="Email of the owner or co-lead who decides.")
@click.option(
    "--decision",
    type=click.Choice(["completed", "cancelled", "carried_over"]),
    help="Without it, lists the actions still to decide.",
)
@click.option("--note", default="", help="Outcome (completed) or reason (cancelled, required).")
@click.option("--action", "action_ids", type=int, multiple=True, help="An action id; repeat for several.")
def close_out(slug: str, email: str, decision: str | None, note: str, action_ids: tuple[int, ...]) -> None:
    """List the actions of an ended agreement still to decide, or decide the given ones."""
    user, agreement = _person_and_agreement(email, slug)
    if not agreement.has_ended(clock.today(agreement.timezone)):
        raise click.ClickException(
            f"{slug} is in force until {agreement.ends_on}: its actions are closed out once it ends"
        )
    if decision is None:
        rows = [r for r in decisions.closeout_rows(user, agreement) if r.decision is None]
        for row in rows:
            mark = "*" if row.may_decide else " "
            click.echo(f"{mark} {row.action.id:>6}  {row.action.status:<9}  {row.action.title}")
        click.echo(
            ngettext(
                "%(num)d action to decide; * = %(email)s may decide it.",
                "%(num)d actions to decide; * = %(email)s may decide it.",
                len(rows),
                email=email,
            )
        )
        return
    if not action_ids:
        raise click.ClickException("name the actions to decide with --action ID (repeat for several)")
    try:
        with unit_of_work():
            outcome = decisions.decide_many(user, agreement, action_ids, decision, note)
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from None
    for action_id, reason in outcome.refused.items():
        click.echo(f"action {action_id}: {reason}", err=True)
    click.echo(f"{len(outcome.decided)} decided, {len(outcome.refused)} refused.")
    if outcome.refused:
        raise SystemExit(1)


OPTION_OF_FIELD = {
    "slug": "--slug",
    "starts_on": "--starts-on",
    "ends_on": "--ends-on",
    "signed_on": "--signed-on",
    "title_fr": "--title",
    "title_nl": "--title-nl",
    "title_en": "--title-en",
}


@click.command("renew")
@click.argument("slug")
@click.option("--slug", "new_slug", help="Short name of the successor, e.g. idf-bxl-2026 (to propose one).")
@click.option("--by", "email", required=True, help="Email of an admin of a signatory party.")
@click.option("--starts-on", help="YYYY-MM-DD; default: the day after the end of the ended agreement.")
@click.option("--ends-on", help="YYYY-MM-DD; default: five years later.")
@click.option(
    "--signed-on", help="YYYY-MM-DD: the date the successor was signed; needed by the last confirmation, never guessed."
)
@click.option("--title", "title_fr", help="Title in French (default: the ended agreement's).")
@click.option("--title-nl", help="Title in Dutch (default: the ended agreement's).")
@click.option("--title-en", help="Title in English (default: the ended agreement's).")
def renew(
    slug: str,
    new_slug: str | None,
    email: str,
    starts_on: str | None,
    ends_on: str | None,
    signed_on: str | None,
    title_fr: str | None,
    title_nl: str | None,
    title_en: str | None,
) -> None:
    """Propose the successor of an ended agreement for the admin's party, or confirm the one proposed by the other
    party; with the last party's confirmation it starts, and the actions carried over move into it."""
    user, agreement = _person_and_agreement(email, slug)
    waiting = renewal_proposal.open_proposal(agreement)
    offer = renewal.proposal(agreement)
    titles = {"fr": title_fr, "nl": title_nl, "en": title_en}
    if waiting is not None and (
        any(v is not None for v in (starts_on, ends_on, *titles.values())) or new_slug not in (None, waiting.slug)
    ):
        raise click.ClickException(
            f"{waiting.slug} is proposed and waits for confirmation: confirm it as proposed "
            f"(--slug {waiting.slug} alone), or withdraw it on the agreement's renewal page"
        )
    try:
        with unit_of_work():
            if waiting is None:
                step = renewal_proposal.propose(
                    user,
                    agreement,
                    slug=new_slug,
                    starts_on=offer.starts_on if starts_on is None else starts_on,
                    ends_on=offer.ends_on if ends_on is None else ends_on,
                    title={lang: text for lang, text in titles.items() if text is not None},
                    signed_on=signed_on,
                )
            else:
                step = renewal_proposal.confirm(user, agreement, signed_on=signed_on)
    except ValidationFailed as exc:
        field, messages = next(iter(exc.errors.items()), (None, [exc.message]))
        where = f"{OPTION_OF_FIELD.get(str(field), field)}: " if field else ""
        raise click.ClickException(f"{where}{messages[0]}") from None
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from None
    successor = step.successor
    if successor is None:
        proposal = step.proposal
        assert proposal is not None
        click.echo(
            f"Proposed {proposal.slug} ({proposal.starts_on} to {proposal.ends_on}) to succeed {agreement.slug}, "
            f"for {user.party.code}: waiting for an admin of {', '.join(p.code for p in step.waiting_for)} to confirm."
        )
        return
    moved = db.session.scalar(
        select(func.count(Action.id))
        .join(Workstream)
        .where(Workstream.agreement_id == successor.id, Action.continues_action_id.is_not(None))
    )
    click.echo(
        f"Started {successor.slug} ({successor.starts_on} to {successor.ends_on}), succeeding {agreement.slug}: "
        f"{ngettext('%(num)d workstream', '%(num)d workstreams', len(successor.workstreams))}, "
        f"{ngettext('%(num)d action carried over', '%(num)d actions carried over', moved or 0)}."
    )


@click.command("archive")
@click.argument("slug")
def archive(slug: str) -> None:
    """Build the archive package (BagIt, zipped) of a closed agreement now; print its path and payload oxum."""
    from tracker.closeout.archive import ArchiveFailed, build_archive, record_failure

    agreement = db.session.scalar(select(Agreement).where(Agreement.slug == slug))
    if agreement is None:
        raise click.ClickException(f"no agreement {slug!r}")
    try:
        with unit_of_work():
            package = build_archive(agreement)
    except DomainError as exc:
        if isinstance(exc, ArchiveFailed):  # kept for the admins, as when the scheduler fails
            with unit_of_work():
                record_failure(agreement.id, str(exc.message))
        raise click.ClickException(str(exc.message)) from None
    path = Path(current_app.config["ARCHIVE_DIR"]) / str(package.filename)
    click.echo(f"{path}  Payload-Oxum {package.payload_oxum}  ({package.size} bytes)")


def _person_and_agreement(email: str, slug: str) -> tuple[User, Agreement]:
    """Return the active account of `email` and the agreement `slug` it may see, or stop with a one-line error."""
    user = find_by_email(email)
    if user is None or not user.active:
        raise click.ClickException(f"no active account with the email {email}")
    try:
        return user, get_agreement(user, slug, parts=False)
    except NotFound:
        raise click.ClickException(f"no agreement {slug!r} that {email} may see") from None
