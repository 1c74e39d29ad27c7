"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for the email tests."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class _Keep:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def smtp_server() -> Iterator[tuple[int, list[EmailMessage]]]:
    """Yield (port, messages received so far) while a loopback SMTP server runs."""
    keep = _Keep()
    for attempt in range(5):  # the free port may be taken meanwhile (parallel test workers)
        controller = Controller(keep, hostname="127.0.0.1", port=_free_port())
        try:
            controller.start()
            break
        except (OSError, RuntimeError):
            if attempt == 4:
                raise
    try:
        yield controller.port, keep.messages
    finally:
        controller.stop()


def mail_toml(port: int) -> str:
    """The ``[mail]`` table of gongkai.toml that sends to the loopback server."""
    return f'\n[mail]\nhost = "127.0.0.1"\nport = {port}\ntls = "none"\nsender = "某某局 <gk@example.gov.cn>"\n'
