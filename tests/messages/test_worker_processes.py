"""Real Celery workers against real Redis and PostgreSQL: 1,000 messages, two workers, one killed
(``kill -9``) in the middle of a batch (issue 12). The run itself is ``bench.message_relay``, which
also gives the 10,000-message figure.

None is lost, whatever the channel. None is delivered twice where the provider can say whether it
already took a message (``find_accepted``). Where it cannot (SMTP), the one message the killed worker
had handed over but not yet recorded may go twice: that, and nothing more, is what is allowed."""
import pytest

from bench.message_relay import run_with_a_kill
from tests.conftest import require_real_services

BROKER = "redis://127.0.0.1:6379/2"


@pytest.fixture
def real_services(database_url):
    require_real_services(database_url, BROKER, "real worker processes share one database across processes: "
                          "run with TEST_DATABASE_URL pointing at PostgreSQL (SQLite's single writer is covered "
                          "by the threaded test)")


@pytest.mark.parametrize("providers_answer", [True, False], ids=["provider-answers", "provider-cannot-answer"])
def test_two_workers_one_killed_mid_batch_deliver_every_message_once(app, real_services, database_url, tmp_path,
                                                                     providers_answer):
    result = run_with_a_kill(database_url, BROKER, 1000, tmp_path, delay=0.005, lease_seconds=4, batch_size=100,
                             kill_after_share=0.3, timeout=50, providers_answer=providers_answer, keep_rows=True)
    assert result["delivered_by_the_killed_worker"] > 0, result  # it was at work when it was killed
    assert result["reclaimed_after_the_kill"] > 0, result  # and died holding a claimed batch
    assert result["statuses"] == {"sent": 1000}, result
    assert (result["delivered"], result["lost"]) == (1000, 0), result
    assert result["duplicates"] <= (0 if providers_answer else 1), result
