"""Run with Superset's own virtualenv python: drives Superset's database layer against askgres.

    superset_check.py POSTGRESQL_URI  -> one JSON object on stdout

What Superset does when a user adds a database, browses it and runs a SQL Lab query, through
the same objects: a `Database` model with a postgresql:// (psycopg2) URI, its engine spec
(PostgresEngineSpec), the connection test, the inspector listings, SQL Lab's LIMIT wrapping and
the engine spec's execute/fetch. The metadata database is a throwaway SQLite file; models are
not persisted, so no migrations are needed.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile


def configure() -> None:
    folder = tempfile.mkdtemp(prefix="superset-")
    config = os.path.join(folder, "superset_config.py")
    with open(config, "w") as f:
        f.write(f"SECRET_KEY = 'askgres-test-only'\nSQLALCHEMY_DATABASE_URI = 'sqlite:///{folder}/meta.db'\n"
                "WTF_CSRF_ENABLED = False\nFEATURE_FLAGS = {}\n"
                # in-process caches: the metastore cache needs the migrated metadata database
                "FILTER_STATE_CACHE_CONFIG = EXPLORE_FORM_DATA_CACHE_CONFIG = {'CACHE_TYPE': 'SimpleCache'}\n")
    os.environ["SUPERSET_CONFIG_PATH"] = config
    os.environ.setdefault("FLASK_APP", "superset")


def main(uri: str) -> dict:
    configure()
    from superset.app import create_app

    app = create_app()
    out: dict = {}
    with app.app_context():
        from sqlalchemy import inspect, text
        from superset.db_engine_specs.postgres import PostgresEngineSpec
        from superset.models.core import Database

        database = Database(database_name="askgres", sqlalchemy_uri=uri)
        out["engine_spec"] = database.db_engine_spec.__name__
        out["is_postgres_spec"] = database.db_engine_spec is PostgresEngineSpec

        # "Test connection": what TestConnectionDatabaseCommand does, a ping through the spec's engine.
        with database.get_sqla_engine() as engine:
            with engine.connect() as conn:
                out["ping"] = bool(engine.dialect.do_ping(conn.connection.dbapi_connection))
                out["server_version"] = list(conn.dialect.server_version_info[:1])

            # Browsing: schemas and tables as the dataset editor lists them.
            inspector = inspect(engine)
            out["schemas"] = sorted(PostgresEngineSpec.get_schema_names(inspector))
            out["tables"] = sorted(PostgresEngineSpec.get_table_names(database, inspector, "public"))
            out["views"] = sorted(PostgresEngineSpec.get_view_names(database, inspector, "public"))
            out["columns"] = [(c["name"], str(c["type"])) for c in inspector.get_columns("products", "public")]
            out["pk"] = inspector.get_pk_constraint("customers", "public")["constrained_columns"]
            out["fks"] = [(fk["constrained_columns"], fk["referred_table"]) for fk in
                          inspector.get_foreign_keys("orders", "public")]

            # SQL Lab: the limit is applied to the user's SQL, then run through the engine spec.
            sql = "SELECT c.country, count(*) AS orders FROM orders o JOIN customers c ON c.id = o.customer_id " \
                  "GROUP BY c.country ORDER BY orders DESC, c.country"
            limited = database.apply_limit_to_sql(sql, limit=3, force=True)
            out["limited_sql"] = limited
            raw = engine.raw_connection()
            try:
                cursor = raw.cursor()
                PostgresEngineSpec.execute(cursor, limited, database)
                rows = PostgresEngineSpec.fetch_data(cursor, limit=3)
                out["sqllab_columns"] = [d[0] for d in cursor.description]
                out["sqllab_rows"] = [list(r) for r in rows]
            finally:
                raw.close()
            with engine.connect() as conn:
                out["full_rows"] = [list(r) for r in conn.execute(text(sql)).fetchall()]

            # Dataset preview: select_star builds "SELECT ... FROM public.customers LIMIT 5".
            from superset.sql.parse import Table

            star = database.select_star(Table("customers", "public"), limit=5, show_cols=True)
            out["select_star"] = star
            df = database.get_df(star, schema="public")
            out["select_star_rows"] = len(df.index)
            out["select_star_columns"] = list(df.columns)
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1]), default=str))
