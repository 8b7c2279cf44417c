"""The admins' reminder settings form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, NumberRange, ValidationError

from tracker.core.forms import Form


class CadenceForm(Form):
    version = HiddenField()
    due_soon_days = StringField(_l("Remind owners this many days before a milestone is due"), [DataRequired()])
    overdue_first_day = IntegerField(
        _l("First reminder of an overdue milestone, days after its due date"), [InputRequired(), NumberRange(0, 60)]
    )
    overdue_repeat_days = IntegerField(_l("Then remind again every … days"), [InputRequired(), NumberRange(1, 60)])
    overdue_escalation_day = IntegerField(
        _l("Tell both co-leads when a milestone is overdue by … days"), [InputRequired(), NumberRange(1, 365)]
    )
    stale_after_days = IntegerField(
        _l("Remind owners of active actions without progress for … days"), [InputRequired(), NumberRange(7, 365)]
    )
    quarter_call_days = IntegerField(
        _l("Ask for progress … days before each quarter ends"), [InputRequired(), NumberRange(1, 45)]
    )

    def validate_due_soon_days(self, field: StringField) -> None:
        from tracker.core.errors import ValidationFailed
        from tracker.reminders.settings import parse_days

        try:
            parse_days(field.data or "")
        except ValidationFailed as exc:
            raise ValidationError(str(exc.message)) from None
