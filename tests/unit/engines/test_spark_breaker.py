"""The circuit breaker in front of Spark, on a fake clock: after a failure statements skip Spark
for the cool-down (failing at once with 08006), then one statement tries again."""

from __future__ import annotations

import threading
import time

import pytest
import sqlglot

from askgres.engines.spark.breaker import SparkBreaker, SparkSkipped
from askgres.engines.spark.config import SparkConfig
from askgres.engines.spark.engine import SparkEngine, SparkEngineSession
from askgres.engines.spark.errors import SparkError, SparkUnavailable


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


DOWN = SparkUnavailable("cannot connect to Spark at sc://127.0.0.1:1: connection refused")


def test_closed_breaker_lets_statements_through():
    breaker = SparkBreaker(30, FakeClock())
    breaker.allow()
    assert not breaker.open


def test_a_failure_skips_spark_for_the_cooldown_then_one_statement_retries():
    clock = FakeClock()
    breaker = SparkBreaker(30, clock)
    breaker.failed(DOWN)
    clock.now += 10
    with pytest.raises(SparkSkipped) as e:
        breaker.allow()
    assert e.value.sqlstate == "08006"
    assert isinstance(e.value, SparkUnavailable)  # the proxy's fallback catches it as unavailable
    assert e.value.message == f"{DOWN.message}; not retried for another 20 s"
    assert "unavailable_cooldown_s" in e.value.hint
    clock.now += 20
    breaker.allow()  # the probe goes through...
    with pytest.raises(SparkSkipped):
        breaker.allow()  # ...while the others keep skipping
    breaker.succeeded()
    breaker.allow()
    assert not breaker.open


def test_a_failed_probe_opens_a_new_cooldown():
    clock = FakeClock()
    breaker = SparkBreaker(30, clock)
    breaker.failed(DOWN)
    clock.now += 31
    breaker.allow()
    clock.now += 5  # the probe took 5 s to fail
    breaker.failed(SparkUnavailable("still down"))
    clock.now += 29
    with pytest.raises(SparkSkipped) as e:
        breaker.allow()
    assert e.value.message == "still down; not retried for another 1 s"
    clock.now += 1
    breaker.allow()


def test_its_own_skip_does_not_restart_the_cooldown():
    clock = FakeClock()
    breaker = SparkBreaker(30, clock)
    breaker.failed(DOWN)
    clock.now += 25
    with pytest.raises(SparkSkipped) as e:
        breaker.allow()
    breaker.failed(e.value)
    clock.now += 5
    breaker.allow()


def test_zero_cooldown_tries_every_time():
    breaker = SparkBreaker(0, FakeClock())
    breaker.failed(DOWN)
    breaker.allow()
    breaker.allow()


# -- the breaker in the engine session: no real Spark, the connection is faked -------------

@pytest.fixture
def engine(tmp_path):
    engine = SparkEngine(SparkConfig(enabled=True, remote="sc://127.0.0.1:1",
                                     warehouse=str(tmp_path), unavailable_cooldown_s=30))
    engine.breaker = SparkBreaker(30, FakeClock())
    return engine


def test_session_skips_spark_after_it_was_unavailable(engine, monkeypatch):
    attempts = []

    def unreachable(self):
        attempts.append(1)
        raise DOWN
    monkeypatch.setattr(SparkEngineSession, "spark", unreachable)
    first, second = engine.session(), engine.session()
    stmt = sqlglot.parse_one("SELECT 1", read="postgres")
    with pytest.raises(SparkUnavailable) as e:
        first.execute(stmt)
    assert not isinstance(e.value, SparkSkipped)
    assert len(attempts) == 1
    # Every session, statement, describe and EXPLAIN now fails at once without trying.
    for call in (second.execute, first.describe, second.plan):
        with pytest.raises(SparkSkipped):
            call(stmt)
    assert len(attempts) == 1
    engine.breaker._clock.now += 30
    with pytest.raises(SparkUnavailable) as e:
        second.execute(stmt)
    assert not isinstance(e.value, SparkSkipped)
    assert len(attempts) == 2


def test_a_statement_error_from_a_live_spark_closes_the_breaker(engine, monkeypatch):
    def answers_with_an_error(self):
        raise SparkError("column \"x\" does not exist", "42703")
    monkeypatch.setattr(SparkEngineSession, "spark", answers_with_an_error)
    engine.breaker.failed(DOWN)
    engine.breaker._clock.now += 30
    with pytest.raises(SparkError) as e:
        engine.session().execute(sqlglot.parse_one("SELECT x", read="postgres"))
    assert e.value.sqlstate == "42703"
    assert not engine.breaker.open


def test_cooldown_is_a_documented_setting():
    field = SparkConfig.model_fields["unavailable_cooldown_s"]
    assert field.default == 30.0 and field.description
    with pytest.raises(ValueError):
        SparkConfig(unavailable_cooldown_s=-1)


def test_cancel_never_blocks_the_caller(engine):
    # The proxy calls cancel() on its event loop: a hung Spark must not hold it.
    release = threading.Event()
    interrupted = []

    class HungSpark:
        def interruptTag(self, tag):
            interrupted.append(tag)
            release.wait(30)
    session = engine.session()
    session._spark = HungSpark()
    started = time.monotonic()
    session.cancel()
    assert time.monotonic() - started < 1
    release.set()
    deadline = time.monotonic() + 10
    while not interrupted and time.monotonic() < deadline:
        time.sleep(0.01)  # the interrupt runs on its own thread
    assert interrupted == [session.tag]
