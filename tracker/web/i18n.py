"""Language and time zone of each request, and the template helpers that depend on them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import (
    Domain,
    LazyString,
    format_date,
    format_decimal,
    format_time,
    get_locale,
    get_timezone,
    get_translations,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

LANGUAGE_NAMES = {"fr": "Français", "en": "English", "nl": "Nederlands"}
ROLE_LABELS = {"admin": _l("Administrator"), "coordinator": _l("Coordinator"), "reviewer": _l("Reviewer")}


def select_locale() -> str:
    """Return the request's language: the one chosen in this session, the user's, else French."""
    if not has_request_context():
        # Commands and jobs: operators read English; mail picks each recipient's language with force_locale.
        return "en"
    languages = current_app.config["LANGUAGES"]
    if request.path.startswith("/api/") and not request.path.endswith("/docs"):
        # The JSON API is English-first and never reads the session: Accept-Language may ask otherwise.
        return request.accept_languages.best_match(languages, default="en") or "en"
    chosen = session.get("lang")
    if chosen in languages:
        return str(chosen)
    if current_user and current_user.is_authenticated:
        return str(current_user.language)
    # Visitors who have not chosen: French unless their browser prefers one of the others.
    return request.accept_languages.best_match(languages, default="fr") or "fr"


def select_timezone() -> str:
    return str(current_app.config["TRACKER_TIMEZONE"])


def current_language() -> str:
    now = reading()
    return now.locale.language if now is not None else "fr"


_FIRST = re.compile(r"(?<!\d)1(?= )")


def french_first(text: str, value: date, language: str) -> str:
    """Return a formatted date with « 1er » for the first of a month in French (« 1er novembre 2026 »)."""
    if language == "fr" and value.day == 1:
        return _FIRST.sub("1er", text, count=1)
    return text


def format_calendar_date(value: date, fmt: str = "medium") -> str:
    """Return a date in the request's language (Babel), « 1er » included in French; '' for None. Calendar dates
    are memoised per language: pages show hundreds of them; an instant (datetime) is shown in the reader's time
    zone."""
    if not value:
        return ""
    if isinstance(value, datetime):
        return french_first(format_date(value, fmt), value, current_language())
    return _calendar_date(value, fmt, locale_tag())


@lru_cache(maxsize=8192)
def _calendar_date(value: date, fmt: str, locale: str) -> str:
    return french_first(babel_dates.format_date(value, fmt, locale=locale), value, locale[:2])


def reader_date(value: date) -> LazyString:
    """Return `value` as its reader writes it (« 1er janvier 2000 », « 1 januari 2000 »), formatted when a message
    is shown, in the reader's language."""
    return LazyString(format_calendar_date, value, "long")


def short_date_pattern() -> str:
    """Return the reader's short date pattern with a four-digit year (`dd/MM/y`, `dd-MM-y`, `M/d/y`): how
    their spreadsheet writes a date, and how they type one."""
    now = reading()
    pattern = str(now.locale.date_formats["short"].pattern) if now is not None else "dd/MM/y"
    return pattern if "yyy" in pattern else pattern.replace("yy", "y")


def format_moment(value: datetime) -> str:
    """Return an instant as people read it, to the minute, in the reader's language and time zone
    (`28 nov. 2026, 14:15`, `Nov 28, 2026, 2:15 PM`, `28 nov 2026, 14:15`)."""
    now = reading()
    if now is None:
        return f"{format_date(value, 'medium')}, {format_time(value, 'short')}"
    # Flask-Babel's format_date and format_time, without their lookups of the locale and time zone.
    zone = _reader_timezone()
    local = zone.normalize((value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone))
    day = babel_dates.format_date(local, "medium", locale=now.locale)
    time = babel_dates.format_time(local, "short", tzinfo=zone, locale=now.locale)
    return str(now.locale.datetime_formats["medium"]).replace("{1}", day).replace("{0}", time)


def _reader_timezone() -> Any:
    """Flask-Babel's time zone of the request (get_timezone), read like the locale in `reading`."""
    babel_state = _app_globals().__dict__.get("_flask_babel")
    return getattr(babel_state, "babel_tzinfo", None) or get_timezone()


def localized(obj: Any, field: str) -> str:
    """Return obj.<field>_<lang> for the current language, falling back to French."""
    if obj is None:
        return ""
    return str(obj.text(field, current_language()))


def commitment_number(position: int) -> str:
    """Return how people refer to a commitment within its workstream, from its 0-based `position`
    (`n° 1` in French, `nr. 1` in Dutch, `No. 1` in English), instead of its English code (`ECO-DEV-1`)."""
    return f"{_l('No.')}\u00a0{format_decimal(position + 1, format='#,##0')}"


# Placeholders whose number is a name, not a quantity: an id, a year or a quarter is never grouped (« 2026 »).
NOT_QUANTITIES = frozenset({"id", "ids", "year", "quarter", "code"})
_PLACEHOLDER = re.compile(r"%\((\w+)\)([-#0 +]*\d*(?:\.\d+)?[a-zA-Z])")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def interpolate(text: str, variables: dict[str, Any], *, always: bool = False) -> str:
    """Return `text` % `variables` with every number written for the reader (Babel, the current language):
    « 10 000 actions » (narrow no-break space) in French, « 10.000 acties » in Dutch, « 7,4 » for 7.4.

    Numbers in plain `%(name)d` or `%(name)s` placeholders are formatted; a placeholder with a width or
    precision (`%(hour)02d`) and names in NOT_QUANTITIES (ids, years) keep their digits as they are.
    Keeps `text`'s type (Markup stays Markup, its other values escaped); raises what `%` raises. Without
    variables, `text` is returned as it is unless `always` (templates, as Jinja does: `%%` reads `%`)."""
    if not variables:
        return text % variables if always else text
    specs = _placeholders(str(text))
    numbers = frozenset(
        k for k, v in variables.items()
        if _is_number(v) and k not in NOT_QUANTITIES and specs.get(k) and specs[k] <= {"s", "d"}
    )  # fmt: skip
    if numbers:
        locale = locale_tag("en")
        variables = {k: _quantity(v, locale) if k in numbers else v for k, v in variables.items()}
        widened = _widened(str(text), numbers)
        text = Markup(widened) if isinstance(text, Markup) else widened  # noqa: S704 - the message was Markup already
    return text % variables


# A page writes hundreds of messages and numbers: what depends only on the message, or on the number and the
# language, is worked out once per process.
@lru_cache(maxsize=4096)
def _placeholders(text: str) -> dict[str, frozenset[str]]:
    """{placeholder name: its conversion specs} of a message."""
    specs: dict[str, set[str]] = {}
    for name, spec in _PLACEHOLDER.findall(text):
        specs.setdefault(name, set()).add(spec)
    return {name: frozenset(found) for name, found in specs.items()}


@lru_cache(maxsize=4096)
def _widened(text: str, numbers: frozenset[str]) -> str:
    """The message with the placeholders of `numbers` made `%(name)s` (they receive formatted text)."""
    return _PLACEHOLDER.sub(lambda m: f"%({m.group(1)})s" if m.group(1) in numbers else m.group(0), text)


@lru_cache(maxsize=8192, typed=True)
def _quantity(value: float | Decimal, locale: str) -> str:
    return babel_numbers.format_decimal(value, format="#,##0.###", locale=locale)


class Reading(NamedTuple):
    """The language a message is written in at this moment: Flask-Babel's locale, its tag (`fr`, `nl_BE`) and its
    catalog."""

    locale: Locale
    tag: str
    translations: Any


def _app_globals() -> Any:
    """Flask's `g` itself (one context-variable read), or None outside an app context. Each attribute read through
    the `g` proxy costs microseconds, and a page reads its language hundreds of times."""
    try:
        return g._get_current_object()
    except RuntimeError:
        return None


def reading() -> Reading | None:
    """Return the language in force (None outside an app context), worked out once and kept on `g` for as long as
    Flask-Babel's locale stays the same object: `force_locale` and `refresh` make a new one, so a message in
    another language (a mail to a Dutch-speaking recipient), or after a language switch, is never written from the
    kept catalog. Flask-Babel's kept locale is read directly on its `g` namespace, without its proxy lookups; when
    it is not there yet, get_locale() works it out."""
    state = _app_globals()
    if state is None:
        return None
    babel_state = state.__dict__.get("_flask_babel")
    locale = getattr(babel_state, "babel_locale", None) or get_locale()
    kept = state.__dict__.get("_tracker_reading")
    if kept is None or kept.locale is not locale:
        kept = state._tracker_reading = Reading(locale, str(locale), get_translations())
    return kept


def locale_tag(default: str = "fr") -> str:
    """Return the tag of the language in force (`fr`, `nl`, `en`), or `default` outside an app context."""
    now = reading()
    return now.tag if now is not None else default


def translations() -> Any:
    """Return Flask-Babel's translations of the language in force (see `reading`): a page asks for them hundreds
    of times, and each time Flask-Babel looks its context, locale and catalog cache up again."""
    now = reading()
    return now.translations if now is not None else get_translations()


class LocalizedDomain(Domain):
    """The messages domain whose translations write the numbers they carry for the reader (`interpolate`)."""

    def gettext(self, string: str, **variables: Any) -> str:
        return interpolate(translations().ugettext(string), variables)

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        return interpolate(translations().ungettext(singular, plural, num), variables)

    def pgettext(self, context: str, string: str, **variables: Any) -> str:
        return interpolate(translations().upgettext(context, string), variables)

    def npgettext(self, context: str, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        return interpolate(translations().unpgettext(context, singular, plural, num), variables)


def _template_text(ctx: Context, text: str) -> str:
    return Markup(text) if ctx.eval_ctx.autoescape else text  # noqa: S704 - a catalog message, as Jinja's i18n does


@pass_context
def _t_gettext(ctx: Context, string: str, **variables: Any) -> str:
    text = translations().ugettext(string)
    if not variables and "%" not in text:
        return _template_text(ctx, text)  # most messages: nothing to put in, nothing to unescape
    return interpolate(_template_text(ctx, text), variables, always=True)


@pass_context
def _t_ngettext(ctx: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)
    return interpolate(_template_text(ctx, translations().ungettext(singular, plural, num)), variables, always=True)


@pass_context
def _t_pgettext(ctx: Context, context: str, string: str, **variables: Any) -> str:
    variables.setdefault("context", context)
    return interpolate(_template_text(ctx, translations().upgettext(context, string)), variables, always=True)


@pass_context
def _t_npgettext(ctx: Context, context: str, singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    text = translations().unpgettext(context, singular, plural, num)
    return interpolate(_template_text(ctx, text), variables, always=True)


def init_localized_messages(app: Flask, babel: Any) -> None:
    """Make every translated message, in Python and in templates, write its numbers for the reader."""
    babel.domain_instance = LocalizedDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
    # `_` is gettext itself, not Jinja's alias that looks `gettext` up in the template's context on every call.
    app.jinja_env.globals.update(
        gettext=_t_gettext, _=_t_gettext, ngettext=_t_ngettext, pgettext=_t_pgettext, npgettext=_t_npgettext
    )


def init_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["tr"] = localized
    app.jinja_env.globals["commitment_number"] = commitment_number
    app.jinja_env.filters["date"] = format_calendar_date

    @app.context_processor
    def _language_context() -> dict[str, Any]:
        return {
            "current_language": current_language(),
            "language_names": LANGUAGE_NAMES,
            "role_label": lambda role: ROLE_LABELS.get(str(role), str(role)),
        }
