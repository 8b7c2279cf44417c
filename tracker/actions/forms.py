"""Forms of the action pages (actions, milestones, progress logs, measurements). They only carry and render values: the services check them (and say what is wrong)."""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice

from tracker.actions.labels import HEALTH
from tracker.core.forms import Form


class _ServiceChecked(Form):
    """A form whose values the service validates; its messages are put back on the fields (`Form.show_errors`)."""

    field_aliases: ClassVar[dict[str, str]] = {"file": "files", "attachments": "files"}


class CheckboxList(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ActionForm(_ServiceChecked):
    title = StringField(_l("Title"), render_kw={"maxlength": 200, "required": True})
    description = TextAreaField(_l("Description"), render_kw={"rows": 8})
    owner_id = SelectField(_l("Owner"), coerce=str)
    lead_party_id = SelectField(_l("Lead party"), coerce=str)
    start_on = StringField(_l("Start"), render_kw={"type": "date"})
    due_on = StringField(_l("Due on"), render_kw={"type": "date"})
    commitment_ids = CheckboxList(_l("Commitments served"), coerce=str, validate_choice=False)
    version = HiddenField()

    def service_values(self) -> dict[str, Any]:
        return {
            "title": self.title.data or "",
            "description": self.description.data or "",
            "owner_id": self.owner_id.data or None,
            "lead_party_id": self.lead_party_id.data or None,
            "start_on": self.start_on.data or None,
            "due_on": self.due_on.data or None,
            "commitment_ids": self.commitment_ids.data or [],
        }


class MilestoneForm(_ServiceChecked):
    title = StringField(_l("Title"), render_kw={"maxlength": 200, "required": True})
    due_on = StringField(_l("Due on"), render_kw={"type": "date", "required": True})
    comment = TextAreaField(_l("Why the date moves (optional)"), render_kw={"rows": 2, "maxlength": 2000})
    version = HiddenField()


HEALTH_CHOICES = [SelectChoice(str(value), label) for value, label in HEALTH.items()]


class ProgressForm(_ServiceChecked):
    text = TextAreaField(_l("What happened since the last log"), render_kw={"rows": 5, "required": True})
    percent = StringField(
        _l("Progress (%)"), render_kw={"type": "number", "min": 0, "max": 100, "step": 1, "inputmode": "numeric"}
    )
    health = SelectField(_l("Health"), choices=HEALTH_CHOICES, validate_choice=False)
    files = MultipleFileField(_l("Evidence files (optional)"))
    # One per rendered form, kept with the log it saves: the same form sent again saves nothing more.
    form_token = HiddenField(default=lambda: secrets.token_urlsafe(24))


class MeasurementForm(_ServiceChecked):
    measured_on = StringField(_l("Measured on"), render_kw={"type": "date", "required": True})
    value = StringField(_l("Value"), render_kw={"inputmode": "decimal", "required": True})
    source = StringField(_l("Source"), render_kw={"maxlength": 300})
    note = TextAreaField(_l("Note"), render_kw={"rows": 3})
