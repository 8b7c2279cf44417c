"""The close-out form: a decision and a note for the selected actions (their ids come as checkboxes)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice

from tracker.core.forms import Form


class CloseoutForm(Form):
    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("completed", lazy_pgettext("decision", "Completed")),
            SelectChoice("cancelled", lazy_pgettext("decision", "Cancelled")),
            SelectChoice("carried_over", _l("Carried over to the successor agreement")),
        ],
        validate_choice=False,  # the service names a bad choice in the reader's language
    )
    note = TextAreaField(
        _l("Outcome, reason or remark"),
        description=_l("For completed actions: what they achieved. For cancelled ones: why (required)."),
        render_kw={"rows": 3, "maxlength": 2000},
    )


class CloseForm(Form):
    comment = TextAreaField(_l("Comment (optional)"), render_kw={"rows": 2, "maxlength": 2000})
