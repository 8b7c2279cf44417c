"""The bytes of one message, with headers that no stored value can break.

- Display names (the sender's, the recipient's) go through `clean_line` and `email.headerregistry.Address`:
  a line break in a name can neither fail the message nor add a header; accents become RFC 2047 words.
- `MAIL_FROM` may carry a display name (`Suivi de coopération <noreply@example.org>`): the envelope sender is
  its address alone, the `From` header its name (or the translated site name when it has none).
- Structured headers that carry a URI or an id (`List-Unsubscribe`, `Message-ID`...) are written verbatim on
  one line: RFC 2047 forbids encoded-words there, and mail services read them raw (RFC 8058 one-click
  unsubscribe). They must be ASCII, without line breaks, and fit in RFC 5322's 998-octet lines.
"""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, parseaddr
from typing import Any
from urllib.parse import urlsplit

from tracker.core import clock
from tracker.core.text import clean_line
from tracker.mail.render import Rendered

MAX_LINE_OCTETS = 998
VERBATIM = frozenset({"list-unsubscribe", "list-unsubscribe-post", "message-id"})


class MailPolicy(EmailPolicy):
    """SMTP's policy (CRLF, 78-column folding) except for the VERBATIM headers, written as given on one line."""

    def fold_binary(self, name: str, value: Any) -> bytes:
        if name.lower() not in VERBATIM:
            return super().fold_binary(name, value)
        line = f"{name}: {value}".encode("ascii")  # UnicodeEncodeError: not a URI or an id
        if len(line) > MAX_LINE_OCTETS or b"\r" in line or b"\n" in line:
            raise ValueError(f"the {name} header does not fit on one line of {MAX_LINE_OCTETS} octets")
        return line + b"\r\n"


MAIL_POLICY = MailPolicy(linesep="\r\n")


def parse_sender(mail_from: str) -> tuple[str, str]:
    """Return (display name, address) of MAIL_FROM; the name is "" when it has none.

    Raises ValueError when MAIL_FROM holds no address.
    """
    name, address = parseaddr(mail_from)
    if "@" not in address:
        raise ValueError(f"MAIL_FROM holds no address: {mail_from!r}")
    return clean_line(name).strip(), address


def site_domain(base_url: str) -> str:
    """Return the host of BASE_URL, as the right part of Message-IDs ("localhost" when it has none)."""
    host = urlsplit(base_url).hostname or "localhost"
    return f"[{host}]" if ":" in host else host


def mailbox(name: str | None, address: str) -> Address:
    """Return a header address whose display name is cleaned of line breaks and controls.

    Raises ValueError (email.errors.HeaderParseError) when the address itself is not one.
    """
    return Address(display_name=clean_line(name or "").strip(), addr_spec=address)


def compose(content: Rendered, *, sender: Address, to: Address, message_id: str, language: str) -> bytes:
    """Return the message as sent (CRLF line ends). Raises ValueError or UnicodeError on a header it cannot write."""
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = sender
    message["To"] = to
    message["Subject"] = clean_line(content.subject)
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    for name, value in content.headers.items():
        message[name] = value
    message.set_content(content.text)
    if content.html:
        message.add_alternative(content.html, subtype="html")
    message["Content-Language"] = language  # after the body: set_content drops Content-* headers
    return message.as_bytes()
