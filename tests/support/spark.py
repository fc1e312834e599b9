"""Spark for tests: one managed Spark Connect server per test session (the engine's own
manager, local[2], 1g driver), a warehouse in a temporary directory, stopped at the end."""

from __future__ import annotations

from pathlib import Path

from askgres.engines.spark.config import SparkConfig
from askgres.engines.spark.engine import SparkEngine

TEST_CONF = {
    "spark.sql.shuffle.partitions": "2",     # tiny test tables: no 200-way shuffles
    "spark.default.parallelism": "2",
}


def spark_config(base_dir: Path, **overrides) -> SparkConfig:
    settings = dict(enabled=True, master="local[2]", driver_memory="1g",
                    warehouse=str(base_dir / "warehouse"), log_dir=str(base_dir / "spark"),
                    startup_timeout_s=300.0, conf=TEST_CONF)
    settings.update(overrides)
    return SparkConfig(**settings)


def start_spark(base_dir: Path, **overrides) -> SparkEngine:
    """A SparkEngine whose managed Connect server is up and answering."""
    engine = SparkEngine(spark_config(Path(base_dir), **overrides))
    engine.start()
    return engine
