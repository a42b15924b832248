"""The tiny benchmark runs only on PostgreSQL (it needs gunicorn instances sharing one database).

On SQLite it is not collected, and the run says so at the end instead of counting a skip as a pass.
"""
import os

from sqlalchemy.engine import make_url

_url = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRESQL = bool(_url) and make_url(_url).get_backend_name() == "postgresql"
NOTE = ("tests/bench: the tiny benchmark was NOT collected: it runs only when TEST_DATABASE_URL points at "
        "PostgreSQL (CI's second run does that)")

if not ON_POSTGRESQL:
    collect_ignore = ["test_bench_tiny.py"]


def pytest_terminal_summary(terminalreporter):
    if not ON_POSTGRESQL:
        terminalreporter.write_sep("-", NOTE)
