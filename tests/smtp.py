"""A real SMTP server for the tests: aiosmtpd on a free loopback port, recording what it accepts.

`smtp_server` starts one per test; `mail_app` points the app at it. The server can be stopped and started again
on the same port (a relay going down and coming back) and told to refuse some recipients (550, 451).
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from flask import Flask


@dataclass(frozen=True)
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        return body.get_content()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SmtpSink:
    """An SMTP server on 127.0.0.1 that keeps every accepted message."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[Received] = []
        self.refuse: dict[str, str] = {}  # recipient -> reply, e.g. "550 5.1.1 No such user"
        self._controller: Controller | None = None
        self._arrived = threading.Condition()

    # aiosmtpd handler hooks
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._arrived:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content))
            )
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def start(
        self, *, tls: str | None = None, context: ssl.SSLContext | None = None, login: tuple[str, str] | None = None
    ) -> SmtpSink:
        """Listen; `tls` "starttls" (required) or "ssl" (implicit) with `context`; `login` requires AUTH."""
        options: dict = {}
        if tls == "starttls":
            options.update(tls_context=context, require_starttls=True)
        elif tls == "ssl":
            options.update(ssl_context=context)
        if login is not None:
            options.update(
                auth_required=True,
                auth_require_tls=tls == "starttls",  # implicit TLS is not seen by the server as TLS
                authenticator=lambda _server, _session, _envelope, _mechanism, data: AuthResult(
                    success=(data.login.decode(), data.password.decode()) == login
                ),
            )
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        """Wait until `count` messages arrived (for senders in other processes); return them."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.received) >= count, timeout=timeout)
        return list(self.received)

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]


@pytest.fixture
def smtp_server() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def mail_app(app: Flask, smtp_server: SmtpSink) -> Iterator[Flask]:
    """The app, sending its mail to the test's SMTP server."""
    keys = ("SMTP_HOST", "SMTP_PORT", "SMTP_SECURITY", "SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_TIMEOUT", "SMTP_CA_FILE")
    saved = {key: app.config.get(key) for key in keys}
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=smtp_server.port,
        SMTP_SECURITY="none",
        SMTP_USERNAME=None,
        SMTP_PASSWORD=None,
        SMTP_TIMEOUT=5,
    )
    yield app
    app.config.update(saved)


@pytest.fixture(scope="session")
def smtp_certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 (made with Debian's openssl): (certificate, key) paths."""
    folder = tmp_path_factory.mktemp("smtp-tls")
    cert, key = folder / "relay.crt", folder / "relay.key"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)
