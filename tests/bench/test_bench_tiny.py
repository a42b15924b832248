"""A tiny run of the whole benchmark (small data, one short burst per scenario, both instances),
so the benchmark cannot rot. Its figures are printed, not asserted; the hot-event check is."""
import os

from sqlalchemy.engine import make_url

from bench import report
from bench.prepare import drop_database
from bench.run import parse, run_benchmark


def test_tiny_benchmark_runs_and_the_hot_event_holds(tmp_path, capsys):
    url = make_url(os.environ["TEST_DATABASE_URL"])
    assert url.get_backend_name() == "postgresql", "the benchmark test runs on PostgreSQL only"
    bench_url = url.set(database=f"{url.database}_bench").render_as_string(hide_password=False)
    options = parse(["--scale", "tiny", "--duration", "2", "--database-url", bench_url,
                     "--output", str(tmp_path / "tiny.json"), "--log-dir", str(tmp_path / "logs")])

    try:
        results = run_benchmark(options)
    finally:
        drop_database(bench_url)

    with capsys.disabled():
        print("\n" + report.table(results))
    check = results["hot_event_check"]
    assert check["ok"], check["problems"]
    assert check["places_taken"] == check["places"]
    assert check["distinct_residents"] == check["registrations"] == check["residents"]
    assert check["waitlisted"] == check["residents"] - check["places"]
    assert results["generator"] == "wrk", "wrk (Debian's package) drives the benchmark; .ci/run installs it"
    for name in ("catalogue_html", "catalogue_html_uncached", "api_events", "event_page", "api_register", "feed_full", "feed_conditional",
                 "dashboard"):
        assert results["scenarios"][name]["requests"] > 0, name
