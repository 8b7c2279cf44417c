"""Narrative pages: the periods being written for, a period's texts and their status per language, the edit form
of one text, and its history of versions. Routes live on the reports blueprint."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.agreements.models import Agreement
from tracker.agreements.services import get_agreement
from tracker.core.db import discard
from tracker.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from tracker.reports.blueprint import bp
from tracker.reports.narratives import labels, services
from tracker.reports.narratives.forms import NarrativeForm
from tracker.reports.narratives.periods import writing_periods
from tracker.reports.periods import Period
from tracker.reports.services import period_of


def _period(agreement: Agreement, key: str) -> Period:
    """Return the period `key` names, or NotFound (an unknown period is a page that does not exist)."""
    try:
        return period_of(agreement, key)
    except ValidationFailed:
        raise NotFound(_("There is no such report period for this agreement.")) from None


@bp.get("/agreements/<slug>/narratives/")
@login_required
def narratives_index(slug: str) -> str:
    """The periods whose texts are being written (unpublished), soonest to end first."""
    agreement = get_agreement(current_user, slug)
    periods = writing_periods(agreement, services.today_of(agreement))
    return render_template("reports/narratives/index.html", agreement=agreement, periods=periods)


@bp.get("/agreements/<slug>/narratives/<period>/")
@login_required
def narratives_period(slug: str, period: str) -> str:
    """A period's texts: the summary and each workstream's assessment, written or missing per language."""
    agreement = get_agreement(current_user, slug)
    chosen = _period(agreement, period)
    return render_template(
        "reports/narratives/period.html",
        agreement=agreement,
        period=chosen,
        rows=services.period_rows(current_user, agreement, chosen),
        published=services.is_published(agreement.id, chosen),
        reports=services.period_reports(agreement.id, chosen.key),
        last_saved_at=services.latest_saved_at(agreement.id, chosen.key),
    )


@bp.route("/agreements/<slug>/narratives/<period>/<subject>", methods=["GET", "POST"])
@login_required
def narrative_edit(slug: str, period: str, subject: str) -> str | Response | tuple[str, int]:
    """The edit form of one text (403 for those who do not write it); a save makes a version, a stale one 409."""
    agreement = get_agreement(current_user, slug)
    chosen = _period(agreement, period)
    about = services.subject_of(agreement, subject)
    services.check_may_write(current_user, agreement, chosen, about)
    narrative = services.get_narrative(agreement, chosen, about)
    form = NarrativeForm()
    theirs = None
    if form.validate_on_submit():
        texts = {lang: getattr(form, f"text_{lang}").data for lang in ("fr", "nl", "en")}
        try:
            saved = services.save_narrative(current_user, agreement, chosen, about, texts, form.version.data)
        except Conflict as exc:
            discard()
            form.form_errors.append(str(exc.message))
            narrative = services.get_narrative(agreement, chosen, about)
            theirs = narrative
            # Saving again now knowingly replaces their version with what this form holds.
            form.version.data = str(narrative.versions_count if narrative else 0)
        except DomainError as exc:
            discard()
            if exc.status in (403, 404):
                raise
            errors = exc.errors if isinstance(exc, ValidationFailed) else {}
            for name, messages in errors.items():
                target = getattr(form, name, None)
                if target is not None:
                    target.errors = [str(m) for m in messages]
            form.form_errors.append(str(exc.message))
        else:
            missing = saved.missing()
            flash(_("Saved as version %(n)s.", n=saved.versions_count), "success")
            if missing:
                flash(_("Still missing in: %(languages)s.", languages=_language_list(missing)), "info")
            return redirect(url_for("reports.narratives_period", slug=agreement.slug, period=chosen.key), code=303)
        status = 409 if theirs is not None else 422
    else:
        status = 422 if form.is_submitted() else 200
        if not form.is_submitted():
            for lang, text in (narrative.texts() if narrative else {}).items():
                getattr(form, f"text_{lang}").data = text
            form.version.data = str(narrative.versions_count if narrative else 0)
        elif form.errors:
            form.form_errors.append(_("Please reload the page and try again."))
    page = render_template(
        "reports/narratives/edit.html",
        agreement=agreement,
        period=chosen,
        subject=about,
        narrative=narrative,
        theirs=theirs,
        form=form,
        missing=narrative.missing() if narrative else ["fr", "nl"],
    )
    return (page, status) if status != 200 else page


def _language_list(languages: list[str]) -> str:
    return ", ".join(labels.language_name(lang) for lang in languages)


@bp.get("/agreements/<slug>/narratives/<period>/<subject>/history")
@login_required
def narrative_history(slug: str, period: str, subject: str) -> str:
    """Every saved version of one text, newest first, with its author and time."""
    agreement = get_agreement(current_user, slug)
    chosen = _period(agreement, period)
    about = services.subject_of(agreement, subject)
    narrative = services.get_narrative(agreement, chosen, about)
    return render_template(
        "reports/narratives/history.html", agreement=agreement, period=chosen, subject=about, narrative=narrative
    )
