"""Forms of the agreement pages: record an amendment, confirm one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField

from tracker.core.forms import Form


class AmendmentForm(Form):
    reference = StringField(_l("Reference"), render_kw={"maxlength": 100, "required": True})
    signed_on = StringField(_l("Signed on"), render_kw={"type": "date", "required": True})
    new_ends_on = StringField(_l("New end date"), render_kw={"type": "date", "required": True})
    text = TextAreaField(_l("What the amendment says (optional)"), render_kw={"rows": 4, "maxlength": 5000})


class ConfirmAmendmentForm(Form):
    """Confirms an amendment for the admin's party: the form carries nothing but its own CSRF token."""
