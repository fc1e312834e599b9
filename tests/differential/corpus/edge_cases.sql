-- Edge cases across types: rounding modes, interval arithmetic, time zones, array operators.

-- name: round_double_half_even
SELECT round(2.5::float8) AS a, round(3.5::float8) AS b, round(-2.5::float8) AS c, round(0.5::float8) AS d

-- name: date_plus_month_clamps
SELECT DATE '2024-01-31' + INTERVAL '1 month' AS a, DATE '2024-03-31' - INTERVAL '1 month' AS b

-- name: interval_division_and_scaling
SELECT INTERVAL '1 day' / 2 AS half, INTERVAL '1 hour' * 1.5 AS ninety_minutes

-- name: date_minus_interval_cast_back
SELECT (DATE '2024-03-10' - INTERVAL '1 day')::date AS d

-- name: extract_century_julian
SELECT EXTRACT(CENTURY FROM DATE '2024-03-05') AS c, EXTRACT(DECADE FROM DATE '2024-03-05') AS dec, EXTRACT(MILLENNIUM FROM DATE '2024-03-05') AS m

-- name: date_part_epoch_double
SELECT date_part('epoch', TIMESTAMP '2024-01-01 00:00:01') AS e

-- name: numeric_division_scale
SELECT 10::numeric / 4 AS a, 1::numeric / 3 AS b, -5 / 2::numeric AS c

-- name: modulo_signs
SELECT 5 % -3 AS a, -5 % 3 AS b, mod(-7.5, 2) AS c, mod(7, -2) AS d

-- name: ceil_floor_negative
SELECT ceil(-0.5) AS c, floor(-0.5) AS f, trunc(-4.7) AS t, round(-4.5) AS r

-- name: array_concat_operator
SELECT ARRAY[1, 2] || 3 AS appended, ARRAY[1, 2] || ARRAY[3, 4] AS joined, 0 || ARRAY[1] AS prepended

-- name: array_slice
SELECT (ARRAY[10, 20, 30, 40])[2:3] AS mid, (ARRAY[10, 20, 30])[:2] AS head

-- name: any_array_literal
SELECT 3 = ANY (ARRAY[1, 2, 3]) AS a, 5 = ANY (ARRAY[1, 2]) AS b, 1 <> ALL (ARRAY[2, 3]) AS c

-- name: regexp_split_to_table
SELECT regexp_split_to_table('a,b,,c', ',') AS part

-- name: string_to_array_with_null_string
SELECT string_to_array('a,*,c', ',', '*') AS arr

-- name: similar_to
SELECT 'abc' SIMILAR TO 'a%' AS a, 'abc' SIMILAR TO '(b|c)%' AS b, 'abc' NOT SIMILAR TO 'a_c' AS c

-- name: case_mixed_numeric_types
SELECT CASE WHEN id > 4 THEN id ELSE 1.5 END AS v FROM people ORDER BY id

-- name: float_special_values
SELECT 'NaN'::float8 AS nan, 'Infinity'::float8 AS inf, '-Infinity'::float8 > 0 AS neg

-- name: timestamptz_at_named_zone
SELECT TIMESTAMPTZ '2024-01-01 12:00:00+00' AT TIME ZONE 'America/New_York' AS local

-- name: timestamp_at_named_zone
SELECT TIMESTAMP '2024-07-01 12:00:00' AT TIME ZONE 'Europe/Paris' AS utc_instant

-- name: date_trunc_timestamptz
SELECT date_trunc('day', happened_at) AS d FROM events ORDER BY id

-- name: timestamptz_to_date
SELECT happened_at::date AS d FROM events ORDER BY id

-- name: generate_series_dates_from_date
SELECT generate_series(DATE '2024-01-30', DATE '2024-02-02', INTERVAL '1 day') AS d

-- name: string_agg_without_order
SELECT length(string_agg(name, ',')) AS l FROM people

-- name: count_distinct_multiple_columns
SELECT count(DISTINCT (dept, active)) AS n FROM people

-- name: aggregate_filter_over_window
SELECT id, sum(qty) FILTER (WHERE qty > 1) OVER (ORDER BY id) AS big_running FROM orders ORDER BY id

-- name: numeric_typmod_division
SELECT price / 3 AS third FROM orders ORDER BY id

-- name: real_division
SELECT 1 / 3::real AS r, 2::real * 0.1::real AS p

-- name: initcap_punctuation
SELECT initcap('hello wORLD-foo bar_baz o''neil') AS i

-- name: lpad_multichar_fill
SELECT lpad('7', 5, 'ab') AS l, rpad('7', 4, 'xy') AS r

-- name: concat_ws_null_separator_values
SELECT concat_ws('-', 'a', NULL, 'b', '') AS c

-- name: position_not_found
SELECT position('z' IN 'abc') AS p, strpos('', 'a') AS s, position('' IN 'abc') AS e

-- name: left_join_aggregate_nulls
SELECT p.id, count(o.id) AS n, sum(o.qty) AS q FROM people p LEFT JOIN orders o ON o.person_id = p.id GROUP BY p.id ORDER BY p.id

-- name: exists_uncorrelated_empty
SELECT EXISTS (SELECT 1 FROM orders WHERE qty > 100) AS e, NOT EXISTS (SELECT 1 FROM orders WHERE qty > 100) AS ne

-- name: scalar_subquery_null
SELECT (SELECT name FROM people WHERE id = 99) AS missing

-- name: nullif_coalesce_types
SELECT nullif(1, 1) AS a, coalesce(NULL, 2, 3) AS b, coalesce(NULL::text, 'x') AS c
