"""The admins' reminder settings form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, NumberRange, ValidationError

from tracker.core.forms import Form

# The settings as people name them: in this form and in the history of their changes.
CADENCE_LABELS = {
    "due_soon_days": _l("Remind owners this many days before a milestone is due"),
    "overdue_first_day": _l("First reminder of an overdue milestone, days after its due date"),
    "overdue_repeat_days": _l("Then remind again every … days"),
    "overdue_escalation_day": _l("Tell both co-leads when a milestone is overdue by … days"),
    "stale_after_days": _l("Remind owners of active actions without progress for … days"),
    "quarter_call_days": _l("Ask for progress … days before each quarter ends"),
}


class CadenceForm(Form):
    version = HiddenField()
    due_soon_days = StringField(CADENCE_LABELS["due_soon_days"], [DataRequired()])
    overdue_first_day = IntegerField(CADENCE_LABELS["overdue_first_day"], [InputRequired(), NumberRange(0, 60)])
    overdue_repeat_days = IntegerField(CADENCE_LABELS["overdue_repeat_days"], [InputRequired(), NumberRange(1, 60)])
    overdue_escalation_day = IntegerField(
        CADENCE_LABELS["overdue_escalation_day"], [InputRequired(), NumberRange(1, 365)]
    )
    stale_after_days = IntegerField(CADENCE_LABELS["stale_after_days"], [InputRequired(), NumberRange(7, 365)])
    quarter_call_days = IntegerField(CADENCE_LABELS["quarter_call_days"], [InputRequired(), NumberRange(1, 45)])

    def validate_due_soon_days(self, field: StringField) -> None:
        from tracker.core.errors import ValidationFailed
        from tracker.reminders.settings import parse_days

        try:
            parse_days(field.data or "")
        except ValidationFailed as exc:
            raise ValidationError(str(exc.message)) from None
