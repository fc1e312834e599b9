-- PostgreSQL's catalog functions as DuckDB macros. Macros expand inline into the calling query,
-- so their subqueries use aliases (_c, _t, ...) that client queries do not, lest an argument
-- such as c.oid bind to the macro's own table. catalog.py rewrites calls (bare or
-- pg_catalog-qualified) to these; reg* casts become the *_in / *_out macros.

-- Session facts the proxy may set per DuckDB connection (SET VARIABLE ...): askgres_user
-- (see 00_base.sql), askgres_backend_pid, askgres_settings (a MAP of setting -> value that
-- overrides the defaults in askgres_catalog.pg.settings for current_setting()).
CREATE MACRO askgres_catalog.pg.current_user() AS askgres_catalog.pg.session_user_name();
CREATE MACRO askgres_catalog.pg.pg_backend_pid() AS
    coalesce(CAST(getvariable('askgres_backend_pid') AS INTEGER), 0);
CREATE MACRO askgres_catalog.pg.setting_of(n) AS coalesce(
    CAST(getvariable('askgres_settings') AS MAP(VARCHAR, VARCHAR))[lower(n)],
    (SELECT _s.setting FROM askgres_catalog.pg.settings _s WHERE lower(_s.name) = lower(n)));
CREATE MACRO askgres_catalog.pg.current_setting(n) AS askgres_catalog.pg.setting_of(n),
    (n, missing_ok) AS askgres_catalog.pg.setting_of(n);
CREATE MACRO askgres_catalog.pg.version() AS
    (SELECT _s.setting FROM askgres_catalog.pg.settings _s WHERE _s.name = 'askgres.version');
CREATE MACRO askgres_catalog.pg.pg_postmaster_start_time() AS
    (SELECT CAST(_s.setting AS TIMESTAMPTZ) FROM askgres_catalog.pg.settings _s
     WHERE _s.name = 'askgres.start_time');
CREATE MACRO askgres_catalog.pg.pg_conf_load_time() AS askgres_catalog.pg.pg_postmaster_start_time();
CREATE MACRO askgres_catalog.pg.pg_is_in_recovery() AS false;
CREATE MACRO askgres_catalog.pg.current_schema() AS 'public';
CREATE MACRO askgres_catalog.pg.current_schemas(implicit) AS
    CASE WHEN implicit THEN ['pg_catalog', 'public'] ELSE ['public'] END;
CREATE MACRO askgres_catalog.pg.pg_encoding_to_char(enc) AS
    CASE enc WHEN 6 THEN 'UTF8' WHEN 0 THEN 'SQL_ASCII' ELSE '' END;
CREATE MACRO askgres_catalog.pg.pg_char_to_encoding(name) AS
    CASE upper(name) WHEN 'UTF8' THEN 6 WHEN 'SQL_ASCII' THEN 0 ELSE -1 END;

CREATE MACRO askgres_catalog.pg.pg_get_userbyid(roleid) AS
    CASE WHEN roleid = 10 THEN askgres_catalog.pg.session_user_name()
         WHEN roleid = 6171 THEN 'pg_database_owner'
         ELSE 'unknown (OID=' || roleid || ')' END;

-- format_type(type_oid, typmod) as PostgreSQL prints it ('numeric(10,2)', 'text[]', ...).
CREATE MACRO askgres_catalog.pg.format_type(type_oid, typmod) AS
    CASE WHEN type_oid IS NULL THEN NULL
         WHEN type_oid IN (1700, 1231) AND typmod >= 4
             THEN 'numeric(' || ((typmod - 4) >> 16) || ',' || ((typmod - 4) & 65535) || ')'
                  || CASE WHEN type_oid = 1231 THEN '[]' ELSE '' END
         WHEN type_oid IN (1043, 1042, 1015, 1014) AND typmod >= 4
             THEN CASE WHEN type_oid IN (1043, 1015) THEN 'character varying' ELSE 'character' END
                  || '(' || (typmod - 4) || ')'
                  || CASE WHEN type_oid IN (1015, 1014) THEN '[]' ELSE '' END
         ELSE coalesce((SELECT _t.fmt_name FROM askgres_catalog.pg.type_data _t WHERE _t.oid = type_oid),
                       '???') END;

-- Name -> OID lookups for 'x'::regclass, 'int4'::regtype and friends; NULL when not found
-- (PostgreSQL raises; to_regclass/to_regtype return NULL). Unquoted names fold to lower case.
CREATE MACRO askgres_catalog.pg.ident_fold(name) AS
    CASE WHEN strpos(name, '"') > 0 THEN replace(name, '"', '') ELSE lower(name) END;
CREATE MACRO askgres_catalog.pg.regclass_in(name) AS CASE
    WHEN regexp_full_match(name, '[0-9]+') THEN CAST(name AS UINTEGER) ELSE (
    SELECT _c.oid FROM askgres_catalog.pg.pg_class _c
    JOIN askgres_catalog.pg.pg_namespace _n ON _n.oid = _c.relnamespace
    WHERE _c.relname = askgres_catalog.pg.ident_fold(CASE WHEN strpos(name, '.') > 0
                                                         THEN split_part(name, '.', 2) ELSE name END)
      AND CASE WHEN strpos(name, '.') > 0
               THEN _n.nspname = askgres_catalog.pg.ident_fold(split_part(name, '.', 1))
               ELSE _n.nspname IN ('pg_catalog', 'public') END
    ORDER BY _n.nspname = 'pg_catalog' DESC LIMIT 1) END;
CREATE MACRO askgres_catalog.pg.regclass_out(rel) AS coalesce(
    (SELECT _c.relname FROM askgres_catalog.pg.pg_class _c WHERE _c.oid = rel), CAST(rel AS VARCHAR));
CREATE MACRO askgres_catalog.pg.regtype_scalar_in(name) AS (
    SELECT _t.oid FROM askgres_catalog.pg.type_data _t
    WHERE _t.typname = name OR _t.fmt_name = name
       OR _t.oid = (SELECT _a.oid FROM askgres_catalog.pg.type_alias _a WHERE _a.alias = name)
    ORDER BY _t.typname = name DESC LIMIT 1);
CREATE MACRO askgres_catalog.pg.regtype_in(name) AS
    CASE WHEN lower(trim(name)) LIKE '%[]'
         THEN (SELECT _t.typarray FROM askgres_catalog.pg.type_data _t
               WHERE _t.oid = askgres_catalog.pg.regtype_scalar_in(
                   regexp_replace(lower(trim(name)), '^pg_catalog\.|\[\]$', '', 'g')))
         ELSE askgres_catalog.pg.regtype_scalar_in(
                  regexp_replace(lower(trim(name)), '^pg_catalog\.', '')) END;
CREATE MACRO askgres_catalog.pg.regtype_out(type_oid) AS
    coalesce((SELECT _t.fmt_name FROM askgres_catalog.pg.type_data _t WHERE _t.oid = type_oid),
             CAST(type_oid AS VARCHAR));
CREATE MACRO askgres_catalog.pg.regnamespace_in(name) AS (
    SELECT _n.oid FROM askgres_catalog.pg.pg_namespace _n
    WHERE _n.nspname = askgres_catalog.pg.ident_fold(name));
CREATE MACRO askgres_catalog.pg.regnamespace_out(nsp) AS coalesce(
    (SELECT _n.nspname FROM askgres_catalog.pg.pg_namespace _n WHERE _n.oid = nsp), CAST(nsp AS VARCHAR));
CREATE MACRO askgres_catalog.pg.regrole_in(name) AS (
    SELECT _r.oid FROM askgres_catalog.pg.pg_authid _r WHERE _r.rolname = askgres_catalog.pg.ident_fold(name));
CREATE MACRO askgres_catalog.pg.regrole_out(role) AS askgres_catalog.pg.pg_get_userbyid(role);
-- regproc values are kept as function names (pg_type.typinput and friends hold names).
CREATE MACRO askgres_catalog.pg.regproc_in(name) AS regexp_replace(name, '^pg_catalog\.', '');
CREATE MACRO askgres_catalog.pg.to_regclass(name) AS askgres_catalog.pg.regclass_in(name);
CREATE MACRO askgres_catalog.pg.to_regtype(name) AS askgres_catalog.pg.regtype_in(name);
CREATE MACRO askgres_catalog.pg.to_regnamespace(name) AS askgres_catalog.pg.regnamespace_in(name);

-- Visibility: the search path is pg_catalog, public.
CREATE MACRO askgres_catalog.pg.pg_table_is_visible(rel) AS coalesce(
    (SELECT _c.relnamespace IN (11, 2200) FROM askgres_catalog.pg.pg_class _c WHERE _c.oid = rel), false);
CREATE MACRO askgres_catalog.pg.pg_type_is_visible(type_oid) AS true;
CREATE MACRO askgres_catalog.pg.pg_function_is_visible(fn) AS coalesce(
    (SELECT _p.pronamespace IN (11, 2200) FROM askgres_catalog.pg.pg_proc _p WHERE _p.oid = fn), true);

-- Privileges: the session user owns everything.
CREATE MACRO askgres_catalog.pg.has_table_privilege(a, b) AS true, (a, b, c) AS true;
CREATE MACRO askgres_catalog.pg.has_schema_privilege(a, b) AS true, (a, b, c) AS true;
CREATE MACRO askgres_catalog.pg.has_database_privilege(a, b) AS true, (a, b, c) AS true;
CREATE MACRO askgres_catalog.pg.has_sequence_privilege(a, b) AS true, (a, b, c) AS true;
CREATE MACRO askgres_catalog.pg.has_function_privilege(a, b) AS true, (a, b, c) AS true;
CREATE MACRO askgres_catalog.pg.has_type_privilege(a, b) AS true, (a, b, c) AS true;
CREATE MACRO askgres_catalog.pg.has_any_column_privilege(a, b) AS true, (a, b, c) AS true;
CREATE MACRO askgres_catalog.pg.has_column_privilege(a, b, c) AS true, (a, b, c, d) AS true;
CREATE MACRO askgres_catalog.pg.pg_has_role(a, b) AS true, (a, b, c) AS true;

-- Definitions, printed the way PostgreSQL prints them.
CREATE MACRO askgres_catalog.pg.pg_get_expr(expr, rel) AS expr, (expr, rel, pretty) AS expr;
CREATE MACRO askgres_catalog.pg.pg_get_constraintdef(con) AS
    (SELECT _c.condef FROM askgres_catalog.pg.pg_constraint _c WHERE _c.oid = con),
    (con, pretty) AS (SELECT _c.condef FROM askgres_catalog.pg.pg_constraint _c WHERE _c.oid = con);
CREATE MACRO askgres_catalog.pg.pg_get_indexdef(ix) AS
    (SELECT _i.indexdef FROM askgres_catalog.pg.pg_index _i WHERE _i.indexrelid = ix),
    (ix, col, pretty) AS (SELECT CASE WHEN col = 0 THEN _i.indexdef ELSE _i.colnames[col] END
        FROM askgres_catalog.pg.pg_index _i WHERE _i.indexrelid = ix);
CREATE MACRO askgres_catalog.pg.pg_get_viewdef(v) AS
    (SELECT _x.sql FROM duckdb_views() _x WHERE _x.view_oid = v),
    (v, pretty) AS (SELECT _x.sql FROM duckdb_views() _x WHERE _x.view_oid = v);
CREATE MACRO askgres_catalog.pg.pg_get_function_result(fn) AS
    (SELECT CASE WHEN _p.function_type = 'table_macro' THEN 'SETOF record'
                 ELSE coalesce(lower(_p.return_type), 'anyelement') END
     FROM askgres_catalog.pg.procs _p WHERE _p.oid = fn);
CREATE MACRO askgres_catalog.pg.pg_get_function_arguments(fn) AS
    (SELECT array_to_string(list_transform(_p.parameters, lambda x: x || ' anyelement'), ', ')
     FROM askgres_catalog.pg.procs _p WHERE _p.oid = fn);
CREATE MACRO askgres_catalog.pg.pg_get_function_identity_arguments(fn) AS
    askgres_catalog.pg.pg_get_function_arguments(fn);
CREATE MACRO askgres_catalog.pg.pg_get_serial_sequence(tbl, col) AS CAST(NULL AS VARCHAR);
CREATE MACRO askgres_catalog.pg.pg_get_partkeydef(rel) AS CAST(NULL AS VARCHAR);
CREATE MACRO askgres_catalog.pg.pg_get_statisticsobjdef_columns(stat) AS CAST(NULL AS VARCHAR);
CREATE MACRO askgres_catalog.pg.pg_relation_is_publishable(rel) AS false;
CREATE MACRO askgres_catalog.pg.pg_tablespace_location(spc) AS '';

-- Comments (COMMENT ON ... in DuckDB).
CREATE MACRO askgres_catalog.pg.obj_description(obj) AS
    (SELECT _d.description FROM askgres_catalog.pg.pg_description _d
     WHERE _d.objoid = obj AND _d.objsubid = 0 LIMIT 1),
    (obj, catalog_name) AS (SELECT _d.description FROM askgres_catalog.pg.pg_description _d
     WHERE _d.objoid = obj AND _d.objsubid = 0
       AND _d.classoid = askgres_catalog.pg.regclass_in(catalog_name) LIMIT 1);
CREATE MACRO askgres_catalog.pg.col_description(rel, col) AS
    (SELECT _d.description FROM askgres_catalog.pg.pg_description _d
     WHERE _d.objoid = rel AND _d.objsubid = col);
CREATE MACRO askgres_catalog.pg.shobj_description(obj, catalog_name) AS CAST(NULL AS VARCHAR);

-- Sizes: DuckDB keeps no per-relation sizes; PostgreSQL's size of an empty heap page.
CREATE MACRO askgres_catalog.pg.pg_relation_size(rel) AS CAST(0 AS BIGINT),
    (rel, fork) AS CAST(0 AS BIGINT);
CREATE MACRO askgres_catalog.pg.pg_total_relation_size(rel) AS CAST(0 AS BIGINT);
CREATE MACRO askgres_catalog.pg.pg_table_size(rel) AS CAST(0 AS BIGINT);
CREATE MACRO askgres_catalog.pg.pg_indexes_size(rel) AS CAST(0 AS BIGINT);
CREATE MACRO askgres_catalog.pg.pg_database_size(db) AS CAST(0 AS BIGINT);

-- Array helpers PostgreSQL's catalog queries use (one-dimensional arrays).
CREATE MACRO askgres_catalog.pg.array_upper(arr, dim) AS
    CASE WHEN dim = 1 AND len(arr) > 0 THEN CAST(len(arr) AS INTEGER) END;
CREATE MACRO askgres_catalog.pg.array_lower(arr, dim) AS
    CASE WHEN dim = 1 AND len(arr) > 0 THEN 1 END;
-- information_schema._pg_expandarray(arr): one row (x, n) per element, as PgJDBC reads keys.
CREATE MACRO askgres_catalog.pg._pg_expandarray(arr) AS
    unnest(list_transform(range(1, len(arr) + 1), lambda i: {'x': arr[i], 'n': CAST(i AS INTEGER)}));

CREATE MACRO askgres_catalog.pg.quote_ident(name) AS
    CASE WHEN regexp_full_match(name, '[a-z_][a-z0-9_$]*') THEN name
         ELSE '"' || replace(name, '"', '""') || '"' END;
-- set_config(name, value, is_local): DuckDB cannot change PostgreSQL settings; answers the value
-- as PostgreSQL does (asyncpg's JIT probe reads it). The proxy owns real SET semantics.
CREATE MACRO askgres_catalog.pg.set_config(name, value, is_local) AS value;
CREATE MACRO askgres_catalog.pg.pg_get_triggerdef(trigger_oid) AS CAST(NULL AS VARCHAR),
    (trigger_oid, pretty) AS CAST(NULL AS VARCHAR);
-- pg_partition_ancestors(rel): DuckDB has no partitions, a relation is its own only ancestor.
CREATE MACRO askgres_catalog.pg.pg_partition_ancestors(rel) AS TABLE SELECT CAST(rel AS UINTEGER) AS relid, 1 AS depth;

-- askgres takes no advisory locks, so releasing them all is a no-op (asyncpg's pool calls it on
-- every connection release).
CREATE MACRO askgres_catalog.pg.pg_advisory_unlock_all() AS CAST(NULL AS VARCHAR);

-- pg_typeof(x): PostgreSQL's name for the DuckDB type of x ('integer', 'numeric', 'text').
CREATE MACRO askgres_catalog.pg.pg_typeof(x) AS askgres_catalog.pg.format_type(
    CASE WHEN askgres_catalog.pg.duck_is_array(typeof(x))
         THEN (SELECT _d.typarray FROM askgres_catalog.pg.duck_types _dt
               JOIN askgres_catalog.pg.type_data _d ON _d.oid = _dt.pg_oid
               WHERE _dt.duck_name = askgres_catalog.pg.duck_base_type(typeof(x)))
         ELSE coalesce((SELECT _dt.pg_oid FROM askgres_catalog.pg.duck_types _dt
                        WHERE _dt.duck_name = askgres_catalog.pg.duck_base_type(typeof(x))), 25) END, NULL);

-- justify_hours / justify_days as PostgreSQL's interval_justify_*: whole days out of the
-- time part (24 hours), whole months out of the days (30 days), signs made to agree.
CREATE MACRO askgres_catalog.pg.interval_months(i) AS datepart('year', i) * 12 + datepart('month', i);
CREATE MACRO askgres_catalog.pg.interval_time_us(i) AS
    datepart('hour', i) * CAST(3600000000 AS BIGINT) + datepart('minute', i) * CAST(60000000 AS BIGINT)
    + datepart('microseconds', i);
CREATE MACRO askgres_catalog.pg.justified_hours(m, d, t) AS
    to_months(CAST(m AS INTEGER))
    + to_days(CAST(d + CASE WHEN d > 0 AND t < 0 THEN -1 WHEN d < 0 AND t > 0 THEN 1 ELSE 0 END AS INTEGER))
    + to_microseconds(t + CASE WHEN d > 0 AND t < 0 THEN CAST(86400000000 AS BIGINT)
                               WHEN d < 0 AND t > 0 THEN CAST(-86400000000 AS BIGINT) ELSE 0 END);
CREATE MACRO askgres_catalog.pg.justify_hours(i) AS askgres_catalog.pg.justified_hours(
    askgres_catalog.pg.interval_months(i),
    datepart('day', i) + askgres_catalog.pg.interval_time_us(i) // CAST(86400000000 AS BIGINT),
    askgres_catalog.pg.interval_time_us(i) % CAST(86400000000 AS BIGINT));
CREATE MACRO askgres_catalog.pg.justified_days(m, d, t) AS
    to_months(CAST(m + CASE WHEN m > 0 AND d < 0 THEN -1 WHEN m < 0 AND d > 0 THEN 1 ELSE 0 END AS INTEGER))
    + to_days(CAST(d + CASE WHEN m > 0 AND d < 0 THEN 30 WHEN m < 0 AND d > 0 THEN -30 ELSE 0 END AS INTEGER))
    + to_microseconds(t);
CREATE MACRO askgres_catalog.pg.justify_days(i) AS askgres_catalog.pg.justified_days(
    askgres_catalog.pg.interval_months(i) + datepart('day', i) // 30, datepart('day', i) % 30,
    askgres_catalog.pg.interval_time_us(i));
