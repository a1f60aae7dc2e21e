"""A real SMTP server for tests: aiosmtpd's Controller, in this process, on a free port.

    with smtp_server() as server:          # server.port, server.messages (parsed emails)
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
        deliver_pending()

`server.refuse` holds addresses answered with a permanent 550; `server.delay` slows every
message down (seconds), so concurrent deliverers really overlap; `server.reply`, when
set ("451 4.3.0 Try again later", "554 5.7.1 Rejected"), answers every message's DATA with
it instead of accepting it (`server.refused_data` counts them).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.support.browser import free_port


class Recorder:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: set[str] = set()
        self.delay = 0.0
        self.reply: str | None = None
        self.refused_data = 0
        self.port = 0
        self._lock = threading.Lock()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.reply:
            with self._lock:
                self.refused_data += 1
            return self.reply
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def subjects(self) -> list[str]:
        with self._lock:
            return [str(m["Subject"]) for m in self.messages]

    def message_ids(self) -> list[str]:
        with self._lock:
            return [str(m["Message-ID"]).strip() for m in self.messages]


@contextmanager
def smtp_server(port: int | None = None) -> Iterator[Recorder]:
    recorder = Recorder()
    recorder.port = port or free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=recorder.port)
    controller.start()
    try:
        yield recorder
    finally:
        controller.stop()
