-- The rest of pg_catalog that clients read: the database, the one role, functions (DuckDB
-- macros), and catalogs of features DuckDB lacks, present with PostgreSQL's columns and no rows.

CREATE VIEW askgres_catalog.pg.pg_database AS
SELECT CAST(d.database_oid AS UINTEGER) AS oid, askgres_catalog.pg.pg_database_name() AS datname,
       CAST(10 AS UINTEGER) AS datdba, 6 AS encoding, 'c' AS datlocprovider,
       false AS datistemplate, true AS datallowconn, -1 AS datconnlimit,
       CAST(0 AS UINTEGER) AS datfrozenxid, CAST(0 AS UINTEGER) AS datminmxid,
       CAST(1663 AS UINTEGER) AS dattablespace, 'C.UTF-8' AS datcollate, 'C.UTF-8' AS datctype,
       CAST(NULL AS VARCHAR) AS daticulocale, CAST(NULL AS VARCHAR) AS datcollversion,
       CAST(NULL AS VARCHAR[]) AS datacl
FROM duckdb_databases() d WHERE d.database_name = current_database();

CREATE VIEW askgres_catalog.pg.pg_authid AS
SELECT CAST(10 AS UINTEGER) AS oid, askgres_catalog.pg.session_user_name() AS rolname,
       true AS rolsuper, true AS rolinherit, true AS rolcreaterole, true AS rolcreatedb,
       true AS rolcanlogin, true AS rolreplication, true AS rolbypassrls, -1 AS rolconnlimit,
       CAST(NULL AS VARCHAR) AS rolpassword, CAST(NULL AS TIMESTAMPTZ) AS rolvaliduntil;

CREATE VIEW askgres_catalog.pg.pg_roles AS
SELECT a.rolname, a.rolsuper, a.rolinherit, a.rolcreaterole, a.rolcreatedb, a.rolcanlogin,
       a.rolreplication, a.rolconnlimit, '********' AS rolpassword, a.rolvaliduntil,
       a.rolbypassrls, CAST(NULL AS VARCHAR[]) AS rolconfig, a.oid
FROM askgres_catalog.pg.pg_authid a;

CREATE VIEW askgres_catalog.pg.pg_user AS
SELECT a.rolname AS usename, a.oid AS usesysid, a.rolcreatedb AS usecreatedb,
       a.rolsuper AS usesuper, a.rolreplication AS userepl, a.rolbypassrls AS usebypassrls,
       '********' AS passwd, a.rolvaliduntil AS valuntil, CAST(NULL AS VARCHAR[]) AS useconfig
FROM askgres_catalog.pg.pg_authid a;

CREATE VIEW askgres_catalog.pg.pg_auth_members AS
SELECT CAST(0 AS UINTEGER) AS oid, CAST(0 AS UINTEGER) AS roleid, CAST(0 AS UINTEGER) AS member,
       CAST(0 AS UINTEGER) AS grantor, false AS admin_option WHERE false;

-- User-defined DuckDB macros of the default database, as functions (\df).
CREATE VIEW askgres_catalog.pg.procs AS
SELECT CAST(f.function_oid AS UINTEGER) AS oid, f.function_name AS proname, f.schema_name,
       f.function_type, f.return_type, coalesce(f.parameters, []) AS parameters,
       f.parameter_types, f.macro_definition, f.comment
FROM duckdb_functions() f
WHERE f.database_name = current_database() AND NOT f.internal;

CREATE VIEW askgres_catalog.pg.pg_proc AS
SELECT p.oid, p.proname,
       askgres_catalog.pg.nsp_oid(p.schema_name, (SELECT s.oid FROM duckdb_schemas() s
           WHERE s.database_name = current_database() AND s.schema_name = p.schema_name)) AS pronamespace,
       CAST(10 AS UINTEGER) AS proowner, CAST(14 AS UINTEGER) AS prolang, CAST(100 AS FLOAT) AS procost,
       CAST(CASE WHEN p.function_type = 'table_macro' THEN 1000 ELSE 0 END AS FLOAT) AS prorows,
       CAST(0 AS UINTEGER) AS provariadic, '-' AS prosupport, 'f' AS prokind, false AS prosecdef,
       false AS proleakproof, false AS proisstrict, p.function_type = 'table_macro' AS proretset,
       'v' AS provolatile, 'u' AS proparallel, CAST(len(p.parameters) AS SMALLINT) AS pronargs,
       CAST(0 AS SMALLINT) AS pronargdefaults,
       CAST(CASE WHEN p.function_type = 'table_macro' THEN 2249 ELSE 2283 END AS UINTEGER) AS prorettype,
       list_transform(p.parameters, lambda x: CAST(2283 AS UINTEGER)) AS proargtypes,
       CAST(NULL AS UINTEGER[]) AS proallargtypes, CAST(NULL AS VARCHAR[]) AS proargmodes,
       p.parameters AS proargnames, CAST(NULL AS VARCHAR) AS proargdefaults,
       CAST(NULL AS UINTEGER[]) AS protrftypes, p.macro_definition AS prosrc,
       CAST(NULL AS VARCHAR) AS probin, CAST(NULL AS VARCHAR) AS prosqlbody,
       CAST(NULL AS VARCHAR[]) AS proconfig, CAST(NULL AS VARCHAR[]) AS proacl
FROM askgres_catalog.pg.procs p;

CREATE VIEW askgres_catalog.pg.pg_am AS
SELECT CAST(2 AS UINTEGER) AS oid, 'heap' AS amname, 'heap_tableam_handler' AS amhandler, 't' AS amtype
UNION ALL SELECT 403, 'btree', 'bthandler', 'i';

CREATE VIEW askgres_catalog.pg.pg_collation AS
SELECT CAST(100 AS UINTEGER) AS oid, 'default' AS collname, CAST(11 AS UINTEGER) AS collnamespace,
       CAST(10 AS UINTEGER) AS collowner, 'd' AS collprovider, true AS collisdeterministic,
       -1 AS collencoding, CAST(NULL AS VARCHAR) AS collcollate, CAST(NULL AS VARCHAR) AS collctype,
       CAST(NULL AS VARCHAR) AS colliculocale, CAST(NULL AS VARCHAR) AS collversion
UNION ALL SELECT 950, 'C', 11, 10, 'c', true, -1, 'C', 'C', NULL, NULL
UNION ALL SELECT 951, 'POSIX', 11, 10, 'c', true, -1, 'POSIX', 'POSIX', NULL, NULL;

CREATE VIEW askgres_catalog.pg.pg_tablespace AS
SELECT CAST(1663 AS UINTEGER) AS oid, 'pg_default' AS spcname, CAST(10 AS UINTEGER) AS spcowner,
       CAST(NULL AS VARCHAR[]) AS spcacl, CAST(NULL AS VARCHAR[]) AS spcoptions
UNION ALL SELECT 1664, 'pg_global', 10, NULL, NULL;

CREATE VIEW askgres_catalog.pg.pg_settings AS
SELECT s.name, s.setting, CAST(NULL AS VARCHAR) AS unit, 'Client Connection Defaults' AS category,
       '' AS short_desc, CAST(NULL AS VARCHAR) AS extra_desc, 'user' AS context,
       'string' AS vartype, 'default' AS source, CAST(NULL AS VARCHAR) AS min_val,
       CAST(NULL AS VARCHAR) AS max_val, CAST(NULL AS VARCHAR[]) AS enumvals,
       s.setting AS boot_val, s.setting AS reset_val, CAST(NULL AS VARCHAR) AS sourcefile,
       CAST(NULL AS INTEGER) AS sourceline, false AS pending_restart
FROM askgres_catalog.pg.settings s;

CREATE VIEW askgres_catalog.pg.pg_language AS
SELECT CAST(12 AS UINTEGER) AS oid, 'internal' AS lanname, CAST(10 AS UINTEGER) AS lanowner,
       false AS lanispl, false AS lanpltrusted, CAST(0 AS UINTEGER) AS lanplcallfoid,
       CAST(0 AS UINTEGER) AS laninline, CAST(0 AS UINTEGER) AS lanvalidator,
       CAST(NULL AS VARCHAR[]) AS lanacl
UNION ALL SELECT 13, 'c', 10, false, false, 0, 0, 0, NULL
UNION ALL SELECT 14, 'sql', 10, false, true, 0, 0, 0, NULL;

-- Standard views over the catalogs.
CREATE VIEW askgres_catalog.pg.pg_tables AS
SELECT n.nspname AS schemaname, c.relname AS tablename,
       askgres_catalog.pg.session_user_name() AS tableowner, CAST(NULL AS VARCHAR) AS tablespace,
       c.relhasindex AS hasindexes, c.relhasrules AS hasrules, c.relhastriggers AS hastriggers,
       c.relrowsecurity AS rowsecurity
FROM askgres_catalog.pg.pg_class c
JOIN askgres_catalog.pg.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p');

CREATE VIEW askgres_catalog.pg.pg_views AS
SELECT askgres_catalog.pg.nsp_name(v.schema_name) AS schemaname, v.view_name AS viewname,
       askgres_catalog.pg.session_user_name() AS viewowner, v.sql AS definition
FROM duckdb_views() v
WHERE v.database_name = current_database() AND NOT v.internal
  AND NOT EXISTS (SELECT 1 FROM askgres_catalog.pg.table_views tv
                  WHERE tv.schema_name = v.schema_name AND tv.view_name = v.view_name);

CREATE VIEW askgres_catalog.pg.pg_indexes AS
SELECT askgres_catalog.pg.nsp_name(i.schema_name) AS schemaname, i.table_name AS tablename,
       i.relname AS indexname, CAST(NULL AS VARCHAR) AS tablespace, x.indexdef
FROM askgres_catalog.pg.idx i
JOIN askgres_catalog.pg.pg_index x ON x.indexrelid = i.oid;

CREATE VIEW askgres_catalog.pg.pg_matviews AS
SELECT '' AS schemaname, '' AS matviewname, '' AS matviewowner, CAST(NULL AS VARCHAR) AS tablespace,
       false AS hasindexes, false AS ispopulated, '' AS definition WHERE false;

CREATE VIEW askgres_catalog.pg.pg_sequence AS
SELECT CAST(s.sequence_oid AS UINTEGER) AS seqrelid, CAST(20 AS UINTEGER) AS seqtypid,
       s.start_value AS seqstart, s.increment_by AS seqincrement, s.max_value AS seqmax,
       s.min_value AS seqmin, CAST(1 AS BIGINT) AS seqcache, s.cycle AS seqcycle
FROM duckdb_sequences() s WHERE s.database_name = current_database();

-- Features DuckDB lacks: PostgreSQL's columns, no rows.
CREATE VIEW askgres_catalog.pg.pg_inherits AS
SELECT CAST(0 AS UINTEGER) AS inhrelid, CAST(0 AS UINTEGER) AS inhparent, 0 AS inhseqno,
       false AS inhdetachpending WHERE false;
CREATE VIEW askgres_catalog.pg.pg_trigger AS
SELECT CAST(0 AS UINTEGER) AS oid, CAST(0 AS UINTEGER) AS tgrelid, CAST(0 AS UINTEGER) AS tgparentid,
       '' AS tgname, CAST(0 AS UINTEGER) AS tgfoid, CAST(0 AS SMALLINT) AS tgtype, '' AS tgenabled,
       false AS tgisinternal, CAST(0 AS UINTEGER) AS tgconstrrelid, CAST(0 AS UINTEGER) AS tgconstrindid,
       CAST(0 AS UINTEGER) AS tgconstraint, false AS tgdeferrable, false AS tginitdeferred,
       CAST(0 AS SMALLINT) AS tgnargs, CAST([] AS SMALLINT[]) AS tgattr, CAST(NULL AS BLOB) AS tgargs,
       CAST(NULL AS VARCHAR) AS tgqual, CAST(NULL AS VARCHAR) AS tgoldtable,
       CAST(NULL AS VARCHAR) AS tgnewtable WHERE false;
CREATE VIEW askgres_catalog.pg.pg_rewrite AS
SELECT CAST(0 AS UINTEGER) AS oid, '' AS rulename, CAST(0 AS UINTEGER) AS ev_class, '' AS ev_type,
       '' AS ev_enabled, false AS is_instead, CAST(NULL AS VARCHAR) AS ev_qual,
       CAST(NULL AS VARCHAR) AS ev_action WHERE false;
CREATE VIEW askgres_catalog.pg.pg_policy AS
SELECT CAST(0 AS UINTEGER) AS oid, '' AS polname, CAST(0 AS UINTEGER) AS polrelid, '' AS polcmd,
       false AS polpermissive, CAST([] AS UINTEGER[]) AS polroles, CAST(NULL AS VARCHAR) AS polqual,
       CAST(NULL AS VARCHAR) AS polwithcheck WHERE false;
CREATE VIEW askgres_catalog.pg.pg_statistic_ext AS
SELECT CAST(0 AS UINTEGER) AS oid, CAST(0 AS UINTEGER) AS stxrelid, '' AS stxname,
       CAST(0 AS UINTEGER) AS stxnamespace, CAST(0 AS UINTEGER) AS stxowner, -1 AS stxstattarget,
       CAST([] AS SMALLINT[]) AS stxkeys, CAST([] AS VARCHAR[]) AS stxkind,
       CAST(NULL AS VARCHAR) AS stxexprs WHERE false;
CREATE VIEW askgres_catalog.pg.pg_publication AS
SELECT CAST(0 AS UINTEGER) AS oid, '' AS pubname, CAST(0 AS UINTEGER) AS pubowner,
       false AS puballtables, false AS pubinsert, false AS pubupdate, false AS pubdelete,
       false AS pubtruncate, false AS pubviaroot WHERE false;
CREATE VIEW askgres_catalog.pg.pg_publication_namespace AS
SELECT CAST(0 AS UINTEGER) AS oid, CAST(0 AS UINTEGER) AS pnpubid, CAST(0 AS UINTEGER) AS pnnspid
WHERE false;
CREATE VIEW askgres_catalog.pg.pg_publication_rel AS
SELECT CAST(0 AS UINTEGER) AS oid, CAST(0 AS UINTEGER) AS prpubid, CAST(0 AS UINTEGER) AS prrelid,
       CAST(NULL AS VARCHAR) AS prqual, CAST(NULL AS SMALLINT[]) AS prattrs WHERE false;
CREATE VIEW askgres_catalog.pg.pg_depend AS
SELECT CAST(0 AS UINTEGER) AS classid, CAST(0 AS UINTEGER) AS objid, 0 AS objsubid,
       CAST(0 AS UINTEGER) AS refclassid, CAST(0 AS UINTEGER) AS refobjid, 0 AS refobjsubid,
       '' AS deptype WHERE false;
CREATE VIEW askgres_catalog.pg.pg_shdescription AS
SELECT CAST(0 AS UINTEGER) AS objoid, CAST(0 AS UINTEGER) AS classoid, '' AS description WHERE false;
CREATE VIEW askgres_catalog.pg.pg_extension AS
SELECT CAST(0 AS UINTEGER) AS oid, '' AS extname, CAST(0 AS UINTEGER) AS extowner,
       CAST(0 AS UINTEGER) AS extnamespace, false AS extrelocatable, '' AS extversion,
       CAST(NULL AS UINTEGER[]) AS extconfig, CAST(NULL AS VARCHAR[]) AS extcondition WHERE false;
CREATE VIEW askgres_catalog.pg.pg_enum AS
SELECT CAST(0 AS UINTEGER) AS oid, CAST(0 AS UINTEGER) AS enumtypid, CAST(0 AS FLOAT) AS enumsortorder,
       '' AS enumlabel WHERE false;
CREATE VIEW askgres_catalog.pg.pg_range AS
SELECT CAST(0 AS UINTEGER) AS rngtypid, CAST(0 AS UINTEGER) AS rngsubtype,
       CAST(0 AS UINTEGER) AS rngmultitypid, CAST(0 AS UINTEGER) AS rngcollation,
       CAST(0 AS UINTEGER) AS rngsubopc, '-' AS rngcanonical, '-' AS rngsubdiff WHERE false;
CREATE VIEW askgres_catalog.pg.pg_opclass AS
SELECT CAST(0 AS UINTEGER) AS oid, CAST(0 AS UINTEGER) AS opcmethod, '' AS opcname,
       CAST(0 AS UINTEGER) AS opcnamespace, CAST(0 AS UINTEGER) AS opcowner,
       CAST(0 AS UINTEGER) AS opcfamily, CAST(0 AS UINTEGER) AS opcintype, true AS opcdefault,
       CAST(0 AS UINTEGER) AS opckeytype WHERE false;
CREATE VIEW askgres_catalog.pg.pg_operator AS
SELECT CAST(0 AS UINTEGER) AS oid, '' AS oprname, CAST(0 AS UINTEGER) AS oprnamespace,
       CAST(0 AS UINTEGER) AS oprleft, CAST(0 AS UINTEGER) AS oprright,
       CAST(0 AS UINTEGER) AS oprresult, '-' AS oprcode WHERE false;
CREATE VIEW askgres_catalog.pg.pg_cast AS
SELECT CAST(0 AS UINTEGER) AS oid, CAST(0 AS UINTEGER) AS castsource, CAST(0 AS UINTEGER) AS casttarget,
       CAST(0 AS UINTEGER) AS castfunc, '' AS castcontext, '' AS castmethod WHERE false;
CREATE VIEW askgres_catalog.pg.pg_partitioned_table AS
SELECT CAST(0 AS UINTEGER) AS partrelid, '' AS partstrat, CAST(0 AS SMALLINT) AS partnatts,
       CAST(0 AS UINTEGER) AS partdefid, CAST([] AS SMALLINT[]) AS partattrs WHERE false;
CREATE VIEW askgres_catalog.pg.pg_foreign_table AS
SELECT CAST(0 AS UINTEGER) AS ftrelid, CAST(0 AS UINTEGER) AS ftserver,
       CAST(NULL AS VARCHAR[]) AS ftoptions WHERE false;
CREATE VIEW askgres_catalog.pg.pg_foreign_server AS
SELECT CAST(0 AS UINTEGER) AS oid, '' AS srvname WHERE false;
CREATE VIEW askgres_catalog.pg.pg_stat_activity AS
SELECT CAST(0 AS UINTEGER) AS datid, askgres_catalog.pg.pg_database_name() AS datname, 0 AS pid,
       askgres_catalog.pg.session_user_name() AS usename, '' AS application_name,
       'active' AS state, '' AS query WHERE false;
