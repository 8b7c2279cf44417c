"""Submitting forms as the page renders them: the form's own fields (its CSRF token included), never a hand-made
or borrowed token.

    page = client.get(f"/reports/{report.id}")
    response = submit_form(client, page, action=f"/reports/{report.id}/sign", fields={"sign-comment": "Relu."})

`fields` may only fill or change fields that the form renders (a typo or a missing field fails the test), and
`button` presses a named submit button of that form (`"lang"`, or `("lang", "nl")` for one of several). Where a
page renders several forms to one action (the lifecycle moves), `match` picks the one by its rendered values:

    submit_form(client, f"/actions/{action.id}", action=f"/actions/{action.id}/transition", match={"to": "active"})
"""

from __future__ import annotations

from io import BytesIO
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from flask.testing import FlaskClient
from werkzeug.test import TestResponse


def page_forms(html: str, base_url: str = "http://localhost/") -> list[lxml.html.FormElement]:
    """Return the forms of a page, their actions resolved against `base_url`."""
    document = lxml.html.document_fromstring(html, base_url=base_url)
    document.make_links_absolute(base_url, resolve_base_href=True)
    return list(document.forms)


def form_path(form: lxml.html.FormElement) -> str:
    """Return the path (and query) a form posts to, as a browser resolves its `action`."""
    parts = urlsplit(form.action or form.base_url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def find_form(
    html: str, action: str | None = None, base_url: str = "http://localhost/", match: dict[str, str] | None = None
) -> lxml.html.FormElement:
    """Return the one POST form of the page that posts to `action` (a path), or the page's only POST form;
    `match` keeps only the forms whose rendered values include these (name → value)."""
    forms = [f for f in page_forms(html, base_url) if (f.method or "GET").upper() == "POST"]
    if action is not None:
        forms = [f for f in forms if form_path(f) == action]
    if match:
        forms = [f for f in forms if set(match.items()) <= set(f.form_values())]
    assert len(forms) == 1, f"expected one POST form to {action!r} {match or ''}, found {[form_path(f) for f in forms]}"
    return forms[0]


def form_data(
    form: lxml.html.FormElement, fields: dict[str, Any] | None = None, button: str | tuple[str, str] | None = None
) -> dict:
    """Return what a browser sends for `form`: its rendered values, with `fields` filled in and `button` pressed."""
    rendered = {element.name for element in form.inputs if element.name}
    data: dict[str, Any] = {}
    for name, value in form.form_values():
        if name in data:
            existing = data[name]
            data[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            data[name] = value
    for name, value in (fields or {}).items():
        assert name in rendered, f"the form renders no field {name!r} (it has {sorted(rendered)})"
        if value is None:
            data.pop(name, None)
        elif isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], bytes):
            data[name] = (BytesIO(value[1]), value[0])
        else:
            data[name] = value
    if button is not None:
        name, value = button if isinstance(button, tuple) else (button, None)
        buttons = [
            b
            for b in form.xpath(".//button[@name]|.//input[@type='submit'][@name]")
            if b.get("name") == name and value in (None, b.get("value", ""))
        ]
        assert buttons, f"the form has no submit button {button!r}"
        data[name] = buttons[0].get("value", "")
    return data


def submit_form(
    client: FlaskClient,
    page: TestResponse | str,
    action: str | None = None,
    fields: dict[str, Any] | None = None,
    button: str | tuple[str, str] | None = None,
    match: dict[str, str] | None = None,
    **kwargs: Any,
) -> TestResponse:
    """Fill and post one form of `page` (a response, or a path to get first) as a browser would.

    `action` is the path the form posts to (default: the page's own path).
    `fields` maps a rendered field's name to its value (None unchecks or empties it; `(filename, bytes)` for a
    file input); `button` presses a named submit button; `match` picks among several forms to `action`. Returns the response to the POST (redirects followed when `follow_redirects=True` is given).
    """
    if isinstance(page, str):
        base = urljoin("http://localhost/", page)
        page = client.get(page)
    else:
        base = page.request.url if page.request is not None else "http://localhost/"
    assert page.status_code == 200, f"the page answered {page.status_code}"
    if action is None:  # the form that posts back to the page itself
        parts = urlsplit(base)
        action = parts.path + (f"?{parts.query}" if parts.query else "")
    form = find_form(page.get_data(as_text=True), action, base, match)
    data = form_data(form, fields, button)
    multipart = (form.get("enctype") or "").lower() == "multipart/form-data"
    content_type = "multipart/form-data" if multipart else None
    return client.post(form_path(form), data=data, content_type=content_type, **kwargs)
