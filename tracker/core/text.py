"""Cleaning user text at the edge: no control or bidi-override character reaches storage, headers or files.

`clean_line` is for single-line fields (names, titles, codes, URLs): line breaks and tabs become one space,
other controls are dropped. `clean_text` is for multi-line fields (descriptions, comments): line breaks
(normalised to "\\n") and tabs stay, other controls are dropped. Both drop the bidi embeddings, overrides and
isolates (U+202A-U+202E, U+2066-U+2069) that make text display in another order than it is stored.

Why normalise rather than refuse: these characters arrive by pasting (from a spreadsheet, a PDF, an email
signature) far more often than on purpose, they are invisible in the field, and a person told "invalid
character" could not find which one. What is kept is what the person saw.
"""

from __future__ import annotations

import re

# C0 controls except tab/LF/CR, DEL, C1 controls, bidi embeddings/overrides/isolates, line/paragraph separators.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile("[\r\n\t\u2028\u2029\x85]+")
_NEWLINES = re.compile("\r\n|\r|\u2028|\u2029|\x85")


def clean_line(value: str) -> str:
    """Return `value` on one line: runs of line breaks and tabs become one space, other controls are dropped."""
    return _INVISIBLE.sub("", _BREAKS.sub(" ", value))


def clean_text(value: str) -> str:
    """Return `value` with "\\n" line ends and tabs kept, every other control and bidi override dropped."""
    return _INVISIBLE.sub("", _NEWLINES.sub("\n", value))
