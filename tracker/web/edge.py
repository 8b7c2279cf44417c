"""Checks at the edge of every request, before any view: what no page or API operation can store or parse.

- Integers in URLs stay within the database's integer range (`<int:...>` matches 1..2**31-1 only), so an
  id too large for the column is a 404, never a database error.
- Text may not hold the NUL character (PostgreSQL refuses it in text columns): a path, query string, form
  or JSON body holding one answers 400 and changes nothing.
- JSON nested too deep for the parser is a 400 (invalid JSON) that says so, not a recursion error.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, ValidationError

from tracker.core.errors import DomainError
from tracker.core.numbers import DB_INT_MAX

NUL = "\x00"


class DatabaseIntConverter(IntegerConverter):
    """`<int:name>`: a positive integer that fits a database integer column (else the URL does not match)."""

    def __init__(self, map: Any, fixed_digits: int = 0, min: int | None = None, max: int = DB_INT_MAX) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max)

    def to_python(self, value: str) -> int:
        # Out of range is "no such object" (404), whatever the method: a refusal here would make werkzeug
        # answer 405 when another method's rule has the same shape.
        try:
            return int(super().to_python(value))
        except ValidationError:
            raise NotFound() from None


class JSONNestedTooDeeply(ValueError):
    """A JSON document nested beyond the parser's depth (`[[[[…`): invalid JSON, for a reason worth telling."""


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, where a document nested beyond the parser's depth is invalid JSON (a 400)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError as exc:
            raise JSONNestedTooDeeply("JSON nested too deeply") from exc


class NulCharacter(DomainError):
    """A request carried the NUL character in some text."""

    status = 400
    problem_type = "nul-character"


def _texts(value: Any) -> Iterable[str]:
    """Yield every string (keys included) in a decoded JSON value, without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _request_texts() -> Iterable[str]:
    yield request.path
    for key, value in request.args.items(multi=True):
        yield key
        yield value
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in request.form.items(multi=True):
            yield key
            yield value
    elif request.is_json and request.content_length:
        yield from _texts(request.get_json(silent=True))


def refuse_nul_characters() -> None:
    """Raise NulCharacter (400) when the path, query, form or JSON body holds a NUL character."""
    # A multipart part may come without a name (None): only texts are looked at.
    if any(isinstance(text, str) and NUL in text for text in _request_texts()):
        raise NulCharacter(_l("The request holds a NUL character (code 0), which no text may contain."))


def init_edge(app: Flask) -> None:
    """Install the bounded URL integers and JSON parser, and the NUL check of every request."""
    app.url_map.converters["int"] = DatabaseIntConverter
    app.json = BoundedJSONProvider(app)
    app.before_request(refuse_nul_characters)
