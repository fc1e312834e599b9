-- Result column names of unaliased expressions (clients read columns by name).

-- name: names_of_aggregates
SELECT count(*), count(qty), sum(qty), avg(price), max(ordered_at), min(product) FROM orders

-- name: names_of_operators_and_literals
SELECT 7 / 2, 1 + 1, 'x', NULL, true, qty * 2 FROM orders WHERE id = 101

-- name: names_of_casts
SELECT '1'::int, 2::bigint, 3::text, qty::numeric, DATE '2024-01-01', 1.5::float8, price::int FROM orders WHERE id = 101

-- name: names_of_functions
SELECT upper(product), coalesce(note, '-'), greatest(qty, 1), to_char(ordered_at, 'YYYY'), length(product), round(price, 1) FROM orders WHERE id = 101

-- name: names_of_case_exists_array
SELECT CASE WHEN qty > 1 THEN 'many' END, CASE WHEN qty > 1 THEN 1 ELSE qty END, EXISTS (SELECT 1), ARRAY[1, 2] FROM orders WHERE id = 101

-- name: names_of_subquery_and_window
SELECT (SELECT max(id) FROM people), row_number() OVER (ORDER BY id), lag(qty) OVER (ORDER BY id) FROM orders ORDER BY id

-- name: names_of_date_functions
SELECT EXTRACT(YEAR FROM ordered_at), date_trunc('month', ordered_at), current_date - current_date, now() - now() FROM orders WHERE id = 101

-- name: names_of_qualified_columns
SELECT o.id, p.name, o.qty FROM orders o JOIN people p ON p.id = o.person_id ORDER BY o.id

-- name: names_through_derived_table
SELECT count FROM (SELECT count(*) FROM orders) t

-- name: names_of_set_operation
SELECT product FROM orders WHERE id = 101 UNION ALL SELECT name FROM people WHERE id = 1

-- name: names_of_string_functions
SELECT trim(' x '), substring(product, 1, 2), position('g' IN product), replace(product, 'g', 'G'), lower(product) || '!' FROM orders WHERE id = 101
