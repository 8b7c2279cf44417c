"""A subject keeps the catalogue's no-break spaces (« À signer\u202f: ») in the bytes a mail service receives."""

from __future__ import annotations

from email.headerregistry import Address
from types import SimpleNamespace

from flask import Flask

from tests.mail.rawmail import decode_words, header
from tracker.mail.compose import compose
from tracker.mail.render import render_mail


def test_a_french_subject_keeps_its_narrow_no_break_space_before_the_colon(app: Flask) -> None:
    context = {
        "report": SimpleNamespace(signatures=[]),
        "recipient": SimpleNamespace(name="Camille"),
        "report_kind": lambda: "Rapport final",
        "report_period": lambda: "T3 2026",
        "agreement_title": lambda: "Accord",
        "report_url": "https://example.org/reports/1",
    }
    with app.test_request_context():
        rendered = render_mail("reports/mail/awaiting", context, "fr")
        raw = compose(
            rendered,
            sender=Address("Suivi", addr_spec="noreply@example.org"),
            to=Address("Camille", addr_spec="camille@example.org"),
            message_id="<1@example.org>",
            language="fr",
        )
    subject = decode_words(header(raw, "Subject"))
    # The catalogue's no-break space before the colon, not a plain space (a line never breaks before « : »).
    assert subject.startswith("À signer") and subject[8] in "\u00a0\u202f" and subject[9:].startswith(": Rapport")
