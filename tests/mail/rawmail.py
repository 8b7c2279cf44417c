"""Reading a message as a mail service does: the raw bytes received, split and decoded by hand.

Deliberately not Python's email package (which wrote the message, and reads encoded-words leniently where
RFC 2047 forbids them): a header block split at the first empty line, folded lines joined, RFC 2047 words
decoded by a regex.
"""

from __future__ import annotations

import base64
import re

ENCODED_WORD = re.compile(rb"=\?([^?]+)\?([qQbB])\?([^?]*)\?=")


def physical_lines(raw: bytes) -> list[bytes]:
    """Return the header block's lines as sent (CRLF removed); asserts CRLF line ends."""
    head, sep, _body = raw.partition(b"\r\n\r\n")
    assert sep, "no empty line after the headers"
    assert b"\n" not in head.replace(b"\r\n", b""), "a bare LF in the headers"
    return head.split(b"\r\n")


def headers(raw: bytes) -> list[tuple[str, bytes]]:
    """Return (lower-case name, unfolded raw value) of each header, in order."""
    fields: list[tuple[str, bytes]] = []
    for line in physical_lines(raw):
        if line[:1] in (b" ", b"\t"):
            name, value = fields[-1]
            fields[-1] = (name, value + line)
            continue
        name, colon, value = line.partition(b":")
        assert colon and re.fullmatch(rb"[!-9;-~]+", name), f"not a header line: {line!r}"
        fields.append((name.decode("ascii").lower(), value.strip()))
    return fields


def header(raw: bytes, name: str) -> bytes:
    """Return the one raw value of header `name` (asserts there is exactly one)."""
    values = [v for n, v in headers(raw) if n == name.lower()]
    assert len(values) == 1, f"{name}: {len(values)} headers"
    return values[0]


def decode_words(value: bytes) -> str:
    """Decode the RFC 2047 words of an unstructured value (adjacent words joined, as RFC 2047 says)."""

    def word(match: re.Match[bytes]) -> str:
        charset, kind, text = match.group(1).decode(), match.group(2).upper(), match.group(3)
        if kind == b"B":
            return base64.b64decode(text).decode(charset)
        text = text.replace(b"_", b" ")
        return re.sub(rb"=([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), text).decode(charset)

    value = re.sub(rb"\?=\s+=\?", b"?==?", value)  # whitespace between two words is not text
    parts, last = [], 0
    for match in ENCODED_WORD.finditer(value):
        parts.append(value[last : match.start()].decode("ascii"))
        parts.append(word(match))
        last = match.end()
    parts.append(value[last:].decode("ascii"))
    return "".join(parts)
