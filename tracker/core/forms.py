"""The base of every form of the site: text is cleaned of control characters before any check sees it.

Single-line fields (StringField and its kinds: hidden, email, search...) go through `clean_line`, text areas
through `clean_text` (see tracker/core/text.py for what each drops and why we normalise rather than refuse).
Password fields are left as typed. File fields refuse a file whose name claims another type than its content
(tracker/core/uploads.py), as an error of the field. Every form class derives from `Form`; a test checks it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from wtforms import FileField, PasswordField, StringField, TextAreaField
from wtforms.fields.core import Field, UnboundField
from wtforms.validators import ValidationError

from tracker.core.errors import ValidationFailed
from tracker.core.form_messages import TRANSLATIONS
from tracker.core.text import clean_line, clean_text
from tracker.core.uploads import check_declared_type


def _filter(clean: Callable[[str], str]) -> Callable[[Any], Any]:
    def apply(value: Any) -> Any:
        return clean(value) if isinstance(value, str) else value

    return apply


LINE_FILTER = _filter(clean_line)
TEXT_FILTER = _filter(clean_text)


def cleaning_filter(field_class: type) -> Callable[[Any], Any] | None:
    """Return the filter that a field of this class gets first, or None for fields holding no free text."""
    if not issubclass(field_class, StringField) or issubclass(field_class, PasswordField):
        return None
    return TEXT_FILTER if issubclass(field_class, TextAreaField) else LINE_FILTER


def content_matches_name(_form: Any, field: Field) -> None:
    """Validator of every file field: each file's content is of the type its name claims (ValidationError)."""
    files = field.data if isinstance(field.data, list) else [field.data]
    for upload in files:
        if isinstance(upload, FileStorage) and upload.filename:
            try:
                check_declared_type(upload.filename, upload.stream, field.name)
            except ValidationFailed as exc:
                raise ValidationError(str(exc.message)) from None


class Form(FlaskForm):
    """A FlaskForm whose text fields are cleaned (first of their filters) when bound, and whose file fields
    check each file's content against its name."""

    class Meta:
        def get_translations(self, form: Any) -> Any:
            """WTForms' own messages from the site's catalog (tracker/core/form_messages.py)."""
            return TRANSLATIONS

        def bind_field(self, form: Any, unbound_field: UnboundField, options: dict[str, Any]) -> Any:
            clean = cleaning_filter(unbound_field.field_class)
            if clean is not None:
                options = {**options, "filters": (clean, *unbound_field.kwargs.get("filters", ()))}
            field = unbound_field.bind(form=form, **options)
            if isinstance(field, FileField):
                field.validators = [*field.validators, content_matches_name]
            return field

    # Service field names that this form shows under another name (e.g. {"file": "files"}).
    field_aliases: ClassVar[dict[str, str]] = {}

    def show_errors(self, exc: ValidationFailed) -> None:
        """Put a service's refusal back on the form: each message after its field's own errors (the field named
        like the service's, or as `field_aliases` says); the refusal's message above the form when no field
        took one."""
        placed = False
        for name, messages in exc.errors.items():
            field = getattr(self, self.field_aliases.get(name, name), None)
            if field is not None and hasattr(field, "errors"):
                field.errors = [*list(field.errors or []), *[str(m) for m in messages]]
                placed = True
        if not placed:
            self.form_errors.append(str(exc.message))
