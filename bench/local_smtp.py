"""A real SMTP server on this machine (aiosmtpd in a thread) that keeps what it receives, for the
e-mail benchmark and the e-mail channel's tests. It can refuse chosen recipients with 550, as a
mail server refuses an address that does not exist."""
import socket
import threading
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class KeepingHandler:
    """Keeps each accepted message (envelope sender, recipients, parsed message)."""

    def __init__(self, refused=(), keep=True):
        self.refused = set(refused)
        self.keep = keep
        self.received = []
        self.count = 0
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.count += 1
            if self.keep:
                self.received.append((envelope.mail_from, list(envelope.rcpt_tos),
                                      message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalSMTPServer:
    """``with LocalSMTPServer() as server:`` -> ``server.port``, ``server.handler.received``."""

    def __init__(self, refused=(), keep=True):
        self.handler = KeepingHandler(refused, keep)
        self.port = free_port()
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._controller.stop()
