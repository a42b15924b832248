"""A real SMTP server on this machine (aiosmtpd in a thread) that keeps what it receives, for the
e-mail benchmark and the e-mail channel's tests. It can refuse chosen recipients with 550, as a
mail server refuses an address that does not exist."""
import socket
import threading
import time
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


class AcceptanceLogHandler:
    """For a server in a process of its own: one line per accepted message, ``<unix time> <recipient>``,
    written as it is accepted, so a benchmark in another process can count deliveries (and duplicates)
    and time each one without sharing the server's process."""

    def __init__(self, log):
        self.log = log

    async def handle_DATA(self, server, session, envelope):
        accepted = time.time()
        self.log.write("".join(f"{accepted:.6f} {recipient}\n" for recipient in envelope.rcpt_tos))
        self.log.flush()
        return "250 Message accepted for delivery"


def read_acceptances(path):
    """[(unix time, recipient)] from an ``AcceptanceLogHandler``'s file."""
    try:
        with open(path) as log:
            return [(float(stamp), recipient) for stamp, recipient in
                    (line.split(" ", 1) for line in log.read().splitlines() if " " in line)]
    except FileNotFoundError:
        return []


def serve(argv=None):
    """``python -m bench.local_smtp PORT LOG``: serve until SIGTERM, logging each acceptance."""
    import signal
    import sys

    port, log_path = (argv if argv is not None else sys.argv[1:])[:2]
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    with open(log_path, "a") as log:
        controller = Controller(AcceptanceLogHandler(log), hostname="127.0.0.1", port=int(port))
        controller.start()
        print("ready", flush=True)
        stopping.wait()
        controller.stop()


if __name__ == "__main__":
    serve()
