"""Pages: import actions into an agreement (with a dry run), download templates and exports."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import get_locale, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField

from tracker.actions.queries import ActionFilters
from tracker.agreements.services import get_agreement, get_workstream, new_action_refusal
from tracker.core import clock
from tracker.core.db import discard
from tracker.core.errors import DomainError
from tracker.core.forms import Form
from tracker.transfer import export
from tracker.transfer.importer import import_actions
from tracker.transfer.sheets import FORMATS, SEPARATORS, render, separator_for
from tracker.web.downloads import content_disposition, download_name
from tracker.web.i18n import localized

bp = Blueprint("transfer", __name__, template_folder="templates")


class ImportForm(Form):
    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired(_l("Choose a file."))])
    dry_run = BooleanField(_l("Dry run: only check the file, change nothing"), default=True)


def csv_separators() -> list[str]:
    """Return the `sep` choices, the one the reader's spreadsheet expects (by the page's language) first."""
    default = separator_for(str(get_locale() or "fr"))
    return [default, *(name for name in SEPARATORS if name != default)]


def csv_label(sep: str) -> str:
    """Return the text of a CSV link with this separator."""
    return _("CSV (semicolons)") if sep == "semicolon" else _("CSV (commas)")


def chosen_separator() -> str:
    """Return the `sep` asked for in the query string, or the one the reader's language expects.

    An unknown value answers 400 with a message naming the choices.
    """
    sep = request.args.get("sep") or csv_separators()[0]
    if sep not in SEPARATORS:
        raise DomainError(_("Unknown separator: choose sep=comma or sep=semicolon."))
    return sep


def download(
    fmt: str, name: Sequence[object], headers: Sequence[str], rows: object, title: str, reader_dates: bool = False
) -> Response:
    """Return the rows as a file named by the words in `name` (`download_name`), in the format `fmt`."""
    if fmt not in FORMATS:
        abort(404)
    sep = chosen_separator() if fmt == "csv" else "comma"
    body = render(fmt, headers, rows, title, sep, reader_dates)  # type: ignore[arg-type]
    response = Response(body, mimetype=FORMATS[fmt])
    response.headers["Content-Disposition"] = content_disposition(download_name(*name, extension=fmt))
    return response


def export_response(kind: str, fmt: str, filters: ActionFilters, scope: Sequence[object]) -> Response:
    """Return the actions (with milestones) or the milestones matching the filters as a file to read: columns
        headed and values written in the reader's language. With `layout=import` (actions only), the same actions in
        the import layout (column keys, raw values), to edit and import back. The file is named in the reader's words:
    what it holds, `scope` (the workstream, if any) and the day (`actions-chantier-culture-2026-11-30.xlsx`)."""
    today = clock.today(current_app.config["TRACKER_TIMEZONE"])
    user = current_user._get_current_object()
    title = _("Actions") if kind == "actions" else _("Milestones")  # the sheet, named in the reader's language
    layout = request.args.get("layout") or "reading"
    if layout == "import" and kind == "actions":
        headers, rows = export.action_export(user, filters, today)
        return download(fmt, [pgettext("file name", "actions to import"), *scope, today], headers, rows, title)
    if layout != "reading":
        abort(404)
    builder = export.reading_action_export if kind == "actions" else export.reading_milestone_export
    headers, rows = builder(user, filters, today)
    if fmt == "csv":
        rows = export.as_reader_text(rows)
    return download(fmt, [title, *scope, today], headers, rows, title, reader_dates=True)


@bp.get("/agreements/<slug>/export/<any(actions, milestones):kind>.<fmt>")
@login_required
def export_agreement(slug: str, kind: str, fmt: str) -> Response:
    """The agreement's actions or milestones; the list's filters come as query parameters."""
    agreement = get_agreement(current_user, slug)
    filters = ActionFilters.from_mapping({**request.args.to_dict(), "agreement": agreement.slug})
    return export_response(kind, fmt, filters, [])


@bp.get("/agreements/<slug>/workstreams/<code>/export/<any(actions, milestones):kind>.<fmt>")
@login_required
def export_workstream(slug: str, code: str, kind: str, fmt: str) -> Response:
    """The workstream's actions or milestones, with the workstream page's filters (status, health, party...)."""
    workstream = get_workstream(current_user, slug, code)
    args = {**request.args.to_dict(), "agreement": slug, "workstream": str(workstream.id)}
    scope = [_("Workstream"), localized(workstream, "title")]
    return export_response(kind, fmt, ActionFilters.from_mapping(args), scope)


@bp.get("/agreements/<slug>/import/template.<fmt>")
@login_required
def import_template(slug: str, fmt: str) -> Response:
    get_agreement(current_user, slug)
    name = [pgettext("file name", "action import template")]
    return download(fmt, name, export.IMPORT_COLUMNS, export.TEMPLATE_EXAMPLE, "actions")


@bp.route("/agreements/<slug>/import", methods=["GET", "POST"])
@login_required
def import_page(slug: str) -> tuple[str, int]:
    agreement = get_agreement(current_user, slug)
    form = ImportForm()
    report, status = None, 200
    refusal = new_action_refusal(agreement)  # ended or closed: the page shows it instead of the form (exports stay)
    if refusal is None and form.validate_on_submit():
        report = import_actions(
            current_user._get_current_object(), agreement, form.file.data.read(), dry_run=bool(form.dry_run.data)
        )
        if report.applied:
            status = 201 if report.created else 200
        else:
            discard()
            status = 422 if report.errors else 200
    elif request.method == "POST":
        status = 422
    page = render_template("transfer/import.html", agreement=agreement, form=form, report=report, refusal=refusal)
    return page, status
