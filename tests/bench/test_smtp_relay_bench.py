"""The e-mail benchmark runs end to end on a handful of messages, and every message it sends
reaches the server (so its rates are rates of delivered mail)."""
from bench import smtp_relay


def test_the_smtp_benchmark_delivers_every_message_and_reports_each_rate(capsys):
    results, accepted, expected = smtp_relay.main(["5", "1"])
    assert accepted == expected == 5 * 3 + 5  # three runs of five, after five to warm up
    assert set(results) == {"floor, smtplib, a connection per message", "floor, smtplib, one connection",
                            "email channel send()"}
    assert all(rate > 0 for rate in results.values())
    assert "ratio to the floor over one connection" in capsys.readouterr().out
