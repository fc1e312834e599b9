-- Aggregates, GROUP BY, HAVING, FILTER, ordered-set aggregates.

-- name: count_forms
SELECT count(*) AS n, count(dept) AS with_dept, count(DISTINCT dept) AS depts FROM people

-- name: group_by_having
SELECT dept, count(*) AS n, max(salary) AS top FROM people GROUP BY dept HAVING count(*) > 1 ORDER BY dept

-- name: min_max_text_date
SELECT min(name) AS a, max(name) AS z, min(hired) AS first, max(last_login) AS last FROM people

-- name: sum_avg_numeric
SELECT dept, sum(salary) AS total, avg(salary) AS mean FROM people GROUP BY dept ORDER BY dept

-- name: aggregate_filter_clause
SELECT count(*) FILTER (WHERE active) AS on_, count(*) FILTER (WHERE NOT active) AS off, sum(salary) FILTER (WHERE dept = 'eng') AS eng FROM people

-- name: bool_and_bool_or_every
SELECT dept, bool_and(active) AS all_on, bool_or(active) AS any_on, every(age > 25) AS adults FROM people GROUP BY dept ORDER BY dept

-- name: array_agg_ordered
SELECT dept, array_agg(id ORDER BY id DESC) AS ids FROM people GROUP BY dept ORDER BY dept

-- name: array_agg_with_nulls
SELECT array_agg(note ORDER BY id) AS notes FROM orders

-- name: percentile_cont_disc
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY salary) AS med, percentile_disc(0.5) WITHIN GROUP (ORDER BY salary) AS dmed FROM people

-- name: percentile_cont_by_group
SELECT dept, percentile_cont(0.25) WITHIN GROUP (ORDER BY age) AS q1 FROM people GROUP BY dept ORDER BY dept

-- name: mode_aggregate
SELECT mode() WITHIN GROUP (ORDER BY product) AS common FROM orders

-- name: stddev_variance
SELECT round(stddev(qty), 6) AS sd, round(variance(qty), 6) AS var, round(stddev_pop(qty), 6) AS sdp, round(var_samp(price), 6) AS vs FROM orders

-- name: corr_regr
SELECT round(corr(qty, price)::numeric, 6) AS c, round(covar_pop(qty, price)::numeric, 6) AS cp FROM orders

-- name: group_by_expression_alias
SELECT upper(coalesce(dept, 'none')) AS d, count(*) AS n FROM people GROUP BY 1 ORDER BY 1

-- name: group_by_rollup
SELECT dept, active, count(*) AS n FROM people GROUP BY ROLLUP (dept, active) ORDER BY dept, active, n

-- name: group_by_grouping_sets
SELECT dept, product, count(*) AS n FROM people p JOIN orders o ON o.person_id = p.id GROUP BY GROUPING SETS ((dept), (product), ()) ORDER BY dept, product, n

-- name: grouping_function
SELECT dept, grouping(dept) AS g, count(*) AS n FROM people GROUP BY ROLLUP (dept) ORDER BY g, dept

-- name: aggregate_on_empty_set
SELECT count(*) AS n, sum(qty) AS s, max(price) AS m, bool_and(true) AS b, array_agg(id) AS a FROM orders WHERE false

-- name: distinct_aggregates
SELECT count(DISTINCT product) AS p, sum(DISTINCT qty) AS q FROM orders

-- name: string_agg_distinct
SELECT string_agg(DISTINCT product, ',' ORDER BY product) AS products FROM orders

-- name: count_star_group_having_sum
SELECT person_id, sum(qty * price) AS spent FROM orders GROUP BY person_id HAVING sum(qty * price) > 100 ORDER BY person_id
