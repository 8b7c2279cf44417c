"""Forms of the agreement pages: record an amendment, confirm one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField

from tracker.core.errors import ValidationFailed
from tracker.core.forms import Form


class AmendmentForm(Form):
    reference = StringField(_l("Reference"), render_kw={"maxlength": 100, "required": True})
    signed_on = StringField(_l("Signed on"), render_kw={"type": "date", "required": True})
    new_ends_on = StringField(_l("New end date"), render_kw={"type": "date", "required": True})
    text = TextAreaField(_l("What the amendment says (optional)"), render_kw={"rows": 4, "maxlength": 5000})

    def show_errors(self, exc: ValidationFailed) -> None:
        """Put the service's messages back on the fields (or above the form)."""
        for name, messages in exc.errors.items():
            field = getattr(self, name, None)
            if field is not None:
                field.errors = [*list(field.errors or []), *[str(m) for m in messages]]
        if not exc.errors:
            self.form_errors.append(str(exc.message))


class ConfirmAmendmentForm(Form):
    """Confirms an amendment for the admin's party: the form carries nothing but its own CSRF token."""
