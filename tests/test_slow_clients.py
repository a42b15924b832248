"""Idle connections cannot block the site: the gunicorn command of the README's production section,
started for real (one worker, so its threads are all there is), still answers a request while
several connections that never send a byte are held open."""
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.redis_server import free_port

ROOT = Path(__file__).resolve().parent.parent
IDLE_CONNECTIONS = 4
ANSWER_WITHIN_SECONDS = 10


def documented_gunicorn_command():
    """The README's production command, as an argument list."""
    production = (ROOT / "README.md").read_text(encoding="utf-8").split("## Production", 1)[1]
    line = next(line for line in production.splitlines() if line.startswith(".venv/bin/gunicorn "))
    return shlex.split(line.split("#", 1)[0])


def with_option(arguments, name, value):
    index = arguments.index(name)
    return arguments[:index + 1] + [value] + arguments[index + 2:]


def test_the_documented_command_uses_threads_for_slow_clients():
    command = documented_gunicorn_command()
    assert command[command.index("--worker-class") + 1] == "gthread"
    assert int(command[command.index("--threads") + 1]) > IDLE_CONNECTIONS


def test_idle_connections_do_not_keep_a_request_waiting(app, database_url, tmp_path):
    port = free_port()
    command = with_option(with_option(documented_gunicorn_command(), "--workers", "1"), "--bind", f"127.0.0.1:{port}")
    command[0] = str(Path(sys.executable).with_name("gunicorn"))
    env = {**os.environ, "ACTIVITY_HUB_CONFIG": "testing", "TEST_DATABASE_URL": database_url}
    log = open(tmp_path / "gunicorn.log", "wb")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    idle = []
    try:
        url = f"http://127.0.0.1:{port}/healthz"
        deadline = time.monotonic() + 60
        while True:  # until the worker answers (bounded by the deadline)
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.2)
        for _ in range(IDLE_CONNECTIONS):  # connected, and never a byte sent
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        time.sleep(0.5)  # let the worker accept them all before the real request
        with urllib.request.urlopen(url, timeout=ANSWER_WITHIN_SECONDS) as answer:
            assert answer.status == 200
    finally:
        for connection in idle:
            connection.close()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
