"""Which engine runs a statement, and keeping the two engines' views of the shared warehouse
in step.

Spark is optional (`[spark] enabled`). When it is on, the warehouse (a folder of Parquet
tables, one folder per table) is readable by both engines: DuckDB sees each warehouse table
as a view over its files, Spark reads them natively. The decision itself is
engines.routing.choose_engine; this module feeds it what the engines hold.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from askgres.engines.routing import choose_engine

log = logging.getLogger("askgres")


class Router:
    def __init__(self, config, duckdb_engine) -> None:
        self.config = config.spark
        self.duckdb = duckdb_engine
        self.spark = None
        self._synced: dict[str, tuple] = {}
        self._lock = threading.Lock()
        if self.config.enabled:
            from askgres.engines.spark.engine import SparkEngine

            self.spark = SparkEngine(self.config)
            # Starting Spark takes seconds to minutes: do it now, off the event loop.
            threading.Thread(target=self._start_spark, name="askgres-spark-start", daemon=True).start()

    @property
    def enabled(self) -> bool:
        return self.spark is not None

    def _start_spark(self) -> None:
        try:
            self.spark.start()
        except Exception as e:  # noqa: BLE001 - reported to the statements that need Spark
            log.warning("Spark did not start: %s", getattr(e, "message", e))

    def sync_warehouse(self) -> None:
        """DuckDB views over warehouse tables that appeared, changed or went away."""
        if self.spark is None:
            return
        with self._lock:
            tables = self.spark.warehouse_tables()
            current = {name: self.spark.warehouse.signature(name) for name in tables}
            if current == self._synced:
                return
            self.duckdb.sync_warehouse({n: Path(p) for n, p in tables.items()}, set(self._synced) - set(current))
            self._synced = current

    def table_locations(self) -> dict[str, set[str]]:
        native = self.duckdb.native_tables()
        out = {name: {"duckdb"} for name in native}
        if self.spark is not None:
            for name in self.spark.warehouse_tables():
                out[name] = {"duckdb", "spark"} if name not in native else {"duckdb"}
        return out

    def choose(self, stmt, setting: str) -> tuple[str, str]:
        if self.spark is None:
            if setting in ("spark",):
                from askgres.engines.errors import EngineUnavailable

                raise EngineUnavailable("Spark is not enabled on this server",
                                        hint="set [spark] enabled = true (ASKGRES_SPARK_ENABLED=true)")
            return "duckdb", "the only engine"
        self.sync_warehouse()
        return choose_engine(stmt, setting=setting, table_locations=self.table_locations(),
                             table_sizes=self.spark.table_rows(), threshold=self.config.auto_threshold_rows)

    def close(self) -> None:
        if self.spark is not None:
            self.spark.close()
