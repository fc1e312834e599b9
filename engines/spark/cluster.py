"""A Spark standalone cluster on this machine without Docker: the docker/compose topology
(a master, N workers, a Spark Connect server attached to the master) from the pip package,
every process on 127.0.0.1.

    python -m askgres.engines.spark.cluster start [--workers 2] [--state-dir DIR] [--warehouse DIR]
    python -m askgres.engines.spark.cluster status [--state-dir DIR]
    python -m askgres.engines.spark.cluster stop [--state-dir DIR]

`start` prints the Connect url (sc://127.0.0.1:PORT): put it in askgres's [spark] remote.
The processes outlive the command; their pids and ports are in STATE_DIR/cluster.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import process
from .config import SparkConfig
from .errors import SparkUnavailable
from .server import connect_server_argv

MASTER_CLASS = "org.apache.spark.deploy.master.Master"
WORKER_CLASS = "org.apache.spark.deploy.worker.Worker"
DEFAULT_STATE_DIR = Path(".askgres-spark-cluster")


@dataclass
class ClusterState:
    state_dir: str
    master_url: str = ""
    master_ui_port: int = 0
    connect_url: str = ""
    pids: dict[str, int] = field(default_factory=dict)

    def save(self) -> None:
        (Path(self.state_dir) / "cluster.json").write_text(json.dumps(asdict(self), indent=2))

    @classmethod
    def load(cls, state_dir: Path) -> ClusterState:
        path = state_dir / "cluster.json"
        if not path.exists():
            raise SparkUnavailable(f"no cluster state in {state_dir}")
        return cls(**json.loads(path.read_text()))


class StandaloneCluster:
    """Master + workers + Connect server; start() returns the Connect url, stop() ends them all."""

    def __init__(self, state_dir: str | Path = DEFAULT_STATE_DIR, *, workers: int = 2,
                 worker_cores: int = 1, worker_memory: str = "1g", executor_memory: str = "512m",
                 driver_memory: str = "1g", warehouse: str | Path = "askgres-warehouse",
                 startup_timeout_s: float = 180.0) -> None:
        self.state_dir = Path(state_dir).resolve()
        self.workers = workers
        self.worker_cores = worker_cores
        self.worker_memory = worker_memory
        self.executor_memory = executor_memory
        self.driver_memory = driver_memory
        self.warehouse = Path(warehouse).resolve()
        self.timeout = startup_timeout_s
        self.state = ClusterState(str(self.state_dir))

    def _log(self, name: str) -> Path:
        return self.state_dir / "logs" / f"{name}.log"

    def alive_workers(self) -> int:
        """Workers the master reports ALIVE (its web UI's JSON)."""
        url = f"http://{process.LOOPBACK}:{self.state.master_ui_port}/json/"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return int(json.load(response).get("aliveworkers", 0))
        except (OSError, ValueError):
            return 0

    def start(self) -> str:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.warehouse.mkdir(parents=True, exist_ok=True)
        java = process.java_home()
        env = process.spark_env(self.state_dir, java)
        env["SPARK_MASTER_OPTS"] = "-Dspark.master.rest.enabled=false"  # no fixed port 6066
        home = process.spark_home()
        spark_class = str(home / "bin" / "spark-class")
        try:
            port, ui = process.free_port(), process.free_port()
            master = process.launch([spark_class, MASTER_CLASS, "--host", process.LOOPBACK,
                                     "--port", str(port), "--webui-port", str(ui)],
                                    env, self._log("master"))
            self.state.pids["master"] = master.pid
            self.state.master_url = f"spark://{process.LOOPBACK}:{port}"
            self.state.master_ui_port = ui
            self.state.save()
            process.wait_listening(master, port, self.timeout, "the Spark master", self._log("master"))
            for i in range(self.workers):
                name = f"worker-{i + 1}"
                worker = process.launch(
                    [spark_class, WORKER_CLASS, "--host", process.LOOPBACK,
                     "--cores", str(self.worker_cores), "--memory", self.worker_memory,
                     "--webui-port", str(process.free_port()),
                     "--work-dir", str(self.state_dir / name), self.state.master_url],
                    env, self._log(name))
                self.state.pids[name] = worker.pid
            self.state.save()
            process.wait_listening(None, ui, self.timeout, f"{self.workers} Spark workers",
                                   self._log("master"),
                                   ready=lambda: self.alive_workers() >= self.workers)
            connect_port = process.free_port()
            argv = connect_server_argv(
                connect_port, self.state.master_url, driver_memory=self.driver_memory,
                executor_memory=self.executor_memory, warehouse=self.warehouse,
                extra_conf={"spark.cores.max": str(self.workers * self.worker_cores)})
            server = process.launch(argv, env, self._log("connect-server"))
            self.state.pids["connect"] = server.pid
            self.state.connect_url = f"sc://{process.LOOPBACK}:{connect_port}"
            self.state.save()
            process.wait_listening(server, connect_port, self.timeout,
                                   "the Spark Connect server", self._log("connect-server"))
        except BaseException:
            self.stop()
            raise
        return self.state.connect_url

    def stop(self) -> None:
        # the Connect server first (it holds executors), the master last
        for name in sorted(self.state.pids, key=lambda n: (n == "master", n != "connect")):
            process.stop_group(self.state.pids[name])
        self.state.pids.clear()
        if self.state_dir.exists():
            self.state.save()

    @classmethod
    def attach(cls, state_dir: str | Path = DEFAULT_STATE_DIR) -> StandaloneCluster:
        cluster = cls(state_dir)
        cluster.state = ClusterState.load(cluster.state_dir)
        return cluster

    def __enter__(self) -> StandaloneCluster:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m askgres.engines.spark.cluster",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--state-dir", default=str(DEFAULT_STATE_DIR),
                        help="where pids, ports and logs are kept (default %(default)s)")
    parser.add_argument("--workers", type=int, default=2, help="number of workers (default 2)")
    parser.add_argument("--worker-cores", type=int, default=1, help="cores per worker (default 1)")
    parser.add_argument("--worker-memory", default="1g", help="memory per worker (default 1g)")
    parser.add_argument("--warehouse", default=SparkConfig().warehouse,
                        help="shared Parquet warehouse directory (default %(default)s)")
    args = parser.parse_args(argv)
    if args.command == "start":
        cluster = StandaloneCluster(args.state_dir, workers=args.workers,
                                    worker_cores=args.worker_cores,
                                    worker_memory=args.worker_memory, warehouse=args.warehouse)
        try:
            url = cluster.start()
        except SparkUnavailable as e:
            print(f"error: {e}\n{e.detail or ''}", file=sys.stderr)
            return 1
        print(f"master  {cluster.state.master_url}  (web UI http://127.0.0.1:{cluster.state.master_ui_port})")
        print(f"connect {url}")
        print(f"set [spark] remote = \"{url}\" (or ASKGRES_SPARK_REMOTE={url})")
        return 0
    try:
        cluster = StandaloneCluster.attach(args.state_dir)
    except SparkUnavailable as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if args.command == "status":
        print(json.dumps({**asdict(cluster.state), "alive_workers": cluster.alive_workers()}, indent=2))
        return 0
    cluster.stop()
    print("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
