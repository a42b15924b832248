"""``bench.message_figures`` runs end to end on a handful of messages: the SMTP server in its own
process accepts every message of the floors and of the relay, and the worker delivers each committed
message (so its rates and times are those of delivered mail). PostgreSQL and Redis only."""

from bench import message_figures
from tests.conftest import require_real_services

BROKER = "redis://127.0.0.1:6379/5"


def test_the_message_figures_count_every_message_the_server_accepted(app, database_url):
    require_real_services(database_url, BROKER, "the figures need a worker process sharing the database: run "
                          "with TEST_DATABASE_URL pointing at PostgreSQL")
    report = message_figures.main(["--database-url", database_url, "--broker-url", BROKER, "--messages", "5",
                                   "--rounds", "1", "--latency-messages", "3"])
    throughput = report["throughput"]
    assert throughput["smtp_server_accepted"] == throughput["expected"] == 5 * 3
    assert set(throughput["messages_per_second"]) == {
        "floor: smtplib, a connection per message", "floor: smtplib, one connection",
        "relay: relay_until_done, e-mail channel"}
    assert throughput["ratio_to_floor_connection_each"] > 0
    latency = report["commit_to_accepted"]
    assert latency["messages"] == 3 and 0 < latency["p50_seconds"] <= latency["p95_seconds"] <= latency["max_seconds"]
