"""Report pages: an agreement's reports, a report, its downloads, and the generate, sign and return forms."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from tracker.accounts.permissions import is_admin
from tracker.agreements.services import get_agreement
from tracker.core.db import discard
from tracker.core.errors import DomainError, ValidationFailed
from tracker.core.lifecycle import available_transitions
from tracker.core.pagination import clamp
from tracker.reports import services
from tracker.reports.blueprint import bp
from tracker.reports.forms import GenerateForm, RegenerateForm, ReturnForm, SignForm
from tracker.reports.narratives import views as _narrative_views  # noqa: F401  (its routes are on this blueprint)
from tracker.reports.render import FORMATS, LANGUAGES, MEDIA_TYPES, file_name
from tracker.reports.render import context as render_context
from tracker.web.downloads import content_disposition

# The downloaded HTML file carries its own styles and no script at all.
FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


@bp.get("/agreements/<slug>/reports/")
@login_required
def index(slug: str) -> str:
    agreement = get_agreement(current_user, slug)
    page, per_page = clamp(request.args.get("page"), request.args.get("per_page"), current_app.config["PAGE_SIZE"])
    reports = services.list_reports(current_user, agreement, page, per_page)
    form = GenerateForm() if is_admin(current_user) else None
    return render_template("reports/index.html", agreement=agreement, reports=reports, form=form)


@bp.post("/agreements/<slug>/reports/")
@login_required
def generate(slug: str) -> str | WerkzeugResponse | tuple[str, int]:
    agreement = get_agreement(current_user, slug)
    form = GenerateForm()
    if form.validate_on_submit():
        try:
            report = services.generate_report(
                agreement, form.period.data or "", by=current_user, regenerate=bool(form.regenerate.data)
            )
            mailed = services.send_for_signoff(report) if form.send.data else 0
        except ValidationFailed as exc:
            discard()
            form.period.errors = [str(m) for m in exc.errors.get("period", [exc.message])]
        except DomainError as exc:
            discard()
            if exc.status in (403, 404):
                raise
            form.form_errors.append(str(exc.message))
        else:
            flash(_("The report is generated (version %(version)s).", version=report.version), "success")
            if mailed:
                flash(ngettext("%(num)s reviewer will be mailed.", "%(num)s reviewers will be mailed.", mailed), "info")
            return redirect(url_for("reports.show", report_id=report.id))
    reports = services.list_reports(current_user, agreement, 1, current_app.config["PAGE_SIZE"])
    return render_template("reports/index.html", agreement=agreement, reports=reports, form=form), 422


@bp.get("/reports/<int:report_id>")
@login_required
def show(report_id: int) -> str:
    report = services.get_report(current_user, report_id)
    options = {o.name: o for o in available_transitions(report, current_user)}
    outdated = services.outdated(report)
    return render_template(
        "reports/show.html",
        report=report,
        options=options,
        outdated=outdated,
        regenerate_form=RegenerateForm(prefix="regenerate") if outdated and is_admin(current_user) else None,
        sign_form=SignForm(prefix="sign"),
        return_form=ReturnForm(prefix="return"),
        languages=LANGUAGES,
        formats=FORMATS,
        file_ready=services.files_ready(report, LANGUAGES),
        **render_context(report, _current_language()),
    )


def _current_language() -> str:
    from tracker.web.i18n import current_language

    return current_language()


@bp.post("/reports/<int:report_id>/regenerate")
@login_required
def regenerate(report_id: int) -> WerkzeugResponse:
    """A new version of this report's period, mailed to the reviewers: what the reports list's generate form does
    with « new version » ticked."""
    report = services.get_report(current_user, report_id)
    form = RegenerateForm(prefix="regenerate")
    if not form.validate_on_submit():
        flash(_("The form expired or was not sent from this site. Please reload the page and try again."), "error")
        return redirect(url_for("reports.show", report_id=report.id))
    try:
        new = services.generate_report(report.agreement, report.period, by=current_user, regenerate=True)
        mailed = services.send_for_signoff(new)
    except DomainError as exc:
        discard()
        if exc.status in (403, 404):
            raise
        flash(str(exc.message), "error")
        return redirect(url_for("reports.show", report_id=report_id))
    flash(_("The report is generated (version %(version)s).", version=new.version), "success")
    if mailed:
        flash(ngettext("%(num)s reviewer will be mailed.", "%(num)s reviewers will be mailed.", mailed), "info")
    return redirect(url_for("reports.show", report_id=new.id))


@bp.post("/reports/<int:report_id>/sign")
@login_required
def sign(report_id: int) -> WerkzeugResponse:
    report = services.get_report(current_user, report_id)
    form = SignForm(prefix="sign")
    if not form.validate_on_submit():
        flash(_("The comment may have at most 2000 characters."), "error")
        return redirect(url_for("reports.show", report_id=report.id))
    return _act(report, lambda: services.sign_report(current_user, report, form.comment.data))


@bp.post("/reports/<int:report_id>/return")
@login_required
def return_(report_id: int) -> WerkzeugResponse:
    report = services.get_report(current_user, report_id)
    form = ReturnForm(prefix="return")
    if not form.validate_on_submit():
        flash(_("Please say what should change: returning a report needs a comment."), "error")
        return redirect(url_for("reports.show", report_id=report.id))
    return _act(report, lambda: services.return_report(current_user, report, form.comment.data))


def _act(report: object, verb: object) -> WerkzeugResponse:
    report_id = report.id  # type: ignore[attr-defined]
    try:
        verb()  # type: ignore[operator]
    except DomainError as exc:
        discard()
        if exc.status == 404:
            raise
        flash(str(exc.message), "error")
    else:
        flash(_("Done: the report is now “%(status)s”.", status=_status_label(report)), "success")
    return redirect(url_for("reports.show", report_id=report_id))


def _status_label(report: object) -> str:
    from tracker.reports.labels import REPORT_STATUS

    return str(REPORT_STATUS[str(report.status)])  # type: ignore[attr-defined]


@bp.get("/reports/<int:report_id>/<lang>.<fmt>")
@login_required
def download(report_id: int, lang: str, fmt: str) -> Response | tuple[str, int, dict[str, str]]:
    """The file; one not prepared yet answers a page saying so (202), which reloads itself until it is."""
    if lang not in LANGUAGES or fmt not in FORMATS:
        abort(404)
    report = services.get_report(current_user, report_id)
    prepared = services.report_file(report, lang, fmt)
    if prepared.data is None:
        page = render_template("reports/preparing.html", report=report, lang=lang, fmt=fmt, prepared=prepared)
        return page, 202 if prepared.state == "preparing" else 200, {"Cache-Control": "no-store"}
    response = Response(prepared.data, mimetype=MEDIA_TYPES[fmt].split(";")[0])
    if fmt == "html":
        response.headers["Content-Type"] = MEDIA_TYPES["html"]
        response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["Content-Disposition"] = content_disposition(file_name(report, lang, fmt))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.context_processor
def _report_helpers() -> dict[str, object]:
    from tracker.reports.labels import template_helpers
    from tracker.reports.periods import period_hint

    return {**template_helpers(), "period_hint": period_hint}
