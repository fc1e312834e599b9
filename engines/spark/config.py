"""Settings of the Spark engine: the [spark] section of askgres's TOML file."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SparkConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: bool = Field(
        default=False,
        description="Whether askgres uses Spark at all. Off: every statement runs on DuckDB and no "
        "Spark Connect server is started.",
    )
    remote: str = Field(
        default="",
        description="Address of an existing Spark Connect server, 'sc://host:port'. Empty: askgres "
        "starts and manages its own local Spark Connect server (see `master`).",
    )
    master: str = Field(
        default="local[2]",
        description="Spark master of the managed Connect server: 'local[N]' for in-process Spark, or "
        "'spark://host:7077' to attach the managed server to a standalone cluster. Ignored when "
        "`remote` is set.",
    )
    warehouse: str = Field(
        default="askgres-warehouse",
        description="Directory of shared Parquet tables, one folder per table, read by both DuckDB "
        "and Spark. Relative paths are taken from the current directory. With a remote Spark it must "
        "be the same path on the Spark machines (a shared volume).",
    )
    driver_memory: str = Field(
        default="1g",
        description="JVM heap of the managed Connect server's driver (spark-submit --driver-memory).",
    )
    executor_memory: str = Field(
        default="1g",
        description="Memory of each executor when the managed server runs on a standalone cluster.",
    )
    conf: dict[str, str] = Field(
        default_factory=dict,
        description="Extra Spark configuration passed to the managed Connect server as --conf key=value.",
    )
    java_home: str = Field(
        default="",
        description="JAVA_HOME for the managed Connect server (Java 17 or newer). Empty: the JAVA_HOME "
        "environment variable, else `java` on PATH.",
    )
    log_dir: str = Field(
        default="",
        description="Where the managed Connect server writes its log. Empty: a temporary directory.",
    )
    startup_timeout_s: float = Field(
        default=180.0, gt=0,
        description="How long to wait for the managed Connect server to accept connections before "
        "reporting Spark unavailable.",
    )
    connect_timeout_s: float = Field(
        default=10.0, gt=0,
        description="How long a statement waits for an unreachable Spark Connect server (retries "
        "included) before failing with SQLSTATE 08006 instead of hanging.",
    )
    unavailable_cooldown_s: float = Field(
        default=30.0, ge=0,
        description="After Spark is found unavailable, statements routed to it skip it for this many "
        "seconds (failing at once with SQLSTATE 08006, or running on DuckDB with a notice when "
        "`fallback_to_duckdb` is on) instead of each waiting `connect_timeout_s` again; then one "
        "statement tries Spark again. 0: every statement tries.",
    )
    max_restarts: int = Field(
        default=3, ge=0,
        description="How many times the managed Connect server is restarted after dying, within "
        "`restart_window_s`, before it is given up as unavailable.",
    )
    restart_window_s: float = Field(
        default=600.0, gt=0,
        description="The window over which `max_restarts` is counted.",
    )
    ansi_mode: bool = Field(
        default=True,
        description="spark.sql.ansi.enabled: errors (like PostgreSQL) on overflow, invalid casts and "
        "division by zero instead of Spark's legacy NULL results.",
    )
    timezone: str = Field(
        default="UTC",
        description="spark.sql.session.timeZone of each Spark session (PostgreSQL's TimeZone).",
    )
    auto_threshold_rows: int = Field(
        default=50_000_000, ge=0,
        description="With askgres.engine = 'auto', a statement goes to Spark when the tables it scans "
        "hold at least this many rows in all (estimated from Parquet footers and DuckDB statistics).",
    )
    fallback_to_duckdb: bool = Field(
        default=False,
        description="When Spark is unavailable, run the statement on DuckDB instead (with a notice) "
        "if DuckDB can reach its tables; off: the statement fails with SQLSTATE 08006.",
    )
    file_rows: int = Field(
        default=10_000_000, gt=0,
        description="Rows per Parquet file when askgres writes a warehouse table itself (ingest, "
        "synthesize, COPY FROM), so that Spark can read a large table in parallel.",
    )
