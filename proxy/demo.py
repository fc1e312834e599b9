"""A small demo dataset (customers, products, orders, order_items) so that `make serve` has
something to query. Deterministic: made by DuckDB SQL from fixed seeds, no files needed."""

from __future__ import annotations

DEMO_SQL = (
    """CREATE TABLE customers (
        id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, email VARCHAR NOT NULL,
        country VARCHAR NOT NULL, signed_up DATE NOT NULL)""",
    """INSERT INTO customers
       SELECT i, first || ' ' || last, lower(first || '.' || last || i || '@example.com'),
              country, DATE '2022-01-01' + CAST(hash(i, 'signup') % 1000 AS INTEGER)
       FROM (SELECT i,
                    ['Ada','Ben','Chloe','Dev','Emma','Farid','Grace','Hiro','Ines','Jonas'][1 + CAST(hash(i,'f') % 10 AS INTEGER)] AS first,
                    ['Lovelace','Okafor','Martin','Patel','Schmidt','Rossi','Kim','Garcia','Dubois','Novak'][1 + CAST(hash(i,'l') % 10 AS INTEGER)] AS last,
                    ['Germany','France','United States','Japan','Brazil','India','Italy','Spain'][1 + CAST(hash(i,'c') % 8 AS INTEGER)] AS country
             FROM range(1, 201) t(i))""",
    """CREATE TABLE products (
        id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, category VARCHAR NOT NULL,
        price DECIMAL(10,2) NOT NULL)""",
    """INSERT INTO products
       SELECT i, category || ' ' || i, category, CAST(5 + (hash(i,'p') % 20000) / 100.0 AS DECIMAL(10,2))
       FROM (SELECT i, ['Books','Games','Garden','Kitchen','Music','Sports'][1 + CAST(hash(i,'cat') % 6 AS INTEGER)] AS category
             FROM range(1, 51) t(i))""",
    """CREATE TABLE orders (
        id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
        ordered_at TIMESTAMP NOT NULL, status VARCHAR NOT NULL)""",
    """INSERT INTO orders
       SELECT i, 1 + CAST(hash(i,'cust') % 200 AS INTEGER),
              TIMESTAMP '2023-01-01' + to_seconds(CAST(hash(i,'t') % (2 * 365 * 86400) AS BIGINT)),
              ['placed','shipped','delivered','delivered','delivered','returned'][1 + CAST(hash(i,'s') % 6 AS INTEGER)]
       FROM range(1, 2001) t(i)""",
    """CREATE TABLE order_items (
        order_id INTEGER NOT NULL REFERENCES orders(id), product_id INTEGER NOT NULL REFERENCES products(id),
        quantity INTEGER NOT NULL, PRIMARY KEY (order_id, product_id))""",
    """INSERT INTO order_items
       SELECT DISTINCT ON (o, p) o, p, q FROM (
           SELECT 1 + (i % 2000) AS o, 1 + CAST(hash(i,'prod') % 50 AS INTEGER) AS p, 1 + CAST(hash(i,'q') % 4 AS INTEGER) AS q
           FROM range(0, 5000) t(i))""",
)


def load_demo(engine) -> bool:
    """Creates the demo tables unless the database already has tables; returns True if it did."""
    session = engine.session()
    try:
        existing = session.run_sql("SELECT count(*) AS n FROM duckdb_tables() WHERE NOT internal AND database_name = current_database()")
        if existing.column(0)[0].as_py():
            return False
        for statement in DEMO_SQL:
            session.run_sql(statement)
        engine.schema_changed()
        return True
    finally:
        session.close()
