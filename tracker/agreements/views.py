"""Agreement list and agreement home page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from tracker.agreements import services

bp = Blueprint("agreements", __name__, template_folder="templates")


@bp.get("/agreements/")
@login_required
def index() -> str:
    return render_template("agreements/index.html", agreements=services.list_agreements(current_user))


@bp.get("/agreements/<slug>/")
@login_required
def show(slug: str) -> str:
    agreement = services.get_agreement(current_user, slug)
    return render_template("agreements/show.html", agreement=agreement)
