"""Template filters: user Markdown rendered and sanitised, numbers and percentages per language (Babel)."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

from babel import numbers as babel_numbers
from flask import Flask
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from markupsafe import Markup

from tracker.actions.units import file_size, measure, quantity, unit_name
from tracker.core.pagination import CappedCount
from tracker.web.i18n import format_calendar_date, format_moment, locale_tag

# Headings start at h3: a description sits under the page's own h1 and h2.
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(source: str | None) -> Markup:
    """Return the Markdown `source` as HTML with every tag, attribute and URL scheme outside the allow-list gone."""
    if not source:
        return Markup("")
    # Imported on first use: Markdown and its extensions weigh on the start of every command and worker.
    import markdown as md
    import nh3

    html = md.markdown(source, extensions=["tables", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)  # noqa: S704 - sanitised by nh3 just above


class _PlainText(HTMLParser):
    """Collects what rendered Markdown reads as text: paragraphs and items on their own lines (`- ` or `1. ` before
    an item), a link's address after its words, table cells split by ` | `."""

    BLOCKS = frozenset({"p", "pre", "blockquote", "ul", "ol", "table", "h3", "h4", "h5", "h6", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[int] = []  # per open list: 0 for bullets, else the next number
        self.href: str | None = None
        self.link_text: list[str] = []
        self.in_pre = False

    def _line(self) -> str:
        return "".join(self.parts).rsplit("\n", 1)[-1].strip()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("ul", "ol"):
            self.lists.append(1 if tag == "ol" else 0)
        elif tag == "li":
            number = self.lists[-1] if self.lists else 0
            if number:
                self.lists[-1] += 1
            self.parts.append(f"\n{number}. " if number else "\n- ")
        elif tag in ("br", "tr"):
            self.parts.append("\n")
        elif tag in ("td", "th") and self._line():
            self.parts[-1] = self.parts[-1].rstrip()
            self.parts.append(" | ")
        elif tag == "pre":
            self.in_pre = True
        elif tag == "a":
            self.href, self.link_text = dict(attrs).get("href"), []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag == "pre":
            self.in_pre = False
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a":
            words = "".join(self.link_text).strip()
            if self.href and self.href not in (words, f"mailto:{words}"):
                self.parts.append(f" ({self.href.removeprefix('mailto:')})")
            self.href = None

    def handle_data(self, data: str) -> None:
        text = data if self.in_pre else re.sub(r"\s+", " ", data)
        self.parts.append(text)
        if self.href is not None:
            self.link_text.append(text)

    def text(self) -> str:
        lines = "\n".join(line.strip() for line in "".join(self.parts).splitlines())
        return re.sub(r"\n{3,}", "\n\n", lines).strip()


def markdown_text(source: str | None) -> str:
    """Return Markdown `source` as the plain text it reads (« **Salon** » reads « Salon »), for files people read
    outside the app: markers gone, paragraphs and list items kept on their own lines, links with their address."""
    if not source:
        return ""
    parser = _PlainText()
    parser.feed(str(render_markdown(source)))
    parser.close()
    return parser.text()


def percent(value: Any) -> str:
    """Format a 0-100 figure as a percentage in the request's language (e.g. « 42 % » in French)."""
    if value is None:
        return ""
    share = float(value) / 100
    return _percent(share, locale_tag(), str(share))


def number(value: Any, digits: int = 0) -> str:
    if value is None:
        return ""
    return _decimal(value, "#,##0" + ("." + "#" * digits if digits else ""), locale_tag(), str(value))


# Figures are memoised per language as Babel writes them; the text of the value is part of the key, so that
# values equal in Python but written apart (-0 and 0, 1 and 1.0) never share an entry.
@lru_cache(maxsize=8192)
def _percent(share: float, locale: str, _text: str) -> str:
    return babel_numbers.format_percent(share, locale=locale)


@lru_cache(maxsize=8192)
def _decimal(value: Any, pattern: str, locale: str, _text: str) -> str:
    return babel_numbers.format_decimal(value, format=pattern, locale=locale)


def count(value: CappedCount | int) -> str:
    """Format a count for the reader: its figure, or « more than 999 » when it reached its cap (CappedCount)."""
    if isinstance(value, CappedCount):
        if value.exceeded:
            return _("more than %(num)s", num=value.cap - 1)
        value = value.value
    return number(value)


def web_url(value: str | None) -> str | None:
    """Return `value` if it is an http(s) address (never a javascript: or data: one), else None."""
    if value and value.strip().lower().startswith(("https://", "http://")):
        return value.strip()
    return None


def local_date(value: Any, fmt: str = "medium") -> str:
    """Format a date in the request's language (calendar dates are memoised: pages show hundreds of them)."""
    if isinstance(value, datetime):
        return format_date(value, fmt)  # an instant: shown in the reader's time zone
    return format_calendar_date(value, fmt)


def register(app: Flask) -> None:
    app.jinja_env.filters["date"] = local_date
    app.jinja_env.filters["datetime"] = lambda value, fmt=None: (
        "" if not value else format_moment(value) if fmt is None else format_datetime(value, fmt)
    )
    app.jinja_env.filters["web_url"] = web_url
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["count"] = count
    app.jinja_env.filters["measure"] = measure
    app.jinja_env.filters["unit_name"] = unit_name
    app.jinja_env.filters["quantity"] = quantity
    app.jinja_env.filters["filesizeformat"] = file_size  # Jinja's own reads « 45 Bytes » in every language
