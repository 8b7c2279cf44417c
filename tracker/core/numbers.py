"""Reading integers from untrusted text (URLs, query strings, forms) within the database's integer range."""

from __future__ import annotations

import re
from typing import Any

# The largest value of an `integer` column on PostgreSQL: every id the tracker stores fits it.
DB_INT_MAX = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_db_int(raw: Any, *, minimum: int = 1, maximum: int = DB_INT_MAX) -> int | None:
    """Return the integer that `raw` spells in ASCII digits (surrounding spaces allowed) when it lies within
    minimum..maximum, else None: signs, other digits (``²``, ``١``), huge numbers and non-text give None."""
    text = raw.strip() if isinstance(raw, str) else ""
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None
