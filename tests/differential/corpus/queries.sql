-- CTEs, joins, subqueries, set operations, ordering, limits.

-- name: cte_simple
WITH eng AS (SELECT * FROM people WHERE dept = 'eng') SELECT name FROM eng ORDER BY id

-- name: cte_recursive_counter
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) SELECT sum(i) AS s, max(i) AS m FROM n

-- name: cte_recursive_hierarchy
WITH RECURSIVE chain AS (
    SELECT id, name, manager_id, 0 AS depth FROM people WHERE manager_id IS NULL
    UNION ALL
    SELECT p.id, p.name, p.manager_id, c.depth + 1 FROM people p JOIN chain c ON p.manager_id = c.id
)
SELECT id, name, depth FROM chain ORDER BY depth, id

-- name: cte_multiple
WITH a AS (SELECT person_id, sum(qty) AS q FROM orders GROUP BY person_id), b AS (SELECT id, name FROM people) SELECT b.name, a.q FROM a JOIN b ON a.person_id = b.id ORDER BY b.id

-- name: inner_join
SELECT p.name, o.product FROM people p JOIN orders o ON o.person_id = p.id ORDER BY o.id

-- name: left_join_nulls
SELECT p.name, o.id AS order_id FROM people p LEFT JOIN orders o ON o.person_id = p.id ORDER BY p.id, o.id

-- name: right_join
SELECT p.name, o.id FROM people p RIGHT JOIN orders o ON o.person_id = p.id ORDER BY o.id

-- name: full_join
SELECT p.id AS pid, o.id AS oid FROM people p FULL JOIN orders o ON o.person_id = p.id ORDER BY pid, oid

-- name: self_join_manager
SELECT e.name, m.name AS manager FROM people e LEFT JOIN people m ON e.manager_id = m.id ORDER BY e.id

-- name: join_using
SELECT id, name FROM people JOIN (SELECT person_id AS id, count(*) AS n FROM orders GROUP BY person_id) c USING (id) ORDER BY id

-- name: cross_join_count
SELECT count(*) AS n FROM people CROSS JOIN orders

-- name: lateral_join
SELECT p.name, last.product FROM people p CROSS JOIN LATERAL (SELECT product FROM orders o WHERE o.person_id = p.id ORDER BY o.id DESC LIMIT 1) last ORDER BY p.id

-- name: in_subquery
SELECT name FROM people WHERE id IN (SELECT person_id FROM orders WHERE qty > 2) ORDER BY id

-- name: not_in_with_null
SELECT count(*) AS n FROM people WHERE id NOT IN (SELECT person_id FROM orders)

-- name: exists_correlated
SELECT name FROM people p WHERE EXISTS (SELECT 1 FROM orders o WHERE o.person_id = p.id AND o.price > 100) ORDER BY id

-- name: scalar_subquery
SELECT name, (SELECT count(*) FROM orders o WHERE o.person_id = p.id) AS n FROM people p ORDER BY id

-- name: any_all
SELECT name FROM people WHERE salary > ALL (SELECT salary FROM people WHERE dept = 'sales' AND salary IS NOT NULL) ORDER BY id

-- name: union_distinct
SELECT dept AS v FROM people UNION SELECT product FROM orders

-- name: union_all_ordered
SELECT name AS v FROM people WHERE id < 3 UNION ALL SELECT product FROM orders WHERE id < 103 ORDER BY v

-- name: intersect_except
SELECT person_id FROM orders INTERSECT SELECT id FROM people EXCEPT SELECT 2

-- name: order_by_nulls_default_asc
SELECT id, salary FROM people ORDER BY salary, id

-- name: order_by_nulls_default_desc
SELECT id, salary FROM people ORDER BY salary DESC, id

-- name: order_by_nulls_explicit
SELECT id, age FROM people ORDER BY age DESC NULLS LAST, id

-- name: order_by_position_and_alias
SELECT name AS n, age FROM people ORDER BY 2 DESC, n

-- name: limit_offset
SELECT id FROM orders ORDER BY id LIMIT 3 OFFSET 2

-- name: fetch_first
SELECT id FROM orders ORDER BY id DESC FETCH FIRST 2 ROWS ONLY

-- name: distinct_on
SELECT DISTINCT ON (person_id) person_id, id, product FROM orders WHERE person_id IS NOT NULL ORDER BY person_id, id DESC

-- name: select_distinct
SELECT DISTINCT product FROM orders ORDER BY product

-- name: values_list
SELECT * FROM (VALUES (1, 'one'), (2, 'two'), (3, NULL)) AS v(n, word) ORDER BY n

-- name: generate_series_set
SELECT g FROM generate_series(1, 5) AS g ORDER BY g

-- name: generate_series_step
SELECT * FROM generate_series(10, 0, -3) ORDER BY 1

-- name: generate_series_in_select_list
SELECT generate_series(1, 3) AS g

-- name: public_schema_qualified
SELECT count(*) AS n FROM public.people

-- name: public_schema_quoted
SELECT "p"."name" FROM "public"."people" AS "p" WHERE "p"."id" = 1

-- name: derived_table_aggregate
SELECT max(n) AS most FROM (SELECT person_id, count(*) AS n FROM orders GROUP BY person_id) t
