"""One SMTP connection that sends messages one by one and tells apart temporary, permanent and unknown outcomes."""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
_LEADING_DOT = re.compile(rb"(?m)^\.")
_BARE_EOL = re.compile(rb"\r\n|\r|\n")


class DeliveryFailure(Exception):
    """A message was not accepted; `code` is the server's reply code when there was one."""

    def __init__(self, reason: str, code: int | None = None) -> None:
        super().__init__(reason)
        self.code = code


class TemporaryFailure(DeliveryFailure):
    """Not accepted this time (no connection, a timeout, a 4xx reply): try again later."""


class ConnectionFailure(TemporaryFailure):
    """The relay could not be reached or refused the session: no message can go now."""


class PermanentFailure(DeliveryFailure):
    """Refused for good (a 5xx reply): sending it again would fail again."""


class UnknownOutcome(DeliveryFailure):
    """The connection broke after the message was handed over: it may have been delivered."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    username: str | None
    password: str | None
    timeout: float
    ca_file: str | None = None

    @classmethod
    def from_config(cls, config: Any) -> SmtpSettings | None:
        """Return the relay settings, or None when no SMTP_HOST is set (mail stays in the outbox)."""
        host = config.get("SMTP_HOST")
        if not host:
            return None
        security = str(config.get("SMTP_SECURITY") or "starttls")
        port = int(config.get("SMTP_PORT") or DEFAULT_PORTS[security])
        return cls(
            host,
            port,
            security,
            config.get("SMTP_USERNAME"),
            config.get("SMTP_PASSWORD"),
            config["SMTP_TIMEOUT"],
            config.get("SMTP_CA_FILE"),
        )

    def tls_context(self) -> ssl.SSLContext:
        """Verify the relay's certificate and name (against SMTP_CA_FILE when given)."""
        return ssl.create_default_context(cafile=self.ca_file)


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {text}".strip()


def _check(code: int, message: bytes, step: str) -> None:
    if 200 <= code < 300:
        return
    failure = PermanentFailure if 500 <= code < 600 else TemporaryFailure
    raise failure(f"{step}: {_reply(code, message)}", code)


class SmtpSession:
    """A connection to the relay, opened on first use and reused for the next messages."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.conn: smtplib.SMTP | None = None

    def open(self) -> smtplib.SMTP:
        if self.conn is not None:
            return self.conn
        s = self.settings
        try:
            if s.security == "ssl":
                conn: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=s.tls_context())
            else:
                conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            conn.ehlo()
            if s.security == "starttls":
                conn.starttls(context=s.tls_context())
                conn.ehlo()
            if s.username:
                conn.login(s.username, s.password or "")
        except smtplib.SMTPResponseException as exc:
            # Refused at the door (greeting, TLS or login): the relay's problem, not the messages'.
            raise ConnectionFailure(
                f"connection to {s.host}:{s.port}: {_reply(exc.smtp_code, exc.smtp_error)}"
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise ConnectionFailure(f"connection to {s.host}:{s.port}: {exc or type(exc).__name__}") from exc
        self.conn = conn
        return conn

    def send(self, sender: str, recipient: str, payload: bytes, before_body: Callable[[], bool]) -> bool:
        """Send one message; return False when `before_body()` says not to go on (nothing was sent).

        `before_body` runs after the server agreed to receive the body (354) and before it is sent.
        """
        conn = self.open()
        try:
            code, message = conn.mail(sender)
            _check(code, message, "MAIL FROM")
            code, message = conn.rcpt(recipient)
            _check(code, message, "RCPT TO")
            conn.putcmd("data")
            code, message = conn.getreply()
            if code != 354:
                _check(code, message, "DATA")
                raise TemporaryFailure(f"DATA: unexpected {_reply(code, message)}", code)
        except DeliveryFailure:
            self._reset()
            raise
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise TemporaryFailure(f"before the message was sent: {exc or type(exc).__name__}") from exc
        if not before_body():
            self.close()  # abandons the transaction: the server discards a message it did not get whole
            return False
        try:
            conn.send(_LEADING_DOT.sub(b"..", _BARE_EOL.sub(b"\r\n", payload)).rstrip(b"\r\n") + b"\r\n.\r\n")
            code, message = conn.getreply()
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise UnknownOutcome(f"connection lost after the message was sent: {exc or type(exc).__name__}") from exc
        if not 200 <= code < 300:
            self._reset()
            _check(code, message, "end of DATA")
        return True

    def _reset(self) -> None:
        if self.conn is None:
            return
        try:
            self.conn.rset()
        except (OSError, smtplib.SMTPException):
            self.close()

    def close(self) -> None:
        conn, self.conn = self.conn, None
        if conn is None:
            return
        try:
            conn.quit()
        except (OSError, smtplib.SMTPException) as exc:
            log.debug("closing the SMTP connection: %s", exc)
            conn.close()
