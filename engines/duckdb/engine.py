"""The embedded DuckDB engine: one database per process, one cursor per client session."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Sequence

import duckdb
import pyarrow as pa
from sqlglot import exp

from ..ast_facts import once_per_ast
from ..base import Description, Result
from ..pg_names import name_output_columns
from . import catalog, constant_results, dialect
from .constant_results import immutable
from .config import DuckDBConfig
from .errors import map_duckdb_error
from .params import infer_param_types, parameter_numbers
from .result_types import OID, TypedReader, jsonb_outputs, pg_schema, reads_catalog

# Statements whose answer is rows (DML only with RETURNING).
_ROW_STATEMENTS = (exp.Query, exp.Describe, exp.Pragma)

DUCKDB_TO_ARROW = {
    "BOOLEAN": pa.bool_(), "TINYINT": pa.int16(), "SMALLINT": pa.int16(), "INT": pa.int32(),
    "INTEGER": pa.int32(), "BIGINT": pa.int64(), "HUGEINT": pa.decimal128(38, 0), "FLOAT": pa.float32(),
    "REAL": pa.float32(), "DOUBLE": pa.float64(), "DATE": pa.date32(), "TIME": pa.time64("us"),
    "TIMESTAMP": pa.timestamp("us"), "TIMESTAMPTZ": pa.timestamp("us", tz="UTC"),
    "BLOB": pa.binary(), "VARBINARY": pa.binary(), "INTERVAL": pa.month_day_nano_interval(),
    "UUID": pa.uuid(), "JSON": pa.json_(), "TEXT": pa.string(), "VARCHAR": pa.string(),
    "OID": OID,  # as the catalog stores oids (DuckDB UINTEGER), announced as oid
}


def returns_rows(stmt: exp.Expr) -> bool:
    if isinstance(stmt, _ROW_STATEMENTS):
        return True
    return isinstance(stmt, (exp.Insert, exp.Update, exp.Delete)) and bool(stmt.args.get("returning"))


def arrow_type_of(dtype: exp.DataType) -> pa.DataType:
    if dtype.is_type(exp.DataType.Type.DECIMAL):
        params = [int(p.name) for p in dtype.expressions if p.name.isdigit()]
        precision, scale = (params + [18, 3])[:2] if params else (38, 10)
        return pa.decimal128(precision, scale)
    if dtype.is_type(*exp.DataType.ARRAY_TYPES) and dtype.expressions:
        return pa.list_(arrow_type_of(dtype.expressions[0]))
    return DUCKDB_TO_ARROW.get(dtype.sql(dialect="duckdb").upper(), pa.string())


class DuckDBEngine:
    name = "duckdb"

    def __init__(self, config: DuckDBConfig | None = None) -> None:
        self.config = config or DuckDBConfig()
        cfg = self.config
        options: dict[str, object] = {}
        if cfg.threads:
            options["threads"] = cfg.threads
        if cfg.memory_limit:
            options["memory_limit"] = cfg.memory_limit
        self._con = duckdb.connect(cfg.database, read_only=cfg.read_only, config=options)
        self._schema_lock = threading.Lock()
        self._schema: dict | None = None
        self.schema_version = 0
        self._tables: dict | None = None
        self._warehouse_views: set[str] = set()
        self._data_views: set[str] = set()
        for setting in getattr(dialect, "SESSION_SETTINGS", ()):
            self._con.execute(setting)
        catalog.install(self._con)
        if cfg.data_dir:
            self._register_data_dir(Path(cfg.data_dir))
        self._lock_down()

    def _register_data_dir(self, root: Path) -> None:
        """Each Parquet/CSV file (or folder of Parquet files) in `root` becomes a view."""
        if not root.is_dir():
            raise FileNotFoundError(f"data directory {root} does not exist")
        for path in sorted(root.iterdir()):
            name = path.stem if path.is_file() else path.name
            if path.is_dir() and any(path.glob("*.parquet")):
                source = f"read_parquet({_quote(str(path / '*.parquet'))})"
            elif path.suffix == ".parquet":
                source = f"read_parquet({_quote(str(path))})"
            elif path.suffix in (".csv", ".tsv") or path.name.endswith(".csv.gz"):
                name = path.name.split(".")[0]
                source = f"read_csv({_quote(str(path))})"
            else:
                continue
            self._con.execute(f"CREATE OR REPLACE VIEW {_ident(name)} AS SELECT * FROM {source}")
            self._data_views.add(name)
            catalog.mark_as_tables(self._con, [("main", name)])  # psql \dt lists them as tables

    def _lock_down(self) -> None:
        """Network sessions get no file or network access and cannot change the configuration."""
        dirs = [d for d in (self.config.data_dir, *self.config.allowed_directories) if d]
        if dirs:
            listed = ", ".join(_quote(str(Path(d).resolve()) + "/") for d in dirs)
            self._con.execute(f"SET allowed_directories = [{listed}]")
        self._con.execute("SET enable_external_access = false")
        self._con.execute("SET lock_configuration = true")

    def schema(self) -> dict:
        """{schema: {table: {column: type}}} for type inference; cached until DDL runs."""
        with self._schema_lock:
            if self._schema is None:
                rows = self._con.cursor().execute(
                    "SELECT schema_name, table_name, column_name, data_type FROM duckdb_columns() "
                    "WHERE NOT internal AND database_name = current_database() ORDER BY schema_name, table_name, column_index"
                ).fetchall()
                schema: dict = {}
                for sch, table, column, dtype in rows:
                    schema.setdefault(sch, {}).setdefault(table, {})[column] = dtype
                self._schema = schema
            return self._schema

    def file_views(self) -> set[str]:
        """Views askgres made over Parquet/CSV files (--data, the warehouse): served as tables."""
        return self._data_views | self._warehouse_views

    def native_tables(self) -> set[str]:
        """Tables (and user views) of the main schema that are not warehouse views."""
        rows = self._con.cursor().execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND database_name = current_database() "
            "AND schema_name = 'main' UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal "
            "AND database_name = current_database() AND schema_name = 'main'").fetchall()
        return {r[0] for r in rows} - self._warehouse_views

    def sync_warehouse(self, tables: dict[str, Path], gone: set[str]) -> None:
        """Views over the shared warehouse's Parquet tables (a table native to DuckDB wins)."""
        cur = self._con.cursor()
        native = self.native_tables()
        for name in gone & self._warehouse_views:
            cur.execute(f"DROP VIEW IF EXISTS {_ident(name)}").fetchall()
            self._warehouse_views.discard(name)
        for name, folder in tables.items():
            if name in native:
                continue
            cur.execute(f"CREATE OR REPLACE VIEW {_ident(name)} AS SELECT * FROM "
                        f"read_parquet({_quote(str(folder / '*.parquet'))})").fetchall()
            if name not in self._warehouse_views:
                catalog.mark_as_tables(self._con, [("main", name)])
            self._warehouse_views.add(name)
        self.schema_changed()

    def schema_changed(self) -> None:
        with self._schema_lock:
            self.schema_version += 1
            self._schema = None
            self._tables = None

    def describe_tables(self) -> dict:
        """Tables, columns, keys and sample values (see describe_tables.py); cached until DDL runs."""
        from .describe_tables import describe_tables

        with self._schema_lock:
            cached = self._tables
        if cached is None:
            session = self.session()
            try:
                cached = describe_tables(session)
            finally:
                session.close()
            with self._schema_lock:
                self._tables = cached
        return cached

    def session(self) -> DuckDBSession:
        return DuckDBSession(self)

    def close(self) -> None:
        self._con.close()


class DuckDBSession:
    def __init__(self, engine: DuckDBEngine) -> None:
        self.engine = engine
        self._cur = engine._con.cursor()
        self.loads = 0  # ingest() calls: the proxy cannot replay them after ROLLBACK TO SAVEPOINT

    def sql(self, stmt: exp.Expr) -> str:
        """DuckDB SQL for a statement. The guard hands out the same AST for the same text, so
        the transpiled text is kept on the AST (keyed by schema version): transpiling costs
        milliseconds, a repeated statement should not."""
        version = self.engine.schema_version
        cached = stmt.meta.get("askgres.duckdb_sql")
        if cached is not None and cached[0] == version:
            return cached[1]
        tree = name_output_columns(stmt.copy()) if isinstance(stmt, exp.Query) else stmt
        text = dialect.to_duckdb(tree, self.engine.schema())
        stmt.meta["askgres.duckdb_sql"] = (version, text)
        return text

    def execute(self, stmt: exp.Expr, params: Sequence[object] = ()) -> Result:
        text = self.sql(stmt)
        try:
            if returns_rows(stmt) and isinstance(stmt, exp.Query):
                if immutable(stmt):
                    kept = constant_results.replay(stmt, text)
                    if kept is not None:
                        return Result(reader=kept)
                reader, types = _stream_query(self._cur, text, list(params), self.engine.config.batch_rows,
                                              materialize=_one_row(stmt))
                if reader is None:
                    return Result(reader=None, rowcount=0)
                reader = _GuardedReader(_typed(reader, types, stmt))
                if immutable(stmt):
                    reader = constant_results.keep(stmt, text, reader)
                return Result(reader=reader)
            self._cur.execute(text, list(params))
            if returns_rows(stmt):
                types = [d[1] for d in self._cur.description or ()]
                reader = self._cur.to_arrow_reader(self.engine.config.batch_rows)
                return Result(reader=_GuardedReader(_typed(reader, types, stmt)))
            counts = self._cur.fetchall()  # DuckDB 2 wants every result finished before the next statement
            dml = isinstance(stmt, (exp.Insert, exp.Update, exp.Delete, exp.Merge))
            rowcount = int(counts[0][0]) if dml and counts and counts[0][0] is not None else -1
        except duckdb.Error as e:
            raise map_duckdb_error(e) from None
        finally:
            if isinstance(stmt, (exp.Create, exp.Drop, exp.Alter)) or isinstance(stmt, exp.Command):
                self.engine.schema_changed()
        return Result(reader=None, rowcount=rowcount)

    def describe(self, stmt: exp.Expr) -> Description:
        schema = self.engine.schema()
        numbers = parameter_numbers(stmt)
        inferred = infer_param_types(stmt, schema)
        count = max(numbers, default=0)
        param_types = tuple(arrow_type_of(inferred[n]) if n in inferred else pa.string() for n in range(1, count + 1))
        if not returns_rows(stmt):
            return Description(None, param_types)
        query = stmt
        if not isinstance(stmt, exp.Query):  # DML ... RETURNING: describe the returned expressions only
            query = exp.select(*stmt.args["returning"].expressions).from_(stmt.this.copy())
        # LIMIT 0 over the query never produces rows, so nothing runs but planning.
        text = f"SELECT * FROM ({self.sql(query)}) AS described LIMIT 0"
        try:
            rel = self._cur.sql(text, params=[None] * count or None)
            table = rel.to_arrow_table()
        except duckdb.Error as e:
            raise map_duckdb_error(e) from None
        oid = any(t.id in _OID_STORAGE for t in rel.types) and reads_catalog(stmt)
        typed = pg_schema(table.schema, rel.types, jsonb_outputs(query), oid=oid)
        return Description(typed or table.schema, param_types)

    def ingest(self, table: str, batches: pa.RecordBatchReader, *, create: bool = False) -> int:
        """Load batches into `table` (engine SQL name); create=True makes the table from them."""
        view = f"__askgres_ingest_{id(batches)}"
        self.loads += 1
        self._cur.register(view, batches)
        try:
            if create:
                self._cur.execute(f"CREATE TABLE {table} AS SELECT * FROM {_ident(view)}").fetchall()
                return int(self._cur.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
            return _count(self._cur.execute(f"INSERT INTO {table} SELECT * FROM {_ident(view)}"))
        except duckdb.Error as e:
            raise map_duckdb_error(e) from None
        finally:
            self._cur.unregister(view)

    def run_sql(self, text: str, params: Sequence[object] = ()) -> pa.Table:
        """Run engine-native SQL made by askgres itself (never client text)."""
        try:
            rel = self._cur.sql(text, params=list(params) or None)
            return rel.to_arrow_table() if rel is not None else pa.table({})
        except duckdb.Error as e:
            raise map_duckdb_error(e) from None

    def explain(self, stmt: exp.Expr) -> str:
        """DuckDB's physical plan of a statement (planned, not run)."""
        try:
            rows = self._cur.execute("EXPLAIN " + self.sql(stmt)).fetchall()
        except duckdb.Error as e:
            raise map_duckdb_error(e) from None
        return "\n".join(str(r[-1]) for r in rows)

    def set_session_info(self, user: str, pid: int, settings: dict[str, str], database: str | None = None) -> None:
        """Per-connection values the catalog emulation reads: current_user, pg_backend_pid(),
        current_setting(), current_database() (the name the client connected with)."""
        pairs = ", ".join(f"{_quote(k)}: {_quote(v)}" for k, v in sorted(settings.items()))
        try:
            if database:
                self._cur.execute(f"SET VARIABLE askgres_database = {_quote(database)}").fetchall()
            self._cur.execute(f"SET VARIABLE askgres_user = {_quote(user)}").fetchall()
            self._cur.execute(f"SET VARIABLE askgres_backend_pid = {int(pid)}").fetchall()
            self._cur.execute(f"SET VARIABLE askgres_settings = MAP {{{pairs}}}").fetchall()
        except duckdb.Error as e:
            raise map_duckdb_error(e) from None

    def begin(self) -> None:
        self._cur.execute("BEGIN TRANSACTION").fetchall()

    def commit(self) -> None:
        self._cur.execute("COMMIT").fetchall()

    def rollback(self) -> None:
        try:
            self._cur.rollback()
        except duckdb.TransactionException:
            pass  # nothing to roll back, as in PostgreSQL (it only warns)

    def cancel(self) -> None:
        self._cur.interrupt()

    def close(self) -> None:
        try:
            self._cur.close()
        except duckdb.Error:
            pass


def _private_submit():
    """DuckDB 2's Python seam: one statement, run once, straight to an Arrow stream. It is a
    private module, so it is used only where its signature is the one this code was written
    against; any other DuckDB build takes the public relation API."""
    try:
        import inspect

        from duckdb._seam import submit
        names = list(inspect.signature(submit).parameters)
    except (ImportError, TypeError, ValueError):
        return None
    return submit if names == ["con", "sql", "values", "format", "batch_size"] else None


_submit = _private_submit()


def _stream_query(cur, text: str, params: list, batch_rows: int, *, materialize: bool = False):
    """(Arrow reader, DuckDB column types) of a query. A relation (cur.sql) parses and binds
    the query once to describe it and again when read: a third of a small query's time.
    materialize: the result is one row, fetched whole (reading a stream to its end costs a
    second call into DuckDB)."""
    if _submit is not None:
        result = _submit(cur, text, params or None, "arrow" if materialize else "stream", batch_rows)
        description = result.description  # read first: arrow_reader() takes the result over
        if not description:
            return None, []
        types = [d[1] for d in description]
        if materialize:
            table = result.arrow_table()
            return pa.RecordBatchReader.from_batches(table.schema, table.to_batches()), types
        return _Holding(result.arrow_reader(), result), types
    rel = cur.sql(text, params=params or None)
    if rel is None:
        return None, []
    return rel.to_arrow_reader(batch_rows), rel.types


_ONE_ROW_KEY = "askgres.duckdb_one_row"
# Functions that make rows out of one (a SELECT without FROM can still return many).
_ROW_MAKERS = frozenset({"unnest", "range", "generate_series", "generate_subscripts", "json_each",
                         "jsonb_each", "json_array_elements", "jsonb_array_elements", "regexp_matches"})


def _one_row(stmt: exp.Expr) -> bool:
    """A SELECT without FROM, subqueries or set-returning functions: exactly one row."""
    return once_per_ast(stmt, _ONE_ROW_KEY, _decide_one_row)


def _decide_one_row(stmt: exp.Expr) -> bool:
    if any(stmt.args.get(k) for k in ("where", "having", "limit", "offset", "group")):
        return False
    return type(stmt) is exp.Select and not any(
        isinstance(n, (exp.From, exp.Subquery, exp.Query, exp.Unnest, exp.Explode, exp.Table,
                       exp.AggFunc, exp.Window))
        or (isinstance(n, exp.Func) and ((n.name if isinstance(n, exp.Anonymous) else n.sql_name()).lower()
            in _ROW_MAKERS or any(w in type(n).__name__ for w in ("Explod", "Unnest", "Series"))))
        for n in stmt.walk() if n is not stmt)


# DuckDB type ids of the columns that can hold oids (UINTEGER, lists of them).
_OID_STORAGE = ("uinteger", "list")


def _typed(reader: pa.RecordBatchReader, duck_types, stmt: exp.Expr):
    """The reader, with uuid/json columns typed as PostgreSQL types them, and the uint32
    columns of a statement reading the catalog typed as oids (result_types.py)."""
    if not any(t.id in ("uuid", "varchar", "list", "uinteger") for t in duck_types):
        return reader  # the common case: nothing to retype, no AST walk
    oid = any(t.id in _OID_STORAGE for t in duck_types) and reads_catalog(stmt)
    if isinstance(stmt, exp.Query):
        outputs = stmt
    else:  # DML ... RETURNING
        returning = stmt.args.get("returning")
        outputs = exp.select(*returning.expressions) if returning else stmt
    schema = pg_schema(reader.schema, duck_types, jsonb_outputs(outputs), oid=oid)
    return reader if schema is None else TypedReader(reader, schema)


def _count(cur) -> int:
    rows = cur.fetchall()
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0


class _Holding:
    """A reader that keeps the DuckDB result it reads from alive (dropping it closes it)."""

    def __init__(self, reader: pa.RecordBatchReader, result) -> None:
        self._reader = reader
        self._result = result
        self.schema = reader.schema

    def read_next_batch(self) -> pa.RecordBatch:
        return self._reader.read_next_batch()

    def close(self) -> None:
        self._reader.close()
        self._result = None


class _GuardedReader:
    """Wraps a RecordBatchReader so DuckDB errors raised while streaming carry a SQLSTATE."""

    def __init__(self, reader: pa.RecordBatchReader) -> None:
        self._reader = reader
        self.schema = reader.schema

    def read_next_batch(self) -> pa.RecordBatch:
        try:
            return self._reader.read_next_batch()
        except duckdb.Error as e:
            raise map_duckdb_error(e) from None

    def __iter__(self):
        while True:
            try:
                yield self.read_next_batch()
            except StopIteration:
                return

    def close(self) -> None:
        self._reader.close()


def _quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _ident(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'
