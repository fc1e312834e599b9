-- Numbers: integer division, modulo, rounding, numeric precision, overflow-prone arithmetic.
-- Each query starts with a "-- name:" line; an optional "-- xfail:" line marks a known gap.

-- name: int_division_literals
SELECT 7 / 2 AS a, -7 / 2 AS b, 7 % 3 AS c, -7 % 3 AS d

-- name: int_division_columns
SELECT id, qty / 3 AS thirds, qty % 3 AS rest FROM orders ORDER BY id

-- name: int_division_mixed_types
SELECT 7 / 2.0 AS a, 7.0 / 2 AS b, 7::float8 / 2 AS c, 7 / 2::numeric AS d

-- name: int_division_bigint_smallint
SELECT amount / 7 AS q FROM events WHERE amount IS NOT NULL ORDER BY id

-- name: smallint_column_division
SELECT name, age / 10 AS decade FROM people ORDER BY id

-- name: div_and_mod_functions
SELECT div(17, 5) AS d, mod(17, 5) AS m, mod(-17, 5) AS mn, div(-17, 5) AS dn

-- name: numeric_literal_precision
SELECT 1.123456789::numeric AS n, 123456789.123456::numeric AS m

-- name: numeric_bare_column_values
SELECT id, bonus FROM people ORDER BY id

-- name: numeric_bare_cast_arithmetic
SELECT CAST('2.71828' AS numeric) * 2 AS e2

-- name: numeric_typmod_cast
SELECT 3.14159::numeric(5, 2) AS pi2, 2.5::numeric(3, 0) AS half_up

-- name: round_numeric
SELECT round(2.5) AS a, round(-2.5) AS b, round(3.14159, 3) AS c, round(1234.5678, -2) AS d

-- name: round_salary
SELECT name, round(salary / 12, 2) AS monthly FROM people WHERE salary IS NOT NULL ORDER BY id

-- name: trunc_ceil_floor
SELECT trunc(4.79) AS t, trunc(4.789, 1) AS t1, ceil(4.1) AS c, floor(-4.1) AS f, ceiling(2.0001) AS c2

-- name: abs_sign_power_sqrt
SELECT abs(-5) AS a, sign(-3.5) AS s, power(2, 10) AS p, sqrt(16) AS r, cbrt(27.0) AS cb

-- name: exp_ln_log
SELECT round(exp(1.0)::numeric, 6) AS e, round(ln(10.0)::numeric, 6) AS l, log(100.0) AS lg10, log(2.0, 8.0) AS lg2

-- name: cast_float_to_int_rounds
SELECT 2.5::int AS a, 3.5::int AS b, (-2.5)::int AS c, 2.4999::int AS d, '7'::int AS e

-- name: cast_numeric_to_int_rounds
SELECT height, (height * 10)::int AS dm, salary::int AS whole FROM people ORDER BY id

-- name: float_arithmetic
SELECT 0.1::float8 + 0.2::float8 AS f, 1e300::float8 * 10 AS big, 1::float8 / 3 AS third

-- name: real_column
SELECT id, discount, discount * 100 AS pct FROM orders ORDER BY id

-- name: bigint_arithmetic
SELECT id, amount * 2 AS doubled, amount + 1 AS plus FROM events ORDER BY id

-- name: integer_sum_types
SELECT sum(qty) AS s, sum(id) AS big, sum(price) AS money, sum(discount) AS d FROM orders

-- name: avg_int_numeric
SELECT round(avg(qty), 4) AS aq, round(avg(price), 4) AS ap FROM orders

-- name: greatest_least
SELECT greatest(1, 5, 3) AS g, least(4, 2, 8) AS l, greatest(qty, 2) AS gq, least(price, 10) AS lp FROM orders WHERE id = 101

-- name: greatest_with_null
SELECT greatest(1, NULL, 3) AS g, least(NULL::int, 2) AS l

-- name: numeric_comparisons
SELECT count(*) FILTER (WHERE price > 10) AS gt10, count(*) FILTER (WHERE price BETWEEN 9 AND 50) AS mid FROM orders

-- name: width_bucket_gcd
SELECT width_bucket(5.35, 0.024, 10.06, 5) AS wb, gcd(12, 18) AS g, lcm(4, 6) AS l

-- name: random_setseed_free_constants
SELECT pi() AS p, round(degrees(pi())::numeric, 3) AS d, round(radians(180.0)::numeric, 5) AS r

-- name: bit_operators
SELECT 12 & 10 AS band, 12 | 10 AS bor, 12 # 10 AS bxor, 1 << 4 AS shl, 256 >> 2 AS shr, ~5 AS bnot

-- name: factorial_and_exponent_operator
SELECT 2 ^ 10 AS p, |/ 25.0 AS sq

-- name: integer_division_in_where
SELECT id FROM orders WHERE qty / 2 = 1 ORDER BY id

-- name: integer_division_in_group
SELECT age / 10 AS decade, count(*) AS n FROM people GROUP BY age / 10 ORDER BY decade

-- name: to_char_numbers
SELECT to_char(1234.5, '9999.99') AS a, to_char(42, '000') AS b

-- name: to_char_number_signs_and_groups
SELECT to_char(1234567.891, '9G999G999D99') AS g, to_char(-42, 'S9999') AS s, to_char(42, '9999S') AS s2,
       to_char(-42, '9999MI') AS mi, to_char(-42, 'MI9999') AS mi2, to_char(-42, '999PR') AS pr,
       to_char(42, '999PR') AS pr2, to_char(-0.004, '9.99') AS rounds_to_zero

-- name: to_char_number_fill_mode_and_zeros
SELECT to_char(0.5, 'FM990.00') AS a, to_char(3.1, 'FM999.99') AS b, to_char(0, 'FM999.99') AS c,
       to_char(7, 'FM0000') AS d, to_char(0, '9999') AS e, to_char(0.5, '9.99') AS f,
       to_char(-12, 'FM9,999.00') AS g, to_char(12, '9099') AS h

-- name: to_char_number_overflow_and_shift
SELECT to_char(12345, '999') AS a, to_char(-1234.5, '99.99') AS b, to_char(12.5, '99V99') AS v,
       to_char(1234567, '9,999') AS g

-- name: to_char_number_columns
SELECT id, to_char(price, 'FM999,990.00') AS p, to_char(qty, '999') AS q, to_char(price * qty, '9G999D9') AS t,
       to_char(discount, '0.99') AS d FROM orders ORDER BY id

-- name: to_char_number_columns_people
SELECT id, to_char(salary, '999G999D99') AS s, to_char(bonus, 'FM9999.999') AS b, to_char(age, 'S99') AS a,
       to_char(height, '9.9') AS h FROM people ORDER BY id

-- name: to_char_number_unsupported_templates
-- xfail: to_char(number, template): EEEE, RN, TH, PL, SG, L and quoted text are not translated
SELECT to_char(1234.5, '9.99EEEE') AS e, to_char(12, 'RN') AS r, to_char(3, '9th') AS t
