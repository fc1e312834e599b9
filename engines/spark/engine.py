"""The Spark engine: one per process, one Spark Connect session per askgres session.

Queries run as Spark SQL made by dialect.to_spark; results stream back as Arrow record
batches straight from the Connect gRPC stream (never collected whole). Warehouse tables
are Parquet folders, exposed to each Spark session as temporary views.
"""

from __future__ import annotations

import logging
import threading
import uuid
from pathlib import Path
from typing import Iterator, Sequence

import pyarrow as pa
from sqlglot import exp

from ..base import Description, Result
from ..pg_names import name_output_columns
from . import dialect
from .breaker import SparkBreaker
from .config import SparkConfig
from .errors import SparkError, SparkUnavailable, SparkUnsupported, from_spark
from .server import ManagedConnectServer
from .types import arrow_to_pg_type, sqlglot_to_arrow
from .warehouse import Warehouse

log = logging.getLogger(__name__)


class SparkEngine:
    """Owns the Connect server (managed or remote) and the warehouse."""

    name = "spark"

    def __init__(self, config: SparkConfig | None = None) -> None:
        self.config = config or SparkConfig(enabled=True)
        self.warehouse = Warehouse(self.config.warehouse, self.config.file_rows)
        self.server = None if self.config.remote else ManagedConnectServer(self.config)
        self._start_lock = threading.Lock()
        # One per process: a Spark found unavailable is skipped by every session for a while.
        self.breaker = SparkBreaker(self.config.unavailable_cooldown_s)
        # pyspark logs every failed query to stderr; askgres reports errors to the client itself
        logging.getLogger("SQLQueryContextLogger").setLevel(logging.CRITICAL)

    # -- the server ---------------------------------------------------------------------
    def start(self) -> str:
        """Start the managed server (if any) and wait until it answers; the Connect url."""
        if self.server is None:
            return self.config.remote
        # The first start may take minutes; a restart after the server died must not hold
        # statements longer than an unreachable remote server would.
        timeout = self.config.connect_timeout_s if self.server.generation else None
        with self._start_lock:
            return self.server.ensure_running(timeout)

    def url(self) -> str:
        return self.start()

    def generation(self) -> int:
        return self.server.generation if self.server is not None else 0

    # -- shared storage -----------------------------------------------------------------
    def warehouse_tables(self) -> dict[str, Path]:
        """{table: folder of Parquet files} that both engines read."""
        return self.warehouse.tables()

    def table_rows(self) -> dict[str, int]:
        """Estimated rows per warehouse table (Parquet footers), for auto routing."""
        return self.warehouse.sizes()

    def sqlglot_schema(self, tables: Sequence[str] | None = None) -> dict[str, dict[str, str]]:
        """{table: {column: postgres type}} of warehouse tables, for the dialect's type rules."""
        names = tables if tables is not None else list(self.warehouse.tables())
        out: dict[str, dict[str, str]] = {}
        for name in names:
            if self.warehouse.exists(name):
                out[name] = {f.name: arrow_to_pg_type(f.type) for f in self.warehouse.schema(name)}
        return out

    def session(self) -> SparkEngineSession:
        return SparkEngineSession(self)

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()


class SparkEngineSession:
    """One Spark Connect session (its own temp views and confs), tagged for cancellation."""

    def __init__(self, engine: SparkEngine) -> None:
        self.engine = engine
        self.tag = f"askgres-{uuid.uuid4().hex[:16]}"
        self._spark = None
        self._generation = -1
        self._views: dict[str, tuple] = {}
        self._lock = threading.RLock()

    # -- connection ---------------------------------------------------------------------
    def spark(self):
        """The pyspark Connect session, (re)created when the server (re)started."""
        with self._lock:
            url = self.engine.start()
            if self._spark is None or self._generation != self.engine.generation():
                self._spark = _connect(url, self.engine.config)
                self._generation = self.engine.generation()
                self._views.clear()
            return self._spark

    def _drop_connection(self) -> None:
        with self._lock:
            spark, self._spark = self._spark, None
            self._views.clear()
        if spark is not None:
            try:
                spark.client.close()
            except Exception:  # noqa: BLE001 - already broken
                pass

    def _register_views(self, stmt: exp.Expr) -> dict[str, dict[str, str]]:
        """Temp views for the warehouse tables a statement names; their schema for typing."""
        spark = self.spark()
        names = _table_names(stmt)
        for name in names:
            if not self.engine.warehouse.exists(name):
                continue
            signature = self.engine.warehouse.signature(name)
            if self._views.get(name) != signature:
                path = str(self.engine.warehouse.path(name))
                spark.read.parquet(path).createOrReplaceTempView(name)
                self._views[name] = signature
        return self.engine.sqlglot_schema([n for n in names if self.engine.warehouse.exists(n)])

    # -- statements ---------------------------------------------------------------------
    def sql(self, stmt: exp.Expr, params: Sequence[object] = ()) -> str:
        """The Spark SQL a statement runs as (registers the views it needs)."""
        stmt = dialect.bind_params(stmt, params)
        if isinstance(stmt, exp.Query):
            stmt = name_output_columns(stmt.copy())
        return dialect.to_spark(stmt, self._register_views(stmt))

    def _guarded(self, fn, *args):
        """Run `fn` unless the breaker says Spark is down; every failure leaves with a SQLSTATE,
        and tells the breaker whether Spark answered."""
        breaker = self.engine.breaker
        breaker.allow()
        try:
            out = fn(*args)
        except Exception as e:  # noqa: BLE001
            err = from_spark(e)
            if isinstance(err, SparkUnavailable):
                self._unavailable(err)
            else:
                breaker.succeeded()  # Spark answered, with an error of the statement's own
            raise err from None
        breaker.succeeded()
        return out

    def _unavailable(self, err: SparkUnavailable) -> None:
        self._drop_connection()
        self.engine.breaker.failed(err)

    def execute(self, stmt: exp.Expr, params: Sequence[object] = ()) -> Result:
        return self._guarded(self._execute, stmt, params)

    def _execute(self, stmt: exp.Expr, params: Sequence[object]) -> Result:
        if isinstance(stmt, exp.Query):
            return Result(reader=self._stream(self.sql(stmt, params)))
        if isinstance(stmt, exp.Create) and stmt.kind == "TABLE":
            return self._create_table(dialect.bind_params(stmt, params))
        if isinstance(stmt, exp.Insert):
            return self._insert(dialect.bind_params(stmt, params))
        if isinstance(stmt, exp.Drop) and stmt.kind in ("TABLE", "VIEW"):
            return self._drop(stmt)
        raise SparkUnsupported(f"{stmt.key.upper()} is not supported on Spark",
                               hint="warehouse tables on Spark support CREATE TABLE [AS], INSERT "
                                    "and DROP; run other statements on DuckDB")

    def _stream(self, text: str) -> pa.RecordBatchReader:
        df = self.spark().sql(text)
        return _arrow_stream(df, self.spark(), self.tag, on_unavailable=self._unavailable)

    def _create_table(self, stmt: exp.Create) -> Result:
        name = _target_name(stmt.this)
        warehouse = self.engine.warehouse
        if warehouse.exists(name):
            if stmt.args.get("exists"):
                return Result(reader=None, rowcount=0)
            raise SparkError(f'relation "{name}" already exists', "42P07")
        query = stmt.expression
        if isinstance(query, exp.Query):
            df = self.spark().sql(self.sql(query))
            df.write.mode("error").parquet(str(warehouse.path(name)))
            return Result(reader=None, rowcount=warehouse.rows(name))
        schema = stmt.this if isinstance(stmt.this, exp.Schema) else None
        if schema is None:
            raise SparkUnsupported("CREATE TABLE needs columns or AS SELECT on Spark")
        fields = [pa.field(col.name, sqlglot_to_arrow(col.args["kind"]))
                  for col in schema.expressions if isinstance(col, exp.ColumnDef)]
        warehouse.write(name, [], schema=pa.schema(fields), mode="create")
        return Result(reader=None, rowcount=-1)

    def _insert(self, stmt: exp.Insert) -> Result:
        if stmt.args.get("returning") or stmt.args.get("conflict"):
            raise SparkUnsupported("INSERT ... RETURNING / ON CONFLICT is not supported on Spark")
        target = stmt.this
        columns = [c.name for c in target.expressions] if isinstance(target, exp.Schema) else None
        name = _target_name(target)
        warehouse = self.engine.warehouse
        if not warehouse.exists(name):
            raise SparkError(f'relation "{name}" does not exist', "42P01")
        source = stmt.expression
        if isinstance(source, exp.Values):
            source = exp.select("*").from_(exp.Subquery(this=source, alias=exp.TableAlias(
                this=exp.to_identifier("v"))))
        if not isinstance(source, exp.Query):
            raise SparkUnsupported("INSERT needs VALUES or a query on Spark")
        df = self.spark().sql(self.sql(source))
        df = _align(df, warehouse.schema(name), columns)
        before = set(warehouse.signature(name))
        df.write.mode("append").parquet(str(warehouse.path(name)))
        new_files = [warehouse.path(name) / f[0] for f in warehouse.signature(name) if f not in before]
        import pyarrow.parquet as pq
        return Result(reader=None, rowcount=sum(pq.ParquetFile(f).metadata.num_rows for f in new_files))

    def _drop(self, stmt: exp.Drop) -> Result:
        tables = stmt.args.get("tables") or ([stmt.this] if stmt.this is not None else [])
        names = [_target_name(t) for t in tables]
        missing = [n for n in names if not self.engine.warehouse.exists(n)]
        if missing and not stmt.args.get("exists"):
            raise SparkError(f'table "{missing[0]}" does not exist', "42P01")
        for name in names:
            self.engine.warehouse.drop(name)
            if name in self._views and self._spark is not None:
                self._spark.catalog.dropTempView(name)
                self._views.pop(name, None)
        return Result(reader=None, rowcount=-1)

    def describe(self, stmt: exp.Expr) -> Description:
        """Result columns from Spark's analysis of the plan: nothing is executed."""
        count = _param_count(stmt)
        param_types = self._param_types(stmt, count)
        if not isinstance(stmt, exp.Query):
            return Description(None, param_types)

        def analyse():
            text = self.sql(stmt, [None] * count)
            return self.spark().sql(text).schema  # SqlCommand + AnalyzePlan: no job runs
        return Description(_to_arrow_schema(self._guarded(analyse)), param_types)

    def _param_types(self, stmt: exp.Expr, count: int) -> tuple[pa.DataType, ...]:
        if not count:
            return ()
        found = dialect.parameter_types(stmt, self.engine.sqlglot_schema(_table_names(stmt)))
        return tuple(sqlglot_to_arrow(found[n]) if n in found else pa.string()
                     for n in range(1, count + 1))

    def plan(self, stmt: exp.Expr) -> str:
        """Spark's plan for EXPLAIN (analysis only)."""
        return self._guarded(lambda: self.spark().sql(self.sql(stmt))._explain_string(mode="formatted"))

    def ingest(self, table: str, batches: pa.RecordBatchReader) -> int:
        """Write Arrow batches into the warehouse table (created if missing), via pyarrow."""
        return self.engine.warehouse.write(table, batches, mode="append")

    def cancel(self) -> None:
        """Interrupt whatever this session runs on the server (by its tag).

        Never blocks the caller (the proxy's event loop answers CancelRequests): the interrupt
        is a gRPC call that would wait out retries on a dead server, or forever on a hung one."""
        spark = self._spark
        if spark is None:
            return

        def interrupt() -> None:
            try:
                spark.interruptTag(self.tag)
            except Exception as e:  # noqa: BLE001 - cancel is best effort
                log.debug("interruptTag failed: %s", e)
        threading.Thread(target=interrupt, name="askgres-spark-cancel", daemon=True).start()

    def close(self) -> None:
        spark, self._spark = self._spark, None
        if spark is not None:
            try:
                spark.stop()
            except Exception:  # noqa: BLE001
                pass


# -- helpers --------------------------------------------------------------------------------

def _connect(url: str, config: SparkConfig):
    """A new Spark Connect session; retries bounded so an unreachable server fails fast."""
    from pyspark.sql import SparkSession
    from pyspark.sql.connect.client.retries import DefaultPolicy

    try:
        spark = SparkSession.builder.remote(url).create()
        budget_ms = int(config.connect_timeout_s * 1000)
        spark.client.set_retry_policies([DefaultPolicy(
            max_retries=4, initial_backoff=100, max_backoff=max(budget_ms // 4, 200),
            backoff_multiplier=4.0, jitter=100, max_server_retry_delay=budget_ms)])
        spark.conf.set("spark.sql.ansi.enabled", str(config.ansi_mode).lower())
        spark.conf.set("spark.sql.session.timeZone", config.timezone)
        spark.conf.set("spark.sql.timestampType", "TIMESTAMP_NTZ")
        return spark
    except Exception as e:  # noqa: BLE001
        err = from_spark(e)
        if isinstance(err, SparkUnavailable) or err.sqlstate == "XX000":
            raise SparkUnavailable(f"cannot connect to Spark at {url}: {err.message}") from None
        raise err from None


def _to_arrow_schema(struct) -> pa.Schema:
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(struct, error_on_duplicated_field_names_in_struct=True, timezone="UTC")


def _arrow_stream(df, spark, tag: str, on_unavailable=None) -> pa.RecordBatchReader:
    """Batches as they arrive on the ExecutePlan gRPC stream (the path toLocalIterator uses).

    The first response is fetched here, under this session's tag, so errors surface before
    any row is sent and the operation carries the tag that cancel() interrupts."""
    from pyspark.sql.types import StructType

    schema = _to_arrow_schema(df.schema)
    client = spark.client
    plan = df._plan.to_proto(client)
    spark.addTag(tag)
    try:
        responses = client.to_table_as_iterator(plan, df._plan.observations)
        first = next(responses, None)
    finally:
        spark.removeTag(tag)

    def batches() -> Iterator[pa.RecordBatch]:
        pending = [first] if first is not None else []
        try:
            for item in _chain(pending, responses):
                if isinstance(item, StructType):
                    continue
                table = item.rename_columns(schema.names).cast(schema) if item.num_rows else None
                if table is not None:
                    yield from table.to_batches()
        except Exception as e:  # noqa: BLE001 - errors while streaming carry a SQLSTATE too
            err = from_spark(e)
            if on_unavailable is not None and isinstance(err, SparkUnavailable):
                on_unavailable(err)  # Spark died mid-result: the next statements skip it
            raise err from None

    return pa.RecordBatchReader.from_batches(schema, batches())


def _chain(first: list, rest: Iterator) -> Iterator:
    yield from first
    yield from rest


def _align(df, schema: pa.Schema, columns: list[str] | None):
    """The inserted rows as the target table's columns, in its order and types."""
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_type

    names = columns or schema.names[:len(df.columns)]
    if len(names) != len(df.columns):
        raise SparkError("INSERT has more expressions than target columns", "42601")
    renamed = df.toDF(*names)
    cols = []
    for field in schema:
        spark_type = from_arrow_type(field.type)
        if field.name in names:
            cols.append(F.col(f"`{field.name}`").cast(spark_type).alias(field.name))
        else:
            cols.append(F.lit(None).cast(spark_type).alias(field.name))
    return renamed.select(*cols)


def _table_names(stmt: exp.Expr) -> list[str]:
    """Tables a statement reads, without its CTE names."""
    ctes = {cte.alias_or_name.lower() for cte in stmt.find_all(exp.CTE)}
    names: list[str] = []
    for table in stmt.find_all(exp.Table):
        if isinstance(table.this, exp.Identifier) and table.name:
            name = table.name.lower()
            if name not in ctes and name not in names and (not table.db or table.db.lower() == "public"):
                names.append(name)
    return names


def _target_name(node: exp.Expr) -> str:
    table = node.this if isinstance(node, exp.Schema) else node
    if not isinstance(table, exp.Table):
        raise SparkUnsupported("unsupported target for Spark")
    return table.name.lower()


def _param_count(stmt: exp.Expr) -> int:
    numbers = [int(p.this.this) for p in stmt.find_all(exp.Parameter)
               if isinstance(p.this, exp.Literal) and not p.this.is_string]
    return max(numbers, default=0)

