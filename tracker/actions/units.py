"""Units as people read them: indicators' units with a translated name and a precision (a count of people has no
decimals), and file sizes (« 45 octets », « 21 Mo »).

The agreement file names a unit by key (`people`, `percent`, `rank`); an unknown key is shown as given.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from babel.numbers import format_percent
from babel.units import format_unit
from flask_babel import format_decimal, format_scientific, get_locale, ngettext
from flask_babel import lazy_gettext as _l

UNIT_NAMES = {"people": _l("people"), "percent": _l("percentage"), "rank": _l("rank")}
# Decimals shown (and accepted) per unit; a unit not listed keeps two.
PRECISION = {"people": 0, "rank": 0, "percent": 1}
DEFAULT_PRECISION = 2


def unit_name(unit: str | None) -> str:
    """Return the unit's name in the current language (`personnes`, `pourcentage`, `rang`), or the key itself."""
    if not unit:
        return ""
    return str(UNIT_NAMES.get(unit, unit))


def precision(unit: str | None) -> int:
    """Return how many decimals a value of `unit` has."""
    return PRECISION.get(unit or "", DEFAULT_PRECISION)


def measure(value: Any, unit: str | None) -> str:
    """Return a value of `unit` formatted for the reader, with the unit's precision (`63 595`, `6,9`); '' for None."""
    if value is None:
        return ""
    number = float(value)
    if not math.isfinite(number) or abs(number) >= 1e15:
        # A value stored before numbers were bounded: shown as it is rather than breaking the page.
        return format_scientific(number) if math.isfinite(number) else str(number)
    digits = precision(unit)
    rounded = round(number, digits)
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(rounded, format=pattern)


def quantity(value: Any, unit: str | None) -> str:
    """Return a value with its unit as people write it, in the reader's language: « 6,9 % », « 120 personnes »,
    « 1 personne », « 3e position » (`120 people`, `6.9%`, `ranked 3rd` in English); an unknown unit's key follows
    the number; '' for None."""
    if value is None:
        return ""
    shown = measure(value, unit)
    number = float(value)
    if unit == "percent" and math.isfinite(number) and abs(number) < 1e15:
        fraction = Decimal(str(round(number, precision(unit)))) / 100
        return format_percent(fraction, locale=str(get_locale() or "fr"), decimal_quantization=False)
    if unit == "people":
        count = int(abs(number)) if math.isfinite(number) else 2
        return ngettext("%(count)s person", "%(count)s people", count, count=shown)
    if unit == "rank" and math.isfinite(number):
        return str(_l("ranked %(ordinal)s", ordinal=ordinal(shown, int(abs(number)))))
    return f"{shown}\u00a0{unit}" if unit else shown


def ordinal(shown: str, number: int) -> str:
    """Return the position `number` (written `shown`) as an ordinal in the reader's language: « 1re », « 5e »
    (feminine, as « position ») in French, « 1e », « 5e » in Dutch, « 1st », « 22nd », « 11th » in English."""
    language = str(get_locale() or "fr")[:2]
    if language == "fr":
        return shown + ("re" if number == 1 else "e")
    if language == "nl":
        return shown + "e"
    suffix = "th" if number % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return shown + suffix


def file_size(size: int) -> str:
    """Return a size in bytes as people read it: « 45 octets », « 21 Mo », « 1,2 kB » (two significant decimals)."""
    locale = get_locale() or "fr"
    value, unit = float(size), "digital-byte"
    for bigger in ("digital-kilobyte", "digital-megabyte", "digital-gigabyte"):
        if value < 1000:
            break
        value, unit = value / 1000, bigger
    length = "long" if unit == "digital-byte" else "short"
    shown = round(value) if value >= 10 or unit == "digital-byte" else round(value, 1)
    return format_unit(shown, unit, length=length, locale=locale)
