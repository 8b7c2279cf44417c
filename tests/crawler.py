"""A form crawler: follow a signed-in user's same-site links from the home page and submit every POST form found,
as rendered, with valid values in its empty fields.

    result = crawl(client)
    assert not result.problems, result.report()

Pages are de-duplicated by pattern (`/actions/12` and `/actions/40` are one page, query values are ignored), so a
crawl stays short. Forms are de-duplicated by action pattern and hidden values (each lifecycle move is one form).
Downloads (`download` links, paths with a file extension), the log-out form and other sites are left alone.
A problem is a page or a submit that answered 400 (a refused CSRF token, among others) or 5xx, raised, or shows
a traceback.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.forms import form_data, form_path, page_forms

SKIPPED_ACTIONS = {"/logout"}  # submitting it would end the crawl's session
SKIPPED_PREFIXES = ("/api/", "/unsubscribe/", "/healthz", "/static/")
FILE_EXTENSION = re.compile(r"\.[A-Za-z0-9]{2,5}$")
NUMBER = re.compile(r"\d+")
IDENTIFIER = re.compile(r"\d")
TRACEBACK = "Traceback (most recent call last)"
TEXT_VALUES = {
    "email": "crawler@example.org",
    "url": "https://example.org/",
    "tel": "+32 2 000 00 00",
    "password": "crawler password 2026",
    "date": "2026-12-01",
    "month": "2026-12",
    "number": "1",
    "range": "1",
}


@dataclass
class CrawlResult:
    """What a crawl saw: pages visited (paths), forms submitted (`POST path` lines) and problems (one line each)."""

    pages: list[str] = field(default_factory=list)
    submitted: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def report(self) -> str:
        lines = [f"{len(self.pages)} pages, {len(self.submitted)} forms submitted", *self.problems]
        return "\n".join(lines)


def pattern(path: str) -> str:
    """Return the shape of a path: identifiers (segments with a digit, upper-case codes) replaced by `#`, query
    values dropped: `/agreements/idf-bxl-2021/workstreams/ECO-DEV?status=active` → `/agreements/#/workstreams/#?status`.
    """
    parts = urlsplit(path)
    keys = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    segments = ["#" if IDENTIFIER.search(s) or (s.isupper() and s) else s for s in parts.path.split("/")]
    return "/".join(segments) + (f"?{'&'.join(keys)}" if keys else "")


def crawl(client: FlaskClient, start: str = "/", max_pages: int = 60) -> CrawlResult:
    """Visit up to `max_pages` page patterns reachable from `start` and submit every POST form found on them."""
    result = CrawlResult()
    queue: deque[str] = deque([start])
    seen_pages = {pattern(start)}
    seen_forms: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    while queue and len(result.pages) < max_pages:
        path = queue.popleft()
        response = _request(result, f"GET {path}", lambda p=path: client.get(p))
        result.pages.append(path)
        if response is None or response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        links = _links(html, response.request.url)
        for form in page_forms(html, response.request.url):
            key = _form_key(form)
            if (form.method or "GET").upper() != "POST" or key[0] in SKIPPED_ACTIONS or key in seen_forms:
                continue
            seen_forms.add(key)
            answer = _submit(client, result, form, path)
            if answer is not None and answer.status_code in (301, 302, 303) and answer.location:
                links.append(answer.location)  # where the submit leads is visited like a link (once per pattern)
        for link in _same_site(links, response.request.url):
            if pattern(link) not in seen_pages:
                seen_pages.add(pattern(link))
                queue.append(link)
    return result


def _request(result: CrawlResult, what: str, send) -> TestResponse | None:
    try:
        response = send()
    except Exception as exc:  # noqa: BLE001 - an unhandled error propagates out of the test app: report it too
        result.problems.append(f"{what}: raised {type(exc).__name__}: {exc}")
        return None
    for step in [*response.history, response]:
        body = step.get_data(as_text=True) if step.mimetype and step.mimetype.startswith("text/") else ""
        if step.status_code == 400 or step.status_code >= 500 or TRACEBACK in body:
            heading = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
            result.problems.append(f"{what}: {step.status_code} {heading.group(1).strip() if heading else body[:200]}")
    return response


def _links(html: str, base_url: str) -> list[str]:
    document = lxml.html.document_fromstring(html, base_url=base_url)
    return [a.get("href") for a in document.iter("a") if a.get("href") and a.get("download") is None]


def _same_site(links: list[str], base_url: str) -> list[str]:
    """Return the paths (with query) of the links to pages of this site, downloads and skipped paths left out."""
    paths = []
    for link in links:
        parts = urlsplit(urldefrag(urljoin(base_url, link))[0])
        if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(base_url).netloc:
            continue
        if FILE_EXTENSION.search(parts.path) or parts.path.startswith(SKIPPED_PREFIXES):
            continue
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def _form_key(form: lxml.html.FormElement) -> tuple[str, tuple[tuple[str, str], ...]]:
    hidden = form.xpath(".//input[@type='hidden'][@name]")
    values = sorted(
        (i.get("name"), NUMBER.sub("#", i.get("value", "")))
        for i in hidden
        if not i.get("name").endswith("csrf_token") and i.get("name") not in ("next", "version")
    )
    return urlsplit(form_path(form)).path, tuple(values)


def _submit(client: FlaskClient, result: CrawlResult, form: lxml.html.FormElement, on_page: str) -> TestResponse | None:
    action = form_path(form)
    buttons = [b.get("name") for b in form.xpath(".//button[@name]|.//input[@type='submit'][@name]")]
    data = form_data(form, valid_values(form), buttons[0] if buttons else None)
    multipart = (form.get("enctype") or "").lower() == "multipart/form-data"
    result.submitted.append(f"POST {action}")
    content_type = "multipart/form-data" if multipart else None
    return _request(
        result, f"POST {action} (form of {on_page})", lambda: client.post(action, data=data, content_type=content_type)
    )


def valid_values(form: lxml.html.FormElement) -> dict[str, object]:
    """Return values for the form's empty fields: text, dates and numbers within their bounds, a chosen option,
    the first radio of a group, a small file for a required file input. Rendered values are kept."""
    values: dict[str, object] = {}
    rendered = dict(form.form_values())
    for element in form.inputs:
        name = element.get("name")
        if not name or name in values:
            continue
        tag = element.tag
        kind = (element.get("type") or "text").lower() if tag == "input" else tag
        if kind in ("hidden", "submit", "button", "reset", "image", "checkbox"):
            continue
        if kind == "radio":
            if name not in rendered:
                values[name] = element.get("value", "on")
        elif kind == "file":
            if element.get("required") is not None:
                values[name] = _file_for(element.get("accept") or "")
        elif kind == "select":
            if not element.multiple and not (element.value or ""):
                options = [o for o in element.value_options if o]
                if options:
                    values[name] = options[0]
        elif not (element.value or "").strip():
            value = element.get("min") or element.get("max") or TEXT_VALUES.get(kind, "Crawler note")
            maxlength = element.get("maxlength")
            values[name] = value[: int(maxlength)] if maxlength and maxlength.isdigit() else value
    return values


def _file_for(accept: str) -> tuple[str, bytes]:
    extensions = [a.strip() for a in accept.split(",") if a.strip().startswith(".")]
    if ".csv" in extensions:
        return "crawler.csv", b"action_ref,workstream,title\n"
    return f"crawler{extensions[0] if extensions else '.txt'}", b"A file sent by the form crawler.\n"
