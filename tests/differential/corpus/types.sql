-- Types, casts, booleans, NULL handling, conditionals, arrays and JSON.

-- name: boolean_literals_and_casts
SELECT true AS t, 'yes'::boolean AS y, 'f'::boolean AS f, 1::boolean AS one, NOT false AS nf

-- name: boolean_column_logic
SELECT id, active, active AND age > 30 AS senior, active IS NOT TRUE AS not_true, active IS UNKNOWN AS unk FROM people ORDER BY id

-- name: three_valued_logic
SELECT NULL::boolean OR true AS a, NULL::boolean AND false AS b, NULL::boolean OR false AS c

-- name: case_when
SELECT name, CASE WHEN age < 30 THEN 'young' WHEN age < 45 THEN 'mid' ELSE 'senior' END AS band FROM people ORDER BY id

-- name: simple_case
SELECT id, CASE product WHEN 'widget' THEN 1 WHEN 'gadget' THEN 2 END AS code FROM orders ORDER BY id

-- name: coalesce_nullif
SELECT id, coalesce(dept, 'none') AS d, nullif(qty, 0) AS q, coalesce(salary, bonus, 0) AS money FROM people p LEFT JOIN (SELECT person_id, sum(qty) AS qty FROM orders GROUP BY person_id) o ON o.person_id = p.id ORDER BY id

-- name: is_distinct_from
SELECT id, dept IS DISTINCT FROM 'eng' AS d, dept IS NOT DISTINCT FROM NULL AS n FROM people ORDER BY id

-- name: null_arithmetic
SELECT 1 + NULL AS a, NULL::text || 'x' AS b, NULL = NULL AS c

-- name: cast_text_to_numbers
SELECT '42'::integer AS i, '3.25'::numeric AS n, '1e3'::float8 AS f, ' 12 '::int AS padded

-- name: cast_to_varchar_length
SELECT 'abcdef'::varchar(3) AS v, CAST(12345 AS varchar) AS s

-- name: cast_double_precision
SELECT CAST(1 AS double precision) / 3 AS d, 5::real / 2 AS r

-- name: smallint_bigint_types
SELECT 32767::smallint AS s, 9223372036854775807::bigint AS b, (2147483647::bigint + 1) AS over

-- name: uuid_cast
SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u

-- name: array_literal_and_index
SELECT ARRAY[10, 20, 30] AS a, (ARRAY[10, 20, 30])[2] AS second, (ARRAY['x', 'y'])[5] AS missing

-- name: array_length_cardinality
SELECT id, array_length(tags, 1) AS len, cardinality(tags) AS card FROM events ORDER BY id

-- name: array_length_empty_literal
SELECT array_length('{}'::int[], 1) AS empty, array_length(ARRAY[1, 2, 3], 1) AS three

-- name: array_contains_any
SELECT id FROM events WHERE 'b' = ANY (tags) ORDER BY id

-- name: array_operators
SELECT id, tags @> ARRAY['a'] AS has_a, tags && ARRAY['c'] AS overlaps_c FROM events ORDER BY id

-- name: array_append_cat_position
SELECT array_append(ARRAY[1, 2], 3) AS app, array_cat(ARRAY[1], ARRAY[2, 3]) AS cat, array_position(ARRAY['a', 'b'], 'b') AS pos

-- name: unnest_array
SELECT unnest(ARRAY[3, 1, 2]) AS v

-- name: unnest_from_table
SELECT e.id, t.tag FROM events e CROSS JOIN unnest(e.tags) AS t(tag) ORDER BY e.id, t.tag

-- name: json_field_access
SELECT id, payload ->> 'user' AS u, (payload ->> 'n')::int AS n FROM events ORDER BY id

-- name: json_nested_access
SELECT payload -> 'items' ->> 0 AS first_item, payload #>> '{items,2}' AS third FROM events WHERE id = 2

-- name: json_typeof_and_build
SELECT json_typeof(payload -> 'n') AS t, json_build_object('a', 1, 'b', 'x') AS o FROM events WHERE id = 1

-- name: json_array_length
SELECT json_array_length(payload -> 'items') AS n FROM events WHERE id = 2

-- name: jsonb_cast_and_contains
SELECT id FROM events WHERE payload::jsonb @> '{"user": "alice"}' ORDER BY id

-- name: row_comparison
SELECT id FROM orders WHERE (person_id, qty) > (1, 5) ORDER BY id

-- name: in_list_with_null
SELECT id, product IN ('widget', NULL) AS maybe FROM orders ORDER BY id

-- name: bool_to_int_cast
SELECT id, active::int AS flag FROM people WHERE active IS NOT NULL ORDER BY id

-- name: numeric_to_text_format
SELECT salary::text AS s, height::text AS h FROM people ORDER BY id

-- name: typeof_pg
SELECT pg_typeof(1) AS a, pg_typeof(1.5) AS b, pg_typeof('x'::text) AS c

-- name: bytea_literals_hex_and_escape
SELECT '\x4142ff'::bytea AS h, 'a\\b\001'::bytea AS e, octet_length('\x0001'::bytea) AS n, bytea '\x' AS empty
