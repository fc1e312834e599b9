"""The session's worker thread (proxy/session_thread.py)."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from askgres.proxy.session_thread import SessionThread


@pytest.fixture
def worker():
    thread = SessionThread("test-session")
    yield thread
    thread.shutdown()


def test_results_and_errors_reach_the_awaiting_coroutine(worker):
    async def go():
        loop = asyncio.get_running_loop()
        name = await worker.run_soon(loop, lambda: threading.current_thread().name)
        with pytest.raises(ZeroDivisionError):
            await worker.run_soon(loop, lambda: 1 / 0)
        with pytest.raises(RuntimeError):   # asyncio futures refuse StopIteration itself
            await worker.run_soon(loop, lambda: next(iter(())))
        return name

    assert asyncio.run(go()) == "test-session"


def test_calls_run_one_at_a_time_in_order(worker):
    seen = []

    async def go():
        loop = asyncio.get_running_loop()
        futures = [worker.run_soon(loop, lambda i=i: (time.sleep(0.001), seen.append(i))) for i in range(20)]
        await asyncio.gather(*futures)

    asyncio.run(go())
    assert seen == list(range(20))


def test_a_cancelled_await_does_not_break_the_thread(worker):
    async def go():
        loop = asyncio.get_running_loop()
        slow = worker.run_soon(loop, lambda: time.sleep(0.2))
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(slow, 0.01)
        return await worker.run_soon(loop, lambda: 42)

    assert asyncio.run(go()) == 42


def test_submit_without_a_loop(worker):
    assert worker.submit(lambda a, b=0: a + b, 2, b=3).result(timeout=5) == 5
    with pytest.raises(KeyError):
        worker.submit(lambda: {}["x"]).result(timeout=5)


def test_a_result_for_a_closed_loop_is_dropped_and_the_thread_goes_on(worker):
    loop = asyncio.new_event_loop()
    worker.run_soon(loop, lambda: time.sleep(0.05))
    loop.close()
    assert worker.submit(lambda: "still serving").result(timeout=5) == "still serving"


def test_shutdown_stops_after_the_queued_calls():
    thread = SessionThread("short-lived")
    done = thread.submit(lambda: "queued before shutdown")
    thread.shutdown()
    assert done.result(timeout=5) == "queued before shutdown"
    thread._thread.join(timeout=5)
    assert not thread._thread.is_alive()


def test_exit_waits_for_the_calls_a_session_thread_was_given(tmp_path):
    """A closed session's last call (its engine session's close) finishes before the process
    exits, although the thread is a daemon and nobody joins it."""
    import subprocess
    import sys
    import textwrap

    marker = tmp_path / "closed"
    script = textwrap.dedent(f"""
        import time
        from askgres.proxy.session_thread import SessionThread
        t = SessionThread("exiting")
        t.submit(lambda: (time.sleep(0.3), open({str(marker)!r}, "w").write("done")))
        t.shutdown()
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    assert marker.read_text() == "done"
