"""The narrative form: one text per language (French and Dutch expected, English optional) and the version the
form was opened at. One text per language rather than three fields (achieved / not achieved / next): the writer
answers the three questions in the order and length the workstream needs, and a reader reads one continuous text."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField

from tracker.core.forms import Form


class NarrativeForm(Form):
    text_fr = TextAreaField(_l("In French"), render_kw={"rows": 10, "lang": "fr"})
    text_nl = TextAreaField(_l("In Dutch"), render_kw={"rows": 10, "lang": "nl"})
    text_en = TextAreaField(_l("In English (optional)"), render_kw={"rows": 6, "lang": "en"})
    version = HiddenField()
