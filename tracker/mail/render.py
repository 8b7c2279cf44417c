"""Rendering a message in its recipient's language from one template pair with `subject` and `body` blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_babel import force_locale
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, TemplateNotFound

TEMPLATES = Path(__file__).resolve().parent / "templates"
# Runs of spaces and line breaks become one space; no-break spaces stay (« À signer\u202f: », « 1\u00a0234 »).
_SPACES = re.compile(r"[^\S\u00a0\u202f\u2007]+")


@dataclass
class Rendered:
    """A message ready to send: subject, plain text, optional HTML and extra headers."""

    subject: str
    text: str
    html: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def mail_environment(app: Flask | None = None) -> Environment:
    """Return the app's Jinja environment looking first in tracker/mail/templates (the layout `_layout.txt` and
    `.html` every mail extends, and the mail domain's own test message), then in the app's loader, where each domain's
    mails are under its templates (`reminders/mail/digest`, `reports/mail/…`); one per app."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    env = app.extensions.get("mail_jinja_env")
    if env is None:
        env = app.jinja_env.overlay(loader=ChoiceLoader([FileSystemLoader(str(TEMPLATES)), app.jinja_env.loader]))
        app.extensions["mail_jinja_env"] = env
    return env


def base_url() -> str:
    return str(current_app.config["BASE_URL"]).rstrip("/")


def link(path: str) -> str:
    """Return an absolute link to a path of the site, built from BASE_URL."""
    return base_url() + "/" + path.lstrip("/")


def render_mail(template: str, context: dict[str, Any], language: str) -> Rendered:
    """Render `<template>.txt` (with its `subject` block) and `<template>.html` when it exists."""
    env = mail_environment()
    values = {"base_url": base_url(), "preferences_url": link("/profile"), "language": language, **context}
    with force_locale(language):
        text_template = env.get_template(f"{template}.txt")
        block = text_template.blocks.get("subject")
        if block is None:
            raise ValueError(f"mail template {template}.txt has no subject block")
        subject = _SPACES.sub(" ", "".join(block(text_template.new_context(values)))).strip()
        text = _tidy(text_template.render(values))
        try:
            html: str | None = env.get_template(f"{template}.html").render(values)
        except TemplateNotFound:
            html = None
    return Rendered(subject=subject, text=text, html=html)


def _tidy(text: str) -> str:
    """Drop trailing spaces and runs of blank lines that template tags leave behind."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
