-- pg_namespace, pg_class, pg_attribute, pg_attrdef, pg_constraint, pg_index, pg_type,
-- pg_description computed from DuckDB's own catalog functions at query time, for the
-- connection's default database only. OIDs: DuckDB's (table_oid, index_oid, view_oid,
-- schema oid), PostgreSQL's for pg_catalog objects and types, synthetic_oid() otherwise.

-- Columns of every table and view, with PostgreSQL type OIDs.
CREATE VIEW askgres_catalog.pg.cols AS
SELECT CAST(c.table_oid AS UINTEGER) AS attrelid, c.schema_name, c.table_name,
       c.column_name AS attname, CAST(c.column_index AS SMALLINT) AS attnum,
       CAST(CASE WHEN askgres_catalog.pg.duck_is_array(c.data_type)
                 THEN coalesce(td.typarray, 1009) ELSE coalesce(dt.pg_oid, 25) END AS UINTEGER) AS atttypid,
       CAST(askgres_catalog.pg.duck_typmod(c.data_type) AS INTEGER) AS atttypmod,
       CAST(CASE WHEN askgres_catalog.pg.duck_is_array(c.data_type) THEN 1 ELSE 0 END AS INTEGER) AS attndims,
       NOT c.is_nullable AS attnotnull, c.column_default, c.is_generated, c.generation_expression,
       c.comment
FROM duckdb_columns() c
LEFT JOIN askgres_catalog.pg.duck_types dt ON dt.duck_name = askgres_catalog.pg.duck_base_type(c.data_type)
LEFT JOIN askgres_catalog.pg.type_data td ON td.oid = coalesce(dt.pg_oid, 25)
WHERE c.database_name = current_database() AND NOT c.internal;

-- Column names of each relation in column order (attnum = position).
CREATE VIEW askgres_catalog.pg.col_names AS
SELECT CAST(table_oid AS UINTEGER) AS relid, schema_name, table_name,
       list(column_name ORDER BY column_index) AS names
FROM duckdb_columns() WHERE database_name = current_database() GROUP BY ALL;

-- Primary key, unique, foreign key and check constraints, named as PostgreSQL names them.
CREATE VIEW askgres_catalog.pg.cons AS
WITH k AS (
    SELECT k.*,
           CASE k.constraint_type WHEN 'PRIMARY KEY' THEN 'p' WHEN 'UNIQUE' THEN 'u'
                                  WHEN 'FOREIGN KEY' THEN 'f' ELSE 'c' END AS contype,
           list_transform(k.constraint_column_indexes, lambda i: CAST(i + 1 AS SMALLINT)) AS conkey
    FROM duckdb_constraints() k
    WHERE k.database_name = current_database()
      AND k.constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY', 'CHECK')
), named AS (
    SELECT k.*, k.table_name || CASE k.contype
        WHEN 'p' THEN '_pkey'
        WHEN 'u' THEN '_' || array_to_string(k.constraint_column_names, '_') || '_key'
        WHEN 'f' THEN '_' || array_to_string(k.constraint_column_names, '_') || '_fkey'
        ELSE coalesce('_' || k.constraint_column_names[1], '') || '_check' END AS conname
    FROM k
)
SELECT askgres_catalog.pg.synthetic_oid(1000000000, n.table_oid, n.conname) AS oid,
       n.conname, n.contype, CAST(n.table_oid AS UINTEGER) AS conrelid, n.schema_name,
       n.schema_oid, n.table_name, n.conkey, n.constraint_column_names, n.referenced_table,
       n.referenced_column_names, n.expression,
       CASE WHEN n.contype IN ('p', 'u')
            THEN askgres_catalog.pg.synthetic_oid(1400000000, n.table_oid, n.conname) END AS index_oid
FROM named n;

CREATE VIEW askgres_catalog.pg.pg_constraint AS
SELECT c.oid, c.conname,
       askgres_catalog.pg.nsp_oid(c.schema_name, c.schema_oid) AS connamespace,
       c.contype, false AS condeferrable, false AS condeferred, true AS convalidated,
       c.conrelid, CAST(0 AS UINTEGER) AS contypid,
       CAST(coalesce(c.index_oid, r.index_oid, 0) AS UINTEGER) AS conindid,
       CAST(0 AS UINTEGER) AS conparentid,
       CAST(coalesce(rn.relid, 0) AS UINTEGER) AS confrelid,
       CASE WHEN c.contype = 'f' THEN 'a' ELSE ' ' END AS confupdtype,
       CASE WHEN c.contype = 'f' THEN 'a' ELSE ' ' END AS confdeltype,
       CASE WHEN c.contype = 'f' THEN 's' ELSE ' ' END AS confmatchtype,
       true AS conislocal, CAST(0 AS SMALLINT) AS coninhcount, c.contype = 'c' AS connoinherit,
       c.conkey,
       CASE WHEN c.contype = 'f' THEN list_transform(c.referenced_column_names,
            lambda col: CAST(list_position(rn.names, col) AS SMALLINT)) END AS confkey,
       CAST(NULL AS UINTEGER[]) AS conpfeqop, CAST(NULL AS UINTEGER[]) AS conppeqop,
       CAST(NULL AS UINTEGER[]) AS conffeqop, CAST(NULL AS SMALLINT[]) AS confdelsetcols,
       CAST(NULL AS UINTEGER[]) AS conexclop,
       CASE WHEN c.contype = 'c' THEN c.expression END AS conbin,
       -- not in PostgreSQL's pg_constraint: what pg_get_constraintdef() prints
       CASE c.contype
           WHEN 'p' THEN 'PRIMARY KEY (' || array_to_string(c.constraint_column_names, ', ') || ')'
           WHEN 'u' THEN 'UNIQUE (' || array_to_string(c.constraint_column_names, ', ') || ')'
           WHEN 'f' THEN 'FOREIGN KEY (' || array_to_string(c.constraint_column_names, ', ') || ') REFERENCES '
                || c.referenced_table || '(' || array_to_string(c.referenced_column_names, ', ') || ')'
           ELSE 'CHECK ((' || c.expression || '))' END AS condef
FROM askgres_catalog.pg.cons c
LEFT JOIN askgres_catalog.pg.col_names rn
       ON c.contype = 'f' AND rn.schema_name = c.schema_name AND rn.table_name = c.referenced_table
LEFT JOIN askgres_catalog.pg.cons r
       ON c.contype = 'f' AND r.contype IN ('p', 'u') AND r.schema_name = c.schema_name
      AND r.table_name = c.referenced_table AND r.constraint_column_names = c.referenced_column_names;

-- Indexes: those created with CREATE INDEX, and the ones PostgreSQL would have made for
-- primary key and unique constraints (same name as the constraint).
CREATE VIEW askgres_catalog.pg.idx AS
SELECT CAST(i.index_oid AS UINTEGER) AS oid, i.index_name AS relname,
       CAST(i.table_oid AS UINTEGER) AS indrelid, i.schema_name, i.schema_oid, i.table_name,
       i.is_unique AS indisunique, i.is_primary AS indisprimary,
       list_transform(CAST(i.expressions AS VARCHAR[]),
                      lambda e: CAST(coalesce(list_position(n.names, trim(e, '"')), 0) AS SMALLINT)) AS indkey,
       list_transform(CAST(i.expressions AS VARCHAR[]), lambda e: trim(e, '"')) AS colnames
FROM duckdb_indexes() i
JOIN askgres_catalog.pg.col_names n ON n.relid = i.table_oid
WHERE i.database_name = current_database()
UNION ALL
SELECT c.index_oid, c.conname, c.conrelid, c.schema_name, c.schema_oid, c.table_name,
       true, c.contype = 'p', c.conkey, c.constraint_column_names
FROM askgres_catalog.pg.cons c WHERE c.contype IN ('p', 'u');

CREATE VIEW askgres_catalog.pg.pg_index AS
SELECT i.oid AS indexrelid, i.indrelid, CAST(len(i.indkey) AS SMALLINT) AS indnatts,
       CAST(len(i.indkey) AS SMALLINT) AS indnkeyatts, i.indisunique,
       false AS indnullsnotdistinct, i.indisprimary, false AS indisexclusion,
       true AS indimmediate, false AS indisclustered, true AS indisvalid,
       false AS indcheckxmin, true AS indisready, true AS indislive, false AS indisreplident,
       i.indkey,
       list_transform(i.indkey, lambda k: CAST(0 AS UINTEGER)) AS indcollation,
       list_transform(i.indkey, lambda k: CAST(1978 AS UINTEGER)) AS indclass,
       list_transform(i.indkey, lambda k: CAST(0 AS SMALLINT)) AS indoption,
       CAST(NULL AS VARCHAR) AS indexprs, CAST(NULL AS VARCHAR) AS indpred,
       -- not in PostgreSQL's pg_index: what pg_get_indexdef() prints
       'CREATE ' || CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX ' || i.relname
           || ' ON ' || CASE WHEN i.schema_name = 'main' THEN '' ELSE i.schema_name || '.' END
           || i.table_name
           || ' USING btree (' || array_to_string(i.colnames, ', ') || ')' AS indexdef,
       i.colnames
FROM askgres_catalog.pg.idx i;

-- Every relation: tables, views (data-file views registered in table_views count as tables),
-- indexes, sequences, and the emulated pg_catalog relations themselves.
CREATE VIEW askgres_catalog.pg.rels AS
SELECT CAST(t.table_oid AS UINTEGER) AS oid, t.table_name AS relname, t.schema_name,
       t.schema_oid, 'r' AS relkind, t.column_count AS natts,
       t.estimated_size AS ntuples, t.index_count > 0 OR t.has_primary_key AS hasindex,
       t.check_constraint_count AS nchecks, t.temporary, t.comment, 2 AS am
FROM duckdb_tables() t WHERE t.database_name = current_database()
UNION ALL
SELECT v.view_oid, v.view_name, v.schema_name, v.schema_oid,
       CASE WHEN tv.view_name IS NULL THEN 'v' ELSE 'r' END, v.column_count,
       CASE WHEN tv.view_name IS NULL THEN 0 ELSE -1 END, false, 0, v.temporary, v.comment,
       CASE WHEN tv.view_name IS NULL THEN 0 ELSE 2 END
FROM duckdb_views() v
LEFT JOIN askgres_catalog.pg.table_views tv
       ON tv.schema_name = v.schema_name AND tv.view_name = v.view_name
WHERE v.database_name = current_database() AND NOT v.internal
UNION ALL
SELECT i.oid, i.relname, i.schema_name, i.schema_oid, 'i', len(i.indkey), 0, false, 0, false,
       NULL, 403
FROM askgres_catalog.pg.idx i
UNION ALL
SELECT s.sequence_oid, s.sequence_name, s.schema_name, s.schema_oid, 'S', 3, 1, false, 0,
       s.temporary, s.comment, 0
FROM duckdb_sequences() s WHERE s.database_name = current_database()
UNION ALL
SELECT r.oid, r.relname, 'pg_catalog', 11, 'r', 0, 0, true, 0, false, NULL, 2
FROM askgres_catalog.pg.system_rels r;

CREATE VIEW askgres_catalog.pg.pg_class AS
SELECT r.oid, r.relname, askgres_catalog.pg.nsp_oid(r.schema_name, r.schema_oid) AS relnamespace,
       CAST(0 AS UINTEGER) AS reltype, CAST(0 AS UINTEGER) AS reloftype,
       CAST(10 AS UINTEGER) AS relowner, CAST(r.am AS UINTEGER) AS relam,
       r.oid AS relfilenode, CAST(0 AS UINTEGER) AS reltablespace, CAST(0 AS INTEGER) AS relpages,
       CAST(r.ntuples AS FLOAT) AS reltuples, CAST(0 AS INTEGER) AS relallvisible,
       CAST(0 AS UINTEGER) AS reltoastrelid, r.hasindex AS relhasindex, false AS relisshared,
       CASE WHEN r.temporary THEN 't' ELSE 'p' END AS relpersistence, r.relkind,
       CAST(r.natts AS SMALLINT) AS relnatts, CAST(r.nchecks AS SMALLINT) AS relchecks,
       -- PostgreSQL implements foreign keys with triggers; psql shows FK sections only then
       r.oid IN (SELECT k.conrelid FROM askgres_catalog.pg.cons k WHERE k.contype = 'f'
                 UNION ALL
                 SELECT CAST(t.table_oid AS UINTEGER) FROM askgres_catalog.pg.cons k
                 JOIN duckdb_tables() t ON k.contype = 'f' AND t.schema_name = k.schema_name
                  AND t.table_name = k.referenced_table AND t.database_name = current_database())
           AS relhastriggers,
       false AS relhasrules, false AS relhassubclass,
       false AS relrowsecurity, false AS relforcerowsecurity, true AS relispopulated,
       CASE WHEN r.relkind IN ('r', 'S') THEN 'd' ELSE 'n' END AS relreplident,
       false AS relispartition, CAST(0 AS UINTEGER) AS relrewrite,
       CAST(0 AS UINTEGER) AS relfrozenxid, CAST(0 AS UINTEGER) AS relminmxid,
       CAST(NULL AS VARCHAR[]) AS relacl, CAST(NULL AS VARCHAR[]) AS reloptions,
       CAST(NULL AS VARCHAR) AS relpartbound
FROM askgres_catalog.pg.rels r;

CREATE VIEW askgres_catalog.pg.pg_namespace AS
SELECT CAST(11 AS UINTEGER) AS oid, 'pg_catalog' AS nspname, CAST(10 AS UINTEGER) AS nspowner,
       CAST(NULL AS VARCHAR[]) AS nspacl
UNION ALL SELECT 99, 'pg_toast', 10, NULL
UNION ALL SELECT 13207, 'information_schema', 10, NULL
UNION ALL
SELECT askgres_catalog.pg.nsp_oid(s.schema_name, s.oid), askgres_catalog.pg.nsp_name(s.schema_name),
       -- PostgreSQL 15: public belongs to pg_database_owner
       CASE WHEN s.schema_name = 'main' THEN 6171 ELSE 10 END, NULL
FROM duckdb_schemas() s
WHERE s.database_name = current_database()
  AND s.schema_name NOT IN ('pg_catalog', 'information_schema');

CREATE VIEW askgres_catalog.pg.pg_type AS
SELECT t.oid, t.typname, CAST(11 AS UINTEGER) AS typnamespace, CAST(10 AS UINTEGER) AS typowner,
       t.typlen, t.typbyval, t.typtype, t.typcategory, t.typispreferred, true AS typisdefined,
       t.typdelim, CAST(0 AS UINTEGER) AS typrelid,
       CASE WHEN t.typcategory = 'A' THEN 'array_subscript_handler' ELSE '-' END AS typsubscript,
       t.typelem, t.typarray, t.typinput, t.typoutput, t.typreceive, t.typsend, t.typmodin,
       t.typmodout, '-' AS typanalyze, t.typalign, t.typstorage, false AS typnotnull,
       t.typbasetype, CAST(-1 AS INTEGER) AS typtypmod, CAST(0 AS INTEGER) AS typndims,
       t.typcollation, CAST(NULL AS VARCHAR) AS typdefaultbin, CAST(NULL AS VARCHAR) AS typdefault,
       CAST(NULL AS VARCHAR[]) AS typacl
FROM askgres_catalog.pg.type_data t;

-- PostgreSQL also lists the columns of each index in pg_attribute (attrelid = the index's
-- oid, attnum = position in the index); psqlODBC's SQLPrimaryKeys joins them.
CREATE VIEW askgres_catalog.pg.index_cols AS
SELECT x.oid AS attrelid, c.schema_name, x.relname AS table_name, c.attname,
       CAST(x.pos AS SMALLINT) AS attnum, c.atttypid, c.atttypmod, c.attndims, false AS attnotnull,
       CAST(NULL AS VARCHAR) AS column_default, false AS is_generated,
       CAST(NULL AS VARCHAR) AS generation_expression, CAST(NULL AS VARCHAR) AS comment
FROM (SELECT i.oid, i.relname, i.indrelid, unnest(i.colnames) AS colname,
             unnest(range(1, len(i.colnames) + 1)) AS pos
      FROM askgres_catalog.pg.idx i) x
JOIN askgres_catalog.pg.cols c ON c.attrelid = x.indrelid AND c.attname = x.colname;

CREATE VIEW askgres_catalog.pg.pg_attribute AS
SELECT c.attrelid, c.attname, c.atttypid, CAST(-1 AS SMALLINT) AS attstattarget,
       coalesce(t.typlen, CAST(-1 AS SMALLINT)) AS attlen, c.attnum, c.attndims,
       CAST(-1 AS INTEGER) AS attcacheoff, c.atttypmod, coalesce(t.typbyval, false) AS attbyval,
       coalesce(t.typalign, 'i') AS attalign, coalesce(t.typstorage, 'x') AS attstorage,
       '' AS attcompression, c.attnotnull,
       c.column_default IS NOT NULL OR c.is_generated AS atthasdef, false AS atthasmissing,
       '' AS attidentity, CASE WHEN c.is_generated THEN 's' ELSE '' END AS attgenerated,
       false AS attisdropped, true AS attislocal, CAST(0 AS SMALLINT) AS attinhcount,
       CAST(coalesce(t.typcollation, 0) AS UINTEGER) AS attcollation,
       CAST(NULL AS VARCHAR[]) AS attacl, CAST(NULL AS VARCHAR[]) AS attoptions,
       CAST(NULL AS VARCHAR[]) AS attfdwoptions, CAST(NULL AS VARCHAR) AS attmissingval
FROM (SELECT * FROM askgres_catalog.pg.cols UNION ALL SELECT * FROM askgres_catalog.pg.index_cols) c
LEFT JOIN askgres_catalog.pg.type_data t ON t.oid = c.atttypid;

CREATE VIEW askgres_catalog.pg.pg_attrdef AS
SELECT askgres_catalog.pg.synthetic_oid(1800000000, c.attrelid, c.attname) AS oid,
       c.attrelid AS adrelid, c.attnum AS adnum,
       coalesce(c.column_default, c.generation_expression) AS adbin
FROM askgres_catalog.pg.cols c
WHERE c.column_default IS NOT NULL OR c.is_generated;

-- COMMENT ON TABLE / VIEW / COLUMN, as obj_description and col_description read them.
CREATE VIEW askgres_catalog.pg.pg_description AS
SELECT r.oid AS objoid, CAST(1259 AS UINTEGER) AS classoid, CAST(0 AS INTEGER) AS objsubid,
       r.comment AS description
FROM askgres_catalog.pg.rels r WHERE r.comment IS NOT NULL AND r.comment <> ''
UNION ALL
SELECT c.attrelid, 1259, c.attnum, c.comment
FROM askgres_catalog.pg.cols c WHERE c.comment IS NOT NULL AND c.comment <> '';
