"""A Spark Connect server that askgres runs itself, from the pip package.

`spark-submit --class org.apache.spark.sql.connect.service.SparkConnectServer` bound to
127.0.0.1 on a free port; started on demand, restarted when it dies (a watcher thread
waits on the process), stopped at shutdown.
"""

from __future__ import annotations

import atexit
import logging
import tempfile
import threading
import time
from collections import deque
from pathlib import Path

from . import process
from .config import SparkConfig
from .errors import SparkUnavailable

log = logging.getLogger(__name__)

CONNECT_SERVER_CLASS = "org.apache.spark.sql.connect.service.SparkConnectServer"


def connect_server_argv(port: int, master: str, *, driver_memory: str, executor_memory: str,
                        warehouse: Path, extra_conf: dict[str, str]) -> list[str]:
    """The spark-submit command line of a Connect server listening on 127.0.0.1:`port`."""
    conf = {
        "spark.connect.grpc.binding.address": process.LOOPBACK,
        "spark.connect.grpc.binding.port": str(port),
        "spark.driver.host": process.LOOPBACK,
        "spark.driver.bindAddress": process.LOOPBACK,
        "spark.ui.enabled": "false",
        "spark.sql.warehouse.dir": str(warehouse / "_spark_managed"),
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
        "spark.sql.shuffle.partitions": "8",
        "spark.executor.memory": executor_memory,
        # A single Connect session may hold large results: let gRPC carry big batches.
        "spark.connect.grpc.arrow.maxBatchSize": str(8 * 1024 * 1024),
        **extra_conf,
    }
    argv = [str(process.spark_home() / "bin" / "spark-submit"),
            "--class", CONNECT_SERVER_CLASS, "--name", "askgres Spark Connect server",
            "--master", master, "--driver-memory", driver_memory]
    for key, value in conf.items():
        argv += ["--conf", f"{key}={value}"]
    return argv


class ManagedConnectServer:
    """Owns one Spark Connect server process; `url` is its 'sc://127.0.0.1:port' address."""

    def __init__(self, config: SparkConfig, *, master: str | None = None) -> None:
        self.config = config
        self.master = master or config.master
        self._base = Path(config.log_dir) if config.log_dir else Path(
            tempfile.mkdtemp(prefix="askgres-spark-"))
        self.log_file = self._base / "logs" / "connect-server.log"
        self.port = 0
        self._proc = None
        self._lock = threading.RLock()
        self._ready = threading.Event()
        self._stopping = False
        self._restarts: deque[float] = deque()
        self._failure: SparkUnavailable | None = None
        self._watcher: threading.Thread | None = None
        self.generation = 0  # bumped at every (re)start: sessions of an older one are stale

    @property
    def url(self) -> str:
        return f"sc://{process.LOOPBACK}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def start(self) -> str:
        """Start the server (if it is not running) and wait until it answers."""
        with self._lock:
            if self._proc is not None and self._proc.poll() is None and self._ready.is_set():
                return self.url
            self._stopping = False
            self._failure = None
            self._spawn()
            atexit.register(self.stop)
        return self.url

    def _spawn(self) -> None:
        java = process.java_home(self.config.java_home)
        env = process.spark_env(self._base, java, daemon_memory=self.config.driver_memory)
        warehouse = Path(self.config.warehouse).resolve()
        warehouse.mkdir(parents=True, exist_ok=True)
        for _attempt in range(3):  # the free port may be taken between probe and bind
            self.port = self.port or process.free_port()
            argv = connect_server_argv(self.port, self.master,
                                       driver_memory=self.config.driver_memory,
                                       executor_memory=self.config.executor_memory,
                                       warehouse=warehouse, extra_conf=dict(self.config.conf))
            self._ready.clear()
            self._proc = process.launch(argv, env, self.log_file)
            try:
                process.wait_listening(self._proc, self.port, self.config.startup_timeout_s,
                                       "the Spark Connect server", self.log_file)
            except SparkUnavailable:
                process.stop_group(self._proc.pid, timeout=5)
                if process.port_open(process.LOOPBACK, self.port):
                    self.port = 0  # someone else took our port: pick another
                    continue
                raise
            break
        else:
            raise SparkUnavailable("the Spark Connect server could not bind a port",
                                   detail=process.log_tail(self.log_file))
        self.generation += 1
        self._ready.set()
        log.info("Spark Connect server %s (pid %s) ready", self.url, self._proc.pid)
        self._watcher = threading.Thread(target=self._watch, args=(self._proc,),
                                         name="spark-connect-watcher", daemon=True)
        self._watcher.start()

    def _watch(self, proc) -> None:
        """Restart the server when it dies unexpectedly (at most max_restarts per window)."""
        proc.wait()
        with self._lock:
            if self._stopping or proc is not self._proc:
                return
            self._ready.clear()
            now = time.monotonic()
            while self._restarts and now - self._restarts[0] > self.config.restart_window_s:
                self._restarts.popleft()
            if len(self._restarts) >= self.config.max_restarts:
                self._failure = SparkUnavailable(
                    f"the Spark Connect server died {len(self._restarts) + 1} times; not restarting",
                    detail=process.log_tail(self.log_file))
                return
            self._restarts.append(now)
            log.warning("Spark Connect server exited with %s; restarting", proc.returncode)
            try:
                self._spawn()
            except SparkUnavailable as e:
                self._failure = e

    def ensure_running(self, timeout: float | None = None) -> str:
        """The server's url once it answers; raises SparkUnavailable instead of waiting forever."""
        if self._failure is not None:
            raise self._failure
        if self._proc is None:
            return self.start()
        if not self._ready.wait(timeout if timeout is not None else self.config.startup_timeout_s):
            raise self._failure or SparkUnavailable(
                "the Spark Connect server is restarting and did not answer in time")
        if self._failure is not None:
            raise self._failure
        return self.url

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None and self._ready.is_set()

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._ready.clear()
            if self._proc is not None and self._proc.poll() is None:
                process.stop_group(self._proc.pid)
            self._proc = None
