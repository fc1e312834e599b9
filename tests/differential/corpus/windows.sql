-- Window functions.

-- name: row_number_rank_dense_rank
SELECT name, salary, row_number() OVER (ORDER BY salary DESC, id) AS rn, rank() OVER (ORDER BY salary DESC) AS rk, dense_rank() OVER (ORDER BY salary DESC) AS drk FROM people ORDER BY id

-- name: partitioned_sum
SELECT name, dept, salary, sum(salary) OVER (PARTITION BY dept) AS dept_total FROM people ORDER BY id

-- name: running_total
SELECT id, qty, sum(qty) OVER (ORDER BY id) AS running FROM orders ORDER BY id

-- name: running_total_rows_frame
SELECT id, qty, sum(qty) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS pair FROM orders ORDER BY id

-- name: lag_lead
SELECT id, qty, lag(qty) OVER (ORDER BY id) AS prev, lead(qty, 2, -1) OVER (ORDER BY id) AS next2 FROM orders ORDER BY id

-- name: first_last_value
SELECT id, first_value(product) OVER w AS f, last_value(product) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS l FROM orders WINDOW w AS (PARTITION BY person_id ORDER BY id) ORDER BY id

-- name: ntile_percent_rank
SELECT id, ntile(3) OVER (ORDER BY id) AS t, round(percent_rank() OVER (ORDER BY id)::numeric, 4) AS pr, round(cume_dist() OVER (ORDER BY id)::numeric, 4) AS cd FROM orders ORDER BY id

-- name: window_order_with_nulls_desc
SELECT id, age, rank() OVER (ORDER BY age DESC) AS r FROM people ORDER BY id

-- name: window_order_with_nulls_asc
SELECT id, age, row_number() OVER (ORDER BY age, id) AS r FROM people ORDER BY id

-- name: avg_over_partition_order
SELECT id, person_id, round(avg(price) OVER (PARTITION BY person_id ORDER BY id), 2) AS avg_so_far FROM orders ORDER BY id

-- name: count_over_empty
SELECT id, count(*) OVER () AS total FROM orders ORDER BY id

-- name: nth_value
SELECT id, nth_value(product, 2) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS second FROM orders ORDER BY id

-- name: window_range_default_with_ties
SELECT salary, sum(salary) OVER (ORDER BY salary) AS s FROM people WHERE salary IS NOT NULL ORDER BY salary, id

-- name: top_n_per_group
SELECT dept, name FROM (SELECT dept, name, row_number() OVER (PARTITION BY dept ORDER BY salary DESC NULLS LAST, id) AS rn FROM people) t WHERE rn = 1 ORDER BY dept
