-- Strings: concatenation, searching, slicing, padding, case, regular expressions, LIKE.

-- name: concat_operator
SELECT name || ' (' || dept || ')' AS label FROM people ORDER BY id

-- name: concat_operator_with_number
SELECT 'id-' || id AS tag, id || '' AS s FROM people ORDER BY id

-- name: concat_function_skips_nulls
SELECT concat(name, '/', dept, '/', age) AS c FROM people ORDER BY id

-- name: concat_ws
SELECT concat_ws(', ', name, dept, NULL, age) AS c FROM people ORDER BY id

-- name: length_functions
SELECT name, length(name) AS l, char_length(name) AS cl, octet_length(name) AS ol FROM people ORDER BY id

-- name: upper_lower_initcap
SELECT upper(name) AS u, lower(name) AS l, initcap(name) AS i FROM people ORDER BY id

-- name: position_strpos
SELECT name, position('a' IN name) AS p, strpos(name, 'e') AS s FROM people ORDER BY id

-- name: substring_forms
SELECT substring(name FROM 2 FOR 3) AS a, substring(name, 3) AS b, substr(name, 1, 2) AS c FROM people ORDER BY id

-- name: substring_edge_cases
SELECT substring('hello' FROM 0 FOR 3) AS a, substring('hello', -1, 4) AS b, substr('hello', 10) AS c

-- name: left_right
SELECT left(name, 3) AS l, right(name, 2) AS r, left(name, -2) AS lneg FROM people ORDER BY id

-- name: split_part
SELECT split_part('a,b,,d', ',', 2) AS b, split_part('a,b,,d', ',', 3) AS empty, split_part('a,b', ',', 5) AS beyond

-- name: lpad_rpad
SELECT lpad(name, 8, '*') AS l, rpad(name, 8, '-') AS r, lpad('abc', 2) AS cut FROM people ORDER BY id

-- name: trim_family
SELECT trim('  x  ') AS t, ltrim('xxabcxx', 'x') AS l, rtrim('xxabcxx', 'x') AS r, btrim('--a--', '-') AS b, trim(BOTH 'x' FROM 'xxyxx') AS tb

-- name: replace_translate_reverse_repeat
SELECT replace(name, 'a', 'A') AS r, translate(name, 'ae', 'AE') AS t, reverse(name) AS rv, repeat('ab', 3) AS rp FROM people ORDER BY id

-- name: regexp_replace_first_only
SELECT regexp_replace('foo bar foo', 'foo', 'X') AS first, regexp_replace('foo bar foo', 'foo', 'X', 'g') AS every

-- name: regexp_replace_case_insensitive
SELECT regexp_replace('Foo FOO foo', 'foo', 'x', 'gi') AS r

-- name: regex_match_operators
SELECT name, name ~ '^[A-Z]' AS upper_start, name ~* '^e' AS ci, name !~ 'a' AS no_a, name !~* 'A' AS no_a_ci FROM people ORDER BY id

-- name: regexp_match_array
SELECT regexp_match('abc123def', '[0-9]+') AS m

-- name: like_and_ilike
SELECT name FROM people WHERE name LIKE '%a%' OR name ILIKE 'e%' ORDER BY id

-- name: like_escape_underscore
SELECT name FROM people WHERE name LIKE '%\_h%' ORDER BY id

-- name: like_custom_escape
SELECT name FROM people WHERE name LIKE '%!%%' ESCAPE '!' ORDER BY id

-- name: not_like_null_semantics
SELECT count(*) AS n FROM orders WHERE note NOT LIKE '%w%'

-- name: string_comparison_collation
SELECT name FROM people ORDER BY name

-- name: string_agg_ordered
SELECT dept, string_agg(name, ',' ORDER BY name) AS names FROM people GROUP BY dept ORDER BY dept

-- name: string_agg_desc
SELECT string_agg(product, '|' ORDER BY id DESC) AS s FROM orders

-- name: ascii_chr_md5
SELECT ascii('A') AS a, chr(66) AS b, md5('askgres') AS h

-- name: starts_with_and_quote
SELECT starts_with(name, 'A') AS s, quote_ident('My Col') AS qi, quote_literal('it''s') AS ql FROM people WHERE id = 1

-- name: format_function
SELECT format('%s has %s', name, age) AS f FROM people ORDER BY id

-- name: to_hex_and_encode
SELECT to_hex(255) AS h, encode('abc'::bytea, 'hex') AS e

-- name: string_to_array_and_back
SELECT string_to_array('a,b,c', ',') AS arr, array_to_string(ARRAY['x', 'y', NULL, 'z'], '-') AS s

-- name: empty_string_vs_null
SELECT id, note = '' AS is_empty, note IS NULL AS is_null, coalesce(nullif(note, ''), '(none)') AS n FROM orders ORDER BY id

-- name: text_casts
SELECT 42::text AS t, 3.50::text AS n, true::text AS b, '2024-01-05'::date::text AS d
