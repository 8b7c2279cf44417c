"""Field messages of the API's 422 answers in the reader's language (pydantic writes them in English only)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext


def N_(msgid: str) -> str:
    """Mark a message for translation; it is translated when used."""
    return msgid


_INTEGER = N_("Must be a whole number.")
_NUMBER = N_("Must be a number.")
_BOOLEAN = N_("Must be true or false.")
_DATE = N_("Must be a date (YYYY-MM-DD).")
_OBJECT = N_("Must be a JSON object.")
_CHOICE = N_("Must be one of: %(expected)s.")

# Keyed by pydantic's error `type`; the `ctx` of the error fills the placeholders.
MESSAGES: dict[str, str] = {
    "missing": N_("Required."),
    "extra_forbidden": N_("Unknown field."),
    "int_type": _INTEGER,
    "int_parsing": _INTEGER,
    "int_from_float": _INTEGER,
    "int_parsing_size": _INTEGER,
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "finite_number": N_("Must be a finite number."),
    "bool_type": _BOOLEAN,
    "bool_parsing": _BOOLEAN,
    "string_type": N_("Must be a text."),
    "string_too_long": N_("At most %(max_length)s characters."),
    "string_too_short": N_("At least %(min_length)s characters."),
    "too_long": N_("At most %(max_length)s items."),
    "too_short": N_("At least %(min_length)s items."),
    "greater_than_equal": N_("Must be at least %(ge)s."),
    "less_than_equal": N_("Must be at most %(le)s."),
    "greater_than": N_("Must be more than %(gt)s."),
    "less_than": N_("Must be less than %(lt)s."),
    "literal_error": _CHOICE,
    "enum": _CHOICE,
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "date_past": _DATE,
    "list_type": N_("Must be a list."),
    "dict_type": _OBJECT,
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
}
FALLBACK = N_("This value is not valid.")


def field_message(error: dict[str, Any]) -> str:
    """Return the message of one pydantic error (a dict with `type` and maybe `ctx`) in the request's language."""
    msgid = MESSAGES.get(str(error.get("type", "")), FALLBACK)
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    try:
        return gettext(msgid, **context) if "%(" in msgid else gettext(msgid)
    except (KeyError, ValueError):
        return gettext(FALLBACK)
