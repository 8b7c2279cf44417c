"""The close-out form (a decision and a note for the selected actions, their ids as checkboxes), the closing form and
the renewal form (the successor agreement's slug, titles and period)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

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
        render_kw={"rows": 3},  # no maxlength: a longer text pasted would be cut without a word; the service refuses it
    )


class CloseForm(Form):
    comment = TextAreaField(_l("Comment (optional)"), render_kw={"rows": 2, "maxlength": 2000})


# A successor's title in each language, as tracker/closeout/renewal.py checks it (MIN_TITLE to MAX_TITLE).
TITLE_INPUT = {"minlength": 3, "maxlength": 300, "required": True}


class RenewalForm(Form):
    """The successor's slug, titles and period; the service checks them and names errors per field."""

    slug = StringField(_l("Short name"), render_kw={"maxlength": 64, "required": True, "spellcheck": "false"})
    title_fr = StringField(_l("Title in French"), render_kw={**TITLE_INPUT, "lang": "fr"})
    title_nl = StringField(_l("Title in Dutch"), render_kw={**TITLE_INPUT, "lang": "nl"})
    title_en = StringField(_l("Title in English"), render_kw={**TITLE_INPUT, "lang": "en"})
    starts_on = StringField(_l("Start date"), render_kw={"type": "date", "required": True})
    ends_on = StringField(_l("End date"), render_kw={"type": "date", "required": True})
    signed_on = StringField(_l("Date of signature of the successor"), render_kw={"type": "date"})
    confirm = BooleanField(
        _l("I propose this successor for my party; an administrator of the other party confirms it"),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )


class ConfirmRenewalForm(Form):
    """The other party's confirmation of the proposed successor, with its date of signature (required to start it,
    unless the proposal gave one)."""

    signed_on = StringField(_l("Date of signature of the successor"), render_kw={"type": "date"})

    confirm = BooleanField(
        _l("I confirm for my party: the successor is created, and the actions carried over move into it"),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )


class WithdrawRenewalForm(Form):
    """Withdraw (the proposing party) or decline (the other party) the proposed successor: a button."""
