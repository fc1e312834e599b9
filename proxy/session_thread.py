"""The one thread a session's blocking work (engine calls) runs on.

ThreadPoolExecutor with loop.run_in_executor would do, but a round trip through it costs
145-170 us on these cores (a work item, a condition variable, a concurrent Future wrapped into an
asyncio one, two callbacks), as much as DuckDB takes to answer a one-row lookup. Here the
event loop puts the call on a SimpleQueue (C, one lock) and the thread settles an asyncio
future with one call_soon_threadsafe: about 110 us, measured the same way.

The thread is a daemon (a session never closed must not keep the process alive), so at exit
every live one is told to stop and joined, as ThreadPoolExecutor does for its workers: a daemon
still closing its DuckDB session while the interpreter finalizes aborts the process.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import queue
import threading
from typing import Any, Callable


_live: set["SessionThread"] = set()
_live_lock = threading.Lock()


class SessionThread:
    def __init__(self, name: str) -> None:
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        with _live_lock:
            _live.add(self)
        self._thread.start()

    def run_soon(self, loop: asyncio.AbstractEventLoop, fn: Callable[[], Any]) -> asyncio.Future:
        """fn() on this thread; its result or exception lands in the returned future on `loop`."""
        future = loop.create_future()
        self._queue.put((fn, loop, future))
        return future

    def submit(self, fn: Callable, *args: Any, **kwargs: Any) -> concurrent.futures.Future:
        """fn(*args, **kwargs) on this thread, for callers without an event loop."""
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._queue.put((lambda: fn(*args, **kwargs), None, future))
        return future

    def shutdown(self) -> None:
        """Stop after the calls already queued."""
        self._queue.put(None)

    def _serve(self) -> None:
        try:
            self._serve_until_shutdown()
        finally:
            with _live_lock:
                _live.discard(self)

    def _serve_until_shutdown(self) -> None:
        while (item := self._queue.get()) is not None:
            fn, loop, future = item
            if loop is None:   # a concurrent Future
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(fn())
                    except BaseException as e:  # noqa: BLE001 - handed to the waiting caller
                        future.set_exception(e)
                continue
            try:
                result, error = fn(), None
            except BaseException as e:  # noqa: BLE001 - handed to the awaiting coroutine
                result, error = None, e
            try:
                loop.call_soon_threadsafe(_settle, future, result, error)
            except RuntimeError:
                pass   # the loop is closed: nobody awaits the answer any more


@atexit.register
def _finish_all() -> None:
    """At exit: let every live session thread finish what it was given (closing its engine
    session, typically), then stop."""
    with _live_lock:
        threads = list(_live)
    for t in threads:
        t.shutdown()
    for t in threads:
        t._thread.join()


def _settle(future: asyncio.Future, result: Any, error: BaseException | None) -> None:
    if future.done():   # its awaiter was cancelled meanwhile
        return
    if error is None:
        future.set_result(result)
    elif isinstance(error, StopIteration):   # asyncio futures refuse StopIteration
        future.set_exception(RuntimeError("a batch source ended inside a blocking call"))
    else:
        future.set_exception(error)
