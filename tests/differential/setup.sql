-- The fixture schema for the differential tests, run statement by statement on the real
-- PostgreSQL as written and on DuckDB through to_duckdb. Statements are separated by
-- blank lines followed by "-- statement" so that no SQL has to be split by hand.

-- statement
CREATE TABLE people (
    id integer PRIMARY KEY,
    name text NOT NULL,
    dept text,
    salary numeric(10, 2),
    bonus numeric,
    age smallint,
    height double precision,
    hired date,
    last_login timestamp,
    active boolean,
    manager_id integer
)

-- statement
INSERT INTO people VALUES
    (1, 'Alice', 'eng', 120000.00, 1500.5, 34, 1.68, '2019-03-15', '2024-01-10 09:15:00', true, NULL),
    (2, 'bob', 'eng', 95000.50, NULL, 28, 1.82, '2021-07-01', '2024-01-11 17:45:30', true, 1),
    (3, 'Carol Ann', 'sales', 70000.00, 250.125, 45, 1.60, '2015-11-30', NULL, false, 1),
    (4, 'dave', 'sales', NULL, 0, 51, NULL, '2010-02-28', '2023-12-31 23:59:59', NULL, 3),
    (5, 'Eve', NULL, 88000.75, 3000, 23, 1.75, '2023-01-02', '2024-02-29 12:00:00', true, 1),
    (6, 'frank o''neil', 'ops', 66000.00, 10.01, 39, 1.90, '2018-06-15', '2024-01-01 00:00:00', false, 4),
    (7, 'Grace', 'ops', 101000.10, NULL, NULL, 1.55, NULL, '2022-06-30 08:30:00', true, 6),
    (8, 'heidi_h%x', 'eng', 120000.00, 99.99, 31, 1.70, '2020-10-10', '2024-03-01 06:07:08', false, 2)

-- statement
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    person_id integer,
    product text,
    qty integer,
    price numeric(8, 2),
    ordered_at timestamp,
    shipped_on date,
    discount real,
    note varchar(40)
)

-- statement
INSERT INTO orders VALUES
    (101, 1, 'widget', 3, 9.99, '2024-01-05 10:00:00', '2024-01-07', 0.1, 'first'),
    (102, 1, 'gadget', 1, 199.00, '2024-01-20 14:30:00', NULL, NULL, NULL),
    (103, 2, 'widget', 10, 9.49, '2024-02-01 08:00:00', '2024-02-03', 0.05, 'bulk'),
    (104, 3, 'doohickey', 7, 0.50, '2023-12-31 23:00:00', '2024-01-02', 0, ''),
    (105, 5, 'gadget', 2, 189.99, '2024-02-29 12:00:00', '2024-03-04', 0.15, 'leap day'),
    (106, NULL, 'widget', 1, 9.99, '2024-03-10 16:45:00', NULL, NULL, 'guest'),
    (107, 8, 'gizmo', -1, 49.95, '2024-03-11 09:00:00', '2024-03-12', 0.2, 'return'),
    (108, 2, 'gizmo', 4, 45.00, '2024-03-15 18:20:00', '2024-03-18', 0.25, 'Gift, wrapped'),
    (109, 1, NULL, 0, NULL, NULL, NULL, NULL, 'broken row')

-- statement
CREATE TABLE events (
    id integer,
    happened_at timestamptz,
    kind varchar(20),
    payload json,
    tags text[],
    amount bigint
)

-- statement
INSERT INTO events VALUES
    (1, '2024-01-01 00:00:00+00', 'login', '{"user": "alice", "n": 1, "ok": true}', ARRAY['a', 'b'], 10),
    (2, '2024-01-01 12:30:00+00', 'click', '{"user": "bob", "n": 2, "items": [1, 2, 3]}', ARRAY['b'], 2000000000),
    (3, '2024-01-02 23:59:59+00', 'login', '{"user": "alice", "n": 3}', ARRAY[]::text[], -5),
    (4, '2024-02-15 06:00:00+00', 'purchase', '{"user": "eve", "n": 4, "total": 12.5}', NULL, 3000000000),
    (5, NULL, 'click', NULL, ARRAY['c', 'a', 'b'], NULL)
