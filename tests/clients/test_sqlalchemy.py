"""SQLAlchemy 2 (psycopg 3 and psycopg2 drivers) against askgres: Core, ORM and inspect()."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

sa = pytest.importorskip("sqlalchemy", reason="SQLAlchemy is not installed (pip install -e '.[test]')")
from sqlalchemy import orm  # noqa: E402


@pytest.fixture(scope="module", params=["psycopg", "psycopg2"])
def engine(request, askgres_server):
    pytest.importorskip(request.param)
    url = f"postgresql+{request.param}://askgres@{askgres_server.host}:{askgres_server.port}/askgres"
    eng = sa.create_engine(url, pool_size=2)
    yield eng
    eng.dispose()


def test_connect_reads_server_version(engine):
    with engine.connect() as conn:
        assert conn.dialect.server_version_info[0] >= 15
        assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1


def test_core_select_with_reflected_table(engine):
    meta = sa.MetaData()
    products = sa.Table("products", meta, autoload_with=engine)
    assert [c.name for c in products.columns] == ["id", "name", "category", "price"]
    assert isinstance(products.c.price.type, sa.Numeric)
    stmt = (sa.select(products.c.category, sa.func.count().label("n"), sa.func.max(products.c.price).label("top"))
            .group_by(products.c.category).order_by(products.c.category))
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
        total = conn.execute(sa.select(sa.func.count()).select_from(products)).scalar_one()
    assert sum(r.n for r in rows) == total
    assert all(isinstance(r.top, decimal.Decimal) for r in rows)


def test_core_insert_update_delete(engine, table_name):
    meta = sa.MetaData()
    t = sa.Table(table_name, meta, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                 sa.Column("label", sa.String(50)), sa.Column("at", sa.DateTime))
    meta.create_all(engine)
    try:
        with engine.begin() as conn:
            conn.execute(sa.insert(t), [{"id": i, "label": f"l{i}", "at": dt.datetime(2024, 1, i + 1)} for i in range(10)])
            conn.execute(sa.update(t).where(t.c.id < 3).values(label="low"))
            conn.execute(sa.delete(t).where(t.c.id >= 8))
        with engine.connect() as conn:
            rows = conn.execute(sa.select(t).order_by(t.c.id)).all()
        assert [r.id for r in rows] == list(range(8))
        assert [r.label for r in rows[:4]] == ["low", "low", "low", "l3"]
        assert rows[5].at == dt.datetime(2024, 1, 6)
    finally:
        meta.drop_all(engine)


def test_orm_model_and_session(engine, table_name):
    class Base(orm.DeclarativeBase):
        pass

    class Item(Base):
        __tablename__ = table_name
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=False)
        name: orm.Mapped[str] = orm.mapped_column(sa.String(40))
        price: orm.Mapped[decimal.Decimal] = orm.mapped_column(sa.Numeric(10, 2))

    Base.metadata.create_all(engine)
    try:
        with orm.Session(engine) as session:
            session.add_all([Item(id=i, name=f"item {i}", price=decimal.Decimal(i) / 4) for i in range(1, 21)])
            session.commit()
        with orm.Session(engine) as session:
            cheap = session.scalars(sa.select(Item).where(Item.price < 2).order_by(Item.id)).all()
            assert [i.id for i in cheap] == list(range(1, 8))
            item = session.get(Item, 5)
            item.name = "renamed"
            session.commit()
            assert session.scalar(sa.select(Item.name).where(Item.id == 5)) == "renamed"
            assert session.scalar(sa.select(sa.func.sum(Item.price))) == sum(decimal.Decimal(i) / 4 for i in range(1, 21))
    finally:
        Base.metadata.drop_all(engine)


def test_inspect_tables_columns_keys(engine):
    insp = sa.inspect(engine)
    tables = insp.get_table_names()
    assert {"customers", "products", "orders", "order_items"} <= set(tables)
    columns = {c["name"]: c for c in insp.get_columns("products")}
    assert list(columns) == ["id", "name", "category", "price"]
    assert isinstance(columns["price"]["type"], sa.Numeric)
    assert (columns["price"]["type"].precision, columns["price"]["type"].scale) == (10, 2)
    assert isinstance(columns["id"]["type"], sa.Integer)
    orders = {c["name"]: c for c in insp.get_columns("orders")}
    assert isinstance(orders["ordered_at"]["type"], sa.DateTime)
    assert insp.get_pk_constraint("customers")["constrained_columns"] == ["id"]
    fks = insp.get_foreign_keys("orders")
    assert [(fk["constrained_columns"], fk["referred_table"], fk["referred_columns"]) for fk in fks] == \
        [(["customer_id"], "customers", ["id"])]
    assert "public" in insp.get_schema_names()
    assert insp.has_table("customers") and not insp.has_table("no_such_table_here")


def test_inspect_views(engine, table_name):
    view = table_name.replace("t_", "v_", 1)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE VIEW {view} AS SELECT id, name FROM customers"))
    try:
        insp = sa.inspect(engine)
        assert view in insp.get_view_names()
        assert view not in insp.get_table_names()
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP VIEW {view}"))
