-- information_schema views that differ from DuckDB's built-in ones in what clients check:
-- schema public rather than main, PostgreSQL type names, PostgreSQL constraint names.
-- Other information_schema views are DuckDB's own.

CREATE VIEW askgres_catalog.pg.is_schemata AS
SELECT askgres_catalog.pg.pg_database_name() AS catalog_name, n.nspname AS schema_name,
       askgres_catalog.pg.session_user_name() AS schema_owner,
       CAST(NULL AS VARCHAR) AS default_character_set_catalog,
       CAST(NULL AS VARCHAR) AS default_character_set_schema,
       CAST(NULL AS VARCHAR) AS default_character_set_name, CAST(NULL AS VARCHAR) AS sql_path
FROM askgres_catalog.pg.pg_namespace n;

CREATE VIEW askgres_catalog.pg.is_tables AS
SELECT askgres_catalog.pg.pg_database_name() AS table_catalog, n.nspname AS table_schema, c.relname AS table_name,
       CASE WHEN n.nspname IN ('pg_catalog', 'information_schema') AND c.relkind = 'r' THEN 'BASE TABLE'
            WHEN c.relkind = 'r' AND c.relpersistence = 't' THEN 'LOCAL TEMPORARY'
            WHEN c.relkind IN ('r', 'p') THEN 'BASE TABLE' WHEN c.relkind = 'v' THEN 'VIEW'
            WHEN c.relkind = 'f' THEN 'FOREIGN' END AS table_type,
       CAST(NULL AS VARCHAR) AS self_referencing_column_name, CAST(NULL AS VARCHAR) AS reference_generation,
       CAST(NULL AS VARCHAR) AS user_defined_type_catalog, CAST(NULL AS VARCHAR) AS user_defined_type_schema,
       CAST(NULL AS VARCHAR) AS user_defined_type_name,
       CASE WHEN c.relkind IN ('r', 'p') THEN 'YES' ELSE 'NO' END AS is_insertable_into,
       'NO' AS is_typed, CAST(NULL AS VARCHAR) AS commit_action
FROM askgres_catalog.pg.pg_class c
JOIN askgres_catalog.pg.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'f');

CREATE VIEW askgres_catalog.pg.is_columns AS
SELECT askgres_catalog.pg.pg_database_name() AS table_catalog, n.nspname AS table_schema, c.relname AS table_name,
       a.attname AS column_name, CAST(a.attnum AS INTEGER) AS ordinal_position,
       d.adbin AS column_default, CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END AS is_nullable,
       CASE WHEN t.typcategory = 'A' THEN 'ARRAY'
            WHEN a.atttypid = 1700 THEN 'numeric' ELSE t.fmt_name END AS data_type,
       CAST(CASE WHEN a.atttypid IN (1043, 1042) AND a.atttypmod >= 4 THEN a.atttypmod - 4 END AS INTEGER)
           AS character_maximum_length,
       CAST(CASE WHEN a.atttypid IN (25, 1043, 1042) THEN 1073741824 END AS INTEGER) AS character_octet_length,
       CAST(CASE a.atttypid WHEN 21 THEN 16 WHEN 23 THEN 32 WHEN 20 THEN 64 WHEN 700 THEN 24
                 WHEN 701 THEN 53
                 WHEN 1700 THEN CASE WHEN a.atttypmod >= 4 THEN (a.atttypmod - 4) >> 16 END END
            AS INTEGER) AS numeric_precision,
       CAST(CASE WHEN a.atttypid IN (21, 23, 20, 700, 701) THEN 2
                 WHEN a.atttypid = 1700 THEN 10 END AS INTEGER) AS numeric_precision_radix,
       CAST(CASE WHEN a.atttypid IN (21, 23, 20) THEN 0
                 WHEN a.atttypid = 1700 AND a.atttypmod >= 4 THEN (a.atttypmod - 4) & 65535 END
            AS INTEGER) AS numeric_scale,
       CAST(CASE WHEN a.atttypid IN (1082) THEN 0 WHEN a.atttypid IN (1083, 1114, 1184, 1266) THEN 6 END
            AS INTEGER) AS datetime_precision,
       CAST(NULL AS VARCHAR) AS interval_type, CAST(NULL AS INTEGER) AS interval_precision,
       CAST(NULL AS VARCHAR) AS character_set_catalog, CAST(NULL AS VARCHAR) AS character_set_schema,
       CAST(NULL AS VARCHAR) AS character_set_name, CAST(NULL AS VARCHAR) AS collation_catalog,
       CAST(NULL AS VARCHAR) AS collation_schema, CAST(NULL AS VARCHAR) AS collation_name,
       CAST(NULL AS VARCHAR) AS domain_catalog, CAST(NULL AS VARCHAR) AS domain_schema,
       CAST(NULL AS VARCHAR) AS domain_name, askgres_catalog.pg.pg_database_name() AS udt_catalog,
       'pg_catalog' AS udt_schema, t.typname AS udt_name,
       CAST(NULL AS VARCHAR) AS scope_catalog, CAST(NULL AS VARCHAR) AS scope_schema,
       CAST(NULL AS VARCHAR) AS scope_name, CAST(NULL AS INTEGER) AS maximum_cardinality,
       CAST(a.attnum AS VARCHAR) AS dtd_identifier, 'NO' AS is_self_referencing,
       'NO' AS is_identity, CAST(NULL AS VARCHAR) AS identity_generation,
       CAST(NULL AS VARCHAR) AS identity_start, CAST(NULL AS VARCHAR) AS identity_increment,
       CAST(NULL AS VARCHAR) AS identity_maximum, CAST(NULL AS VARCHAR) AS identity_minimum,
       CAST(NULL AS VARCHAR) AS identity_cycle,
       CASE WHEN a.attgenerated = 's' THEN 'ALWAYS' ELSE 'NEVER' END AS is_generated,
       CASE WHEN a.attgenerated = 's' THEN d.adbin END AS generation_expression,
       CASE WHEN c.relkind IN ('r', 'p') THEN 'YES' ELSE 'NO' END AS is_updatable
FROM askgres_catalog.pg.pg_attribute a
JOIN askgres_catalog.pg.pg_class c ON c.oid = a.attrelid
JOIN askgres_catalog.pg.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN askgres_catalog.pg.type_data t ON t.oid = a.atttypid
LEFT JOIN askgres_catalog.pg.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum;

CREATE VIEW askgres_catalog.pg.is_views AS
SELECT askgres_catalog.pg.pg_database_name() AS table_catalog, v.schemaname AS table_schema, v.viewname AS table_name,
       v.definition AS view_definition, 'NONE' AS check_option, 'NO' AS is_updatable,
       'NO' AS is_insertable_into, 'NO' AS is_trigger_updatable, 'NO' AS is_trigger_deletable,
       'NO' AS is_trigger_insertable_into
FROM askgres_catalog.pg.pg_views v;

CREATE VIEW askgres_catalog.pg.is_table_constraints AS
SELECT askgres_catalog.pg.pg_database_name() AS constraint_catalog, n.nspname AS constraint_schema,
       k.conname AS constraint_name, askgres_catalog.pg.pg_database_name() AS table_catalog, n.nspname AS table_schema,
       c.relname AS table_name,
       CASE k.contype WHEN 'p' THEN 'PRIMARY KEY' WHEN 'u' THEN 'UNIQUE' WHEN 'f' THEN 'FOREIGN KEY'
                      ELSE 'CHECK' END AS constraint_type,
       'NO' AS is_deferrable, 'NO' AS initially_deferred, 'YES' AS enforced,
       CASE WHEN k.contype = 'u' THEN 'YES' END AS nulls_distinct
FROM askgres_catalog.pg.pg_constraint k
JOIN askgres_catalog.pg.pg_class c ON c.oid = k.conrelid
JOIN askgres_catalog.pg.pg_namespace n ON n.oid = k.connamespace;

CREATE VIEW askgres_catalog.pg.is_key_column_usage AS
SELECT askgres_catalog.pg.pg_database_name() AS constraint_catalog, n.nspname AS constraint_schema,
       k.conname AS constraint_name, askgres_catalog.pg.pg_database_name() AS table_catalog, n.nspname AS table_schema,
       c.relname AS table_name, cn.names[CAST(u.attnum AS INTEGER)] AS column_name,
       CAST(u.pos AS INTEGER) AS ordinal_position,
       CAST(CASE WHEN k.contype = 'f' THEN u.pos END AS INTEGER) AS position_in_unique_constraint
FROM askgres_catalog.pg.pg_constraint k
JOIN askgres_catalog.pg.pg_class c ON c.oid = k.conrelid
JOIN askgres_catalog.pg.pg_namespace n ON n.oid = k.connamespace
JOIN askgres_catalog.pg.col_names cn ON cn.relid = k.conrelid,
LATERAL (SELECT unnest(k.conkey) AS attnum, generate_subscripts(k.conkey, 1) AS pos) u
WHERE k.contype IN ('p', 'u', 'f');

CREATE VIEW askgres_catalog.pg.is_referential_constraints AS
SELECT askgres_catalog.pg.pg_database_name() AS constraint_catalog, n.nspname AS constraint_schema,
       k.conname AS constraint_name, askgres_catalog.pg.pg_database_name() AS unique_constraint_catalog,
       n.nspname AS unique_constraint_schema, r.conname AS unique_constraint_name,
       'NONE' AS match_option, 'NO ACTION' AS update_rule, 'NO ACTION' AS delete_rule
FROM askgres_catalog.pg.pg_constraint k
JOIN askgres_catalog.pg.pg_namespace n ON n.oid = k.connamespace
LEFT JOIN askgres_catalog.pg.pg_constraint r ON r.conrelid = k.confrelid AND r.contype IN ('p', 'u')
      AND r.conkey = k.confkey
WHERE k.contype = 'f';
