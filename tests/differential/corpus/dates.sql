-- Dates, timestamps and intervals.

-- name: extract_fields
SELECT hired, EXTRACT(YEAR FROM hired) AS y, EXTRACT(MONTH FROM hired) AS m, EXTRACT(DAY FROM hired) AS d FROM people ORDER BY id

-- name: extract_dow_doy_week
SELECT hired, EXTRACT(DOW FROM hired) AS dow, EXTRACT(ISODOW FROM hired) AS isodow, EXTRACT(DOY FROM hired) AS doy, EXTRACT(WEEK FROM hired) AS wk FROM people ORDER BY id

-- name: extract_epoch_timestamp
SELECT id, EXTRACT(EPOCH FROM ordered_at) AS e FROM orders ORDER BY id

-- name: extract_epoch_timestamptz
SELECT id, EXTRACT(EPOCH FROM happened_at) AS e FROM events ORDER BY id

-- name: extract_quarter_hour_minute
SELECT EXTRACT(QUARTER FROM ordered_at) AS q, EXTRACT(HOUR FROM ordered_at) AS h, EXTRACT(MINUTE FROM ordered_at) AS mi FROM orders ORDER BY id

-- name: date_part_function
SELECT date_part('year', hired) AS y, date_part('dow', hired) AS dow FROM people ORDER BY id

-- name: date_trunc_units
SELECT date_trunc('month', ordered_at) AS m, date_trunc('week', ordered_at) AS w, date_trunc('hour', ordered_at) AS h FROM orders ORDER BY id

-- name: date_trunc_on_date
SELECT date_trunc('year', hired) AS y FROM people ORDER BY id

-- name: date_minus_date_is_days
SELECT id, shipped_on - ordered_at::date AS days FROM orders ORDER BY id

-- name: date_minus_date_literals
SELECT DATE '2024-03-01' - DATE '2024-02-01' AS days

-- name: date_plus_integer
SELECT hired + 30 AS later, hired - 1 AS before FROM people ORDER BY id

-- name: date_plus_interval
SELECT hired + INTERVAL '1 month' AS m, hired + INTERVAL '2 days 3 hours' AS dh FROM people ORDER BY id

-- name: timestamp_minus_timestamp
SELECT id, last_login - hired::timestamp AS since FROM people ORDER BY id

-- name: timestamp_interval_arithmetic
SELECT ordered_at + INTERVAL '90 minutes' AS later, ordered_at - INTERVAL '1 day' AS earlier FROM orders ORDER BY id

-- name: interval_multiplication
SELECT INTERVAL '1 hour' * 3 AS three_hours, INTERVAL '1 day' * qty AS days FROM orders WHERE id = 101

-- name: age_function
SELECT name, age(TIMESTAMP '2024-06-01', hired::timestamp) AS a FROM people ORDER BY id

-- name: make_date_make_timestamp
SELECT make_date(2024, 2, 29) AS d, make_timestamp(2024, 1, 2, 3, 4, 5.5) AS ts

-- name: to_char_month_day
SELECT to_char(hired, 'Mon DD') AS md FROM people ORDER BY id

-- name: to_char_full_patterns
SELECT to_char(ordered_at, 'YYYY-MM-DD HH24:MI:SS') AS iso, to_char(ordered_at, 'DD/MM/YY') AS short FROM orders ORDER BY id

-- name: to_char_names
SELECT to_char(hired, 'FMDay, FMMonth DD YYYY') AS long, to_char(hired, 'Dy') AS dy FROM people ORDER BY id

-- name: to_char_12_hour
SELECT to_char(ordered_at, 'HH12:MI AM') AS t FROM orders ORDER BY id

-- name: to_date_to_timestamp
SELECT to_date('05 Mar 2024', 'DD Mon YYYY') AS d, to_timestamp('2024-03-05 14:07:09', 'YYYY-MM-DD HH24:MI:SS') AS ts

-- name: to_timestamp_epoch
SELECT to_timestamp(1700000000) AS ts

-- name: date_literals_and_casts
SELECT '2024-02-29'::date AS d, '2024-02-29 13:14:15'::timestamp AS ts, DATE '2024-01-01' + 1 AS next_day

-- name: date_comparison_filters
SELECT name FROM people WHERE hired >= '2019-01-01' AND hired < DATE '2022-01-01' ORDER BY id

-- name: between_timestamps
SELECT id FROM orders WHERE ordered_at BETWEEN '2024-01-01' AND '2024-02-29 23:59:59' ORDER BY id

-- name: group_by_month
SELECT date_trunc('month', ordered_at) AS month, count(*) AS n, sum(qty) AS q FROM orders GROUP BY 1 ORDER BY 1

-- name: generate_series_dates
SELECT d::date AS day FROM generate_series(TIMESTAMP '2024-02-27', TIMESTAMP '2024-03-02', INTERVAL '1 day') AS g(d) ORDER BY 1

-- name: interval_literals
SELECT INTERVAL '1 year 2 months 3 days' AS a, INTERVAL '36 hours' AS b, INTERVAL '90 seconds' AS c

-- name: interval_extract
SELECT EXTRACT(EPOCH FROM INTERVAL '1 day 2 hours') AS secs, EXTRACT(HOUR FROM INTERVAL '36 hours') AS h

-- name: timestamptz_values
SELECT id, happened_at FROM events ORDER BY id

-- name: timestamptz_at_time_zone
SELECT id, happened_at AT TIME ZONE 'UTC' AS utc FROM events ORDER BY id

-- name: date_part_epoch_diff
SELECT id, EXTRACT(EPOCH FROM (shipped_on::timestamp - ordered_at)) / 3600 AS hours FROM orders ORDER BY id

-- name: justify_and_isfinite
SELECT justify_hours(INTERVAL '27 hours') AS jh, justify_days(INTERVAL '35 days') AS jd

-- name: last_day_of_month
SELECT (date_trunc('month', hired) + INTERVAL '1 month - 1 day')::date AS eom FROM people ORDER BY id

-- name: justify_signs
SELECT justify_hours(INTERVAL '1 day -27 hours') AS a, justify_days(INTERVAL '1 month -35 days') AS b, justify_hours(INTERVAL '-50 hours') AS c
