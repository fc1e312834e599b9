"""What the guard needs to know about the served database: columns (to expand `*`), views'
definitions (to check access through them), estimated table sizes (the cross-join limit) and
which text columns hold PII (found by sampling values). Built from DuckDB, kept until the
schema changes."""

from __future__ import annotations

import threading

import sqlglot
from sqlglot import exp

from askgres import guard


def _public(schema: str) -> str:
    return "public" if schema == "main" else schema


class GuardCatalog:
    def __init__(self, engine, config: guard.GuardConfig) -> None:
        self.engine = engine
        self.config = config
        self._lock = threading.Lock()
        self._version = -1
        self._catalog = guard.Catalog()

    def get(self) -> guard.Catalog:
        """Blocking (queries DuckDB when the schema changed): call it off the event loop."""
        version = getattr(self.engine, "schema_version", 0)
        with self._lock:
            if version != self._version:
                self._catalog = self._build()
                self._version = version
            return self._catalog

    def fresh(self) -> guard.Catalog | None:
        """The catalog if it is current (no query needed), else None."""
        return self._catalog if self._version == getattr(self.engine, "schema_version", 0) else None

    def _build(self) -> guard.Catalog:
        session = self.engine.session()
        try:
            return self._read(session)
        finally:
            session.close()

    def _read(self, session) -> guard.Catalog:
        file_views = self.engine.file_views()
        columns: dict[str, list[str]] = {}
        text_columns: list[tuple[str, str, str]] = []
        for row in session.run_sql(
                "SELECT schema_name, table_name, column_name, data_type FROM duckdb_columns() "
                "WHERE NOT internal AND database_name = current_database() "
                "ORDER BY schema_name, table_name, column_index").to_pylist():
            name = f"{_public(row['schema_name'])}.{row['table_name']}"
            columns.setdefault(name, []).append(row["column_name"])
            if row["data_type"] == "VARCHAR":
                text_columns.append((row["schema_name"], row["table_name"], row["column_name"]))
        rows = {f"{_public(r['schema_name'])}.{r['table_name']}": int(r["estimated_size"] or 0)
                for r in session.run_sql(
                    "SELECT schema_name, table_name, estimated_size FROM duckdb_tables() "
                    "WHERE NOT internal AND database_name = current_database()").to_pylist()}
        views = {}
        for r in session.run_sql(
                "SELECT schema_name, view_name, sql FROM duckdb_views() WHERE NOT internal "
                "AND database_name = current_database()").to_pylist():
            if r["view_name"] in file_views:
                continue  # views over Parquet/CSV files are served as tables
            definition = _view_select(r["sql"])
            if definition:
                views[f"{_public(r['schema_name'])}.{r['view_name']}"] = definition
        pii = {}
        if self.config.pii_detection:
            limit = int(self.config.pii_sample_rows)
            for schema, table, column in text_columns:
                if table in file_views or f"{_public(schema)}.{table}" in views:
                    continue
                ident = '"' + column.replace('"', '""') + '"'
                sample = session.run_sql(
                    f'SELECT {ident} FROM "{schema}"."{table}" WHERE {ident} IS NOT NULL LIMIT {limit}'
                ).column(0).to_pylist()
                kind = guard.detect_pii(column, sample)
                if kind:
                    pii[f"{_public(schema)}.{table}.{column}"] = kind
        return guard.Catalog(columns=columns, table_rows=rows, views=views, pii=pii)


def _view_select(create_sql: str) -> str | None:
    """The SELECT of DuckDB's stored `CREATE VIEW ... AS SELECT ...`, in the Postgres dialect."""
    try:
        tree = sqlglot.parse_one(create_sql, read="duckdb")
    except sqlglot.errors.ParseError:
        return None
    query = tree.expression if isinstance(tree, exp.Create) else None
    return query.sql(dialect="postgres") if isinstance(query, exp.Query) else None
