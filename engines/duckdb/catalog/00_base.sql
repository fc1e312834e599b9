-- Base tables and helpers of the PostgreSQL catalog emulation.
-- Everything lives in the in-memory database askgres_catalog (ATTACHed by catalog.install), so
-- nothing is ever written into the user's DuckDB file. Object names are fully qualified because
-- DuckDB binds macro bodies when they are created.

CREATE SCHEMA askgres_catalog.pg;

-- Static pg_type rows (filled by pg_type_data.sql). Regproc columns are kept as their names.
CREATE TABLE askgres_catalog.pg.type_data (
    oid UINTEGER, typname VARCHAR, typlen SMALLINT, typbyval BOOLEAN, typtype VARCHAR,
    typcategory VARCHAR, typispreferred BOOLEAN, typdelim VARCHAR, typelem UINTEGER,
    typarray UINTEGER, typinput VARCHAR, typoutput VARCHAR, typreceive VARCHAR, typsend VARCHAR,
    typmodin VARCHAR, typmodout VARCHAR, typalign VARCHAR, typbasetype UINTEGER,
    typcollation UINTEGER, typstorage VARCHAR, fmt_name VARCHAR
);

-- DuckDB type name (as duckdb_columns().data_type spells it, without DECIMAL's precision or
-- array suffixes) -> PostgreSQL type OID. The proxy's Arrow -> wire mapping should agree.
CREATE TABLE askgres_catalog.pg.duck_types (duck_name VARCHAR PRIMARY KEY, pg_oid UINTEGER);
INSERT INTO askgres_catalog.pg.duck_types VALUES
    ('BOOLEAN', 16), ('TINYINT', 21), ('SMALLINT', 21), ('INTEGER', 23), ('BIGINT', 20),
    ('UTINYINT', 21), ('USMALLINT', 23), ('UINTEGER', 20), ('UBIGINT', 1700), ('HUGEINT', 1700),
    ('UHUGEINT', 1700), ('BIGNUM', 1700), ('VARINT', 1700), ('DECIMAL', 1700),
    ('FLOAT', 700), ('DOUBLE', 701), ('VARCHAR', 25), ('BLOB', 17), ('DATE', 1082),
    ('TIME', 1083), ('TIME WITH TIME ZONE', 1266), ('TIME_NS', 1083), ('TIMESTAMP', 1114),
    ('TIMESTAMP_S', 1114), ('TIMESTAMP_MS', 1114), ('TIMESTAMP_NS', 1114),
    ('TIMESTAMP WITH TIME ZONE', 1184), ('INTERVAL', 1186), ('UUID', 2950), ('JSON', 114),
    ('BIT', 1560);

-- Type names PostgreSQL accepts besides typname and format_type's spelling (for ::regtype).
CREATE TABLE askgres_catalog.pg.type_alias (alias VARCHAR, oid UINTEGER);
INSERT INTO askgres_catalog.pg.type_alias VALUES
    ('int', 23), ('integer', 23), ('smallint', 21), ('bigint', 20), ('decimal', 1700),
    ('float', 701), ('real', 700), ('double precision', 701), ('boolean', 16),
    ('varchar', 1043), ('char', 1042), ('character', 1042), ('timestamp', 1114),
    ('timestamptz', 1184), ('time', 1083), ('timetz', 1266), ('dec', 1700);

-- Settings visible through current_setting() and pg_settings.
CREATE TABLE askgres_catalog.pg.settings (name VARCHAR PRIMARY KEY, setting VARCHAR);

-- Views the engine created over data files, shown to clients as tables (relkind 'r').
CREATE TABLE askgres_catalog.pg.table_views (schema_name VARCHAR, view_name VARCHAR);

-- pg_catalog relations with PostgreSQL's OIDs, so that 'pg_class'::regclass and friends resolve.
CREATE TABLE askgres_catalog.pg.system_rels (oid UINTEGER, relname VARCHAR);
INSERT INTO askgres_catalog.pg.system_rels VALUES
    (1247, 'pg_type'), (1249, 'pg_attribute'), (1255, 'pg_proc'), (1259, 'pg_class'),
    (1260, 'pg_authid'), (1261, 'pg_auth_members'), (1262, 'pg_database'), (1213, 'pg_tablespace'),
    (2601, 'pg_am'), (2604, 'pg_attrdef'), (2606, 'pg_constraint'), (2608, 'pg_depend'),
    (2609, 'pg_description'), (2610, 'pg_index'), (2611, 'pg_inherits'), (2615, 'pg_namespace'),
    (2618, 'pg_rewrite'), (2620, 'pg_trigger'), (2396, 'pg_shdescription'), (3079, 'pg_extension'),
    (3456, 'pg_collation'), (3501, 'pg_enum'), (3256, 'pg_policy'), (3381, 'pg_statistic_ext'),
    (6104, 'pg_publication'), (6106, 'pg_publication_rel'), (6237, 'pg_publication_namespace'),
    (2616, 'pg_opclass'), (2617, 'pg_operator'), (1417, 'pg_foreign_server'), (2605, 'pg_cast'),
    (2612, 'pg_language'), (3350, 'pg_partitioned_table'), (2224, 'pg_sequence');

-- The user a session sees as owner of everything: the proxy sets the DuckDB variable
-- askgres_user per session (SET VARIABLE askgres_user = 'alice'); PostgreSQL's bootstrap
-- superuser name otherwise.
CREATE MACRO askgres_catalog.pg.session_user_name() AS
    coalesce(CAST(getvariable('askgres_user') AS VARCHAR), 'postgres');

-- The database a session sees (current_database(), pg_database, information_schema's
-- *_catalog): the name the client connected with (SET VARIABLE askgres_database), else
-- DuckDB's own name for it. Filters on duckdb_*() keep using DuckDB's current_database().
CREATE MACRO askgres_catalog.pg.pg_database_name() AS
    coalesce(CAST(getvariable('askgres_database') AS VARCHAR), current_database());

-- DuckDB schema -> PostgreSQL namespace: DuckDB's default schema main is shown as public.
CREATE MACRO askgres_catalog.pg.nsp_oid(schema_name, schema_oid) AS
    CAST(CASE WHEN schema_name = 'main' THEN 2200 ELSE schema_oid END AS UINTEGER);
CREATE MACRO askgres_catalog.pg.nsp_name(schema_name) AS
    CASE WHEN schema_name = 'main' THEN 'public' ELSE schema_name END;

-- Synthetic OIDs for objects DuckDB gives no OID (constraints, their indexes, defaults):
-- a hash of the owning table's OID and the object's name, in ranges DuckDB's own OIDs
-- (small counters) never reach, below 2^31 for clients that read OIDs as int4.
CREATE MACRO askgres_catalog.pg.synthetic_oid(base, table_oid, name) AS
    CAST(base + hash(table_oid, name) % 300000000 AS UINTEGER);

-- DuckDB type string -> element type name without array suffixes.
CREATE MACRO askgres_catalog.pg.duck_base_type(t) AS
    CASE WHEN t LIKE 'DECIMAL(%' THEN 'DECIMAL'
         WHEN t LIKE 'STRUCT(%' OR t LIKE 'MAP(%' OR t LIKE 'UNION(%' OR t LIKE 'ENUM(%' THEN 'VARCHAR'
         ELSE regexp_replace(t, '(\[\d*\])+$', '') END;
CREATE MACRO askgres_catalog.pg.duck_is_array(t) AS
    t NOT LIKE 'STRUCT(%' AND t NOT LIKE 'MAP(%' AND regexp_matches(t, '\[\d*\]$');
-- DECIMAL(p,s) -> PostgreSQL's numeric typmod ((p << 16) | s) + 4; -1 otherwise.
CREATE MACRO askgres_catalog.pg.duck_typmod(t) AS
    CASE WHEN t LIKE 'DECIMAL(%'
         THEN (CAST(regexp_extract(t, 'DECIMAL\((\d+),(\d+)\)', 1) AS INTEGER) << 16)
              + CAST(regexp_extract(t, 'DECIMAL\((\d+),(\d+)\)', 2) AS INTEGER) + 4
         ELSE -1 END;
