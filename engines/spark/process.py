"""Starting Spark's JVM processes from the pip package (pyspark ships bin/ and jars/).

Shared by the managed Connect server (server.py) and the standalone cluster (cluster.py):
find SPARK_HOME and Java, pick free loopback ports, launch one JVM class in its own process
group with its output in a log file, wait until it listens, and stop it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Callable, Sequence

from .errors import SparkUnavailable

LOOPBACK = "127.0.0.1"

# Spark logs INFO to the console by default; keep the log files small.
_LOG4J2 = """\
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
logger.connect.name = org.apache.spark.sql.connect.service.SparkConnectServer
logger.connect.level = info
logger.master.name = org.apache.spark.deploy.master.Master
logger.master.level = info
logger.worker.name = org.apache.spark.deploy.worker.Worker
logger.worker.level = info
"""


def spark_home() -> Path:
    """The pyspark package directory: it holds bin/spark-submit, bin/spark-class and jars/."""
    try:
        import pyspark
    except ImportError as e:  # pragma: no cover - depends on the install
        raise SparkUnavailable("pyspark is not installed: run tests/support/install_spark.sh") from e
    home = Path(pyspark.__file__).parent
    if not (home / "bin" / "spark-submit").exists() or not (home / "jars").is_dir():
        raise SparkUnavailable(f"pyspark at {home} has no bin/spark-submit or jars/")
    return home


def java_home(configured: str = "") -> str | None:
    """JAVA_HOME to use, or None to let Spark's scripts find `java` on PATH."""
    if configured:
        return configured
    if os.environ.get("JAVA_HOME"):
        return os.environ["JAVA_HOME"]
    if shutil.which("java") is None:
        raise SparkUnavailable("no Java found: Spark needs Java 17 or newer (set spark.java_home)")
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def conf_dir(base: Path) -> Path:
    """A SPARK_CONF_DIR with a quiet log4j2 configuration."""
    d = base / "conf"
    d.mkdir(parents=True, exist_ok=True)
    (d / "log4j2.properties").write_text(_LOG4J2)
    return d


def spark_env(base: Path, java: str | None, daemon_memory: str = "512m") -> dict[str, str]:
    env = dict(os.environ)
    home = spark_home()
    env.update({
        "SPARK_HOME": str(home),
        "SPARK_CONF_DIR": str(conf_dir(base)),
        "SPARK_LOCAL_IP": LOOPBACK,          # every JVM binds to loopback only
        "SPARK_LOCAL_DIRS": str(base / "tmp"),
        "SPARK_LOG_DIR": str(base / "logs"),
        "SPARK_DAEMON_MEMORY": daemon_memory,
        "SPARK_NO_DAEMONIZE": "1",
    })
    (base / "tmp").mkdir(parents=True, exist_ok=True)
    if java:
        env["JAVA_HOME"] = java
    env.pop("SPARK_REMOTE", None)
    env.pop("SPARK_CONNECT_MODE_ENABLED", None)
    return env


def launch(argv: Sequence[str], env: dict[str, str], log_file: Path) -> subprocess.Popen:
    """Start a JVM in its own process group (so that stop() reaches all of it)."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "ab") as log:
        return subprocess.Popen(list(argv), env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def wait_listening(proc: subprocess.Popen | None, port: int, timeout: float, what: str,
                   log_file: Path, ready: Callable[[], bool] | None = None) -> None:
    """Wait until `port` accepts connections (and `ready()` holds); fail fast if the process dies."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SparkUnavailable(f"{what} exited with status {proc.returncode} while starting",
                                   detail=log_tail(log_file))
        if port_open(LOOPBACK, port) and (ready is None or ready()):
            return
        time.sleep(delay)
        delay = min(delay * 1.5, 0.5)
    raise SparkUnavailable(f"{what} did not answer on port {port} within {timeout:.0f}s",
                           detail=log_tail(log_file))


def stop_group(pid: int, timeout: float = 20.0) -> None:
    """SIGTERM the process group led by `pid`, then SIGKILL what is left after `timeout`."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return
        _reap(pid)
        time.sleep(0.1)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _reap(pid)


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def log_tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
