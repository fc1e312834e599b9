"""Corpus queries Spark answers differently from PostgreSQL (strict xfails, with reasons):
query id -> (reason, the exception the failure raises)."""

from askgres.engines.errors import EngineError

WRONG = AssertionError  # runs, but the answer differs
FAILS = EngineError     # Spark rejects the statement

SPARK_GAPS: dict[str, tuple[str, type[BaseException]]] = {
    "aggregates:array_agg_ordered": ("answer differs from PostgreSQL on Spark", WRONG),
    "aggregates:array_agg_with_nulls": ("answer differs from PostgreSQL on Spark", WRONG),
    "aggregates:percentile_cont_by_group": ("answer differs from PostgreSQL on Spark", WRONG),
    "aggregates:aggregate_on_empty_set": ("answer differs from PostgreSQL on Spark", WRONG),
    "dates:date_trunc_units": ("answer differs from PostgreSQL on Spark", WRONG),
    "dates:age_function": ("Spark rejects it: [UNRESOLVED_ROUTINE] Cannot resolve routine `AGE` on search path [`system`.`builtin`, `sys", FAILS),
    "dates:to_date_to_timestamp": ("Spark rejects it: [INVALID_DATETIME_PATTERN.ILLEGAL_CHARACTER] Unrecognized datetime pattern: d Mon yyyy. Il", FAILS),
    "dates:to_timestamp_epoch": ("answer differs from PostgreSQL on Spark", WRONG),
    "dates:group_by_month": ("answer differs from PostgreSQL on Spark", WRONG),
    "dates:interval_literals": ("Spark rejects it: Cannot mix year-month and day-time fields: INTERVAL '1 year 2 months 3 days'.", FAILS),
    "dates:interval_extract": ("Spark rejects it: [INVALID_EXTRACT_FIELD] Cannot extract `EPOCH` from 'INTERVAL '1 02' DAY TO HOUR'. SQLSTAT", FAILS),
    "dates:timestamptz_at_time_zone": ("answer differs from PostgreSQL on Spark", WRONG),
    "dates:date_part_epoch_diff": ("Spark rejects it: [DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve 'CAST((CAST(shipped_on AS TIMES", FAILS),
    "dates:justify_and_isfinite": ("Spark rejects it: [UNRESOLVED_ROUTINE] Cannot resolve routine `JUSTIFY_HOURS` on search path [`system`.`buil", FAILS),
    "dates:justify_signs": ("Spark rejects it: Cannot mix year-month and day-time fields: INTERVAL '1 month -35 days' "
                            "(and Spark has no justify_hours/justify_days)", FAILS),
    "dates:last_day_of_month": ("Spark rejects it: Cannot mix year-month and day-time fields: INTERVAL '1 month - 1 day'.", FAILS),
    "numeric:trunc_ceil_floor": ("answer differs from PostgreSQL on Spark", WRONG),
    "numeric:exp_ln_log": ("answer differs from PostgreSQL on Spark", WRONG),
    "numeric:width_bucket_gcd": ("Spark rejects it: [UNRESOLVED_ROUTINE] Cannot resolve routine `GCD` on search path [`system`.`builtin`, `sys", FAILS),
    "numeric:to_char_numbers": ("answer differs from PostgreSQL on Spark", WRONG),
    # to_char(number, template) is translated for DuckDB only (engines/duckdb/rewrites/number_templates.py);
    # on Spark, sqlglot reads the number template as a date pattern ('D' becomes dayofweek)
    "numeric:to_char_number_signs_and_groups": ("Spark rejects it: to_char's number template is read as a date "
                                                "pattern (D -> dayofweek of a DECIMAL)", FAILS),
    "numeric:to_char_number_fill_mode_and_zeros": ("to_char's number template is not translated for Spark", WRONG),
    "numeric:to_char_number_overflow_and_shift": ("to_char's number template is not translated for Spark", WRONG),
    "numeric:to_char_number_columns": ("Spark rejects it: to_char's number template is read as a date pattern "
                                       "(D -> dayofweek of a DECIMAL)", FAILS),
    "numeric:to_char_number_columns_people": ("Spark rejects it: to_char's number template is read as a date "
                                              "pattern (D -> dayofweek of a DECIMAL)", FAILS),
    "numeric:to_char_number_unsupported_templates": ("to_char's number template is not translated for Spark "
                                                     "(and PostgreSQL-only templates)", WRONG),
    "queries:any_all": ("Spark rejects it: [PARSE_SYNTAX_ERROR] Syntax error at or near '('. SQLSTATE: 42601 (line 1, pos 65)", FAILS),
    "strings:concat_function_skips_nulls": ("Spark rejects it: [CAST_INVALID_INPUT] The value '' of the type 'STRING' cannot be cast to 'BIGINT' because ", FAILS),
    "strings:upper_lower_initcap": ("answer differs from PostgreSQL on Spark", WRONG),
    "strings:substring_edge_cases": ("answer differs from PostgreSQL on Spark", WRONG),
    "strings:left_right": ("answer differs from PostgreSQL on Spark", WRONG),
    "strings:regexp_replace_first_only": ("answer differs from PostgreSQL on Spark", WRONG),
    "strings:regexp_replace_case_insensitive": ("answer differs from PostgreSQL on Spark", WRONG),
    "strings:regexp_match_array": ("Spark rejects it: [UNRESOLVED_ROUTINE] Cannot resolve routine `REGEXP_MATCH` on search path [`system`.`built", FAILS),
    "strings:starts_with_and_quote": ("Spark rejects it: [UNRESOLVED_ROUTINE] Cannot resolve routine `QUOTE_IDENT` on search path [`system`.`builti", FAILS),
    "strings:format_function": ("answer differs from PostgreSQL on Spark", WRONG),
    "strings:to_hex_and_encode": ("Spark rejects it: [INVALID_PARAMETER_VALUE.CHARSET] The value of parameter(s) `charset` in `encode` is inval", FAILS),
    "strings:string_to_array_and_back": ("Spark rejects it: [UNRESOLVED_ROUTINE] Cannot resolve routine `STRING_TO_ARRAY` on search path [`system`.`bu", FAILS),
    "types:cast_to_varchar_length": ("answer differs from PostgreSQL on Spark", WRONG),
    "types:array_length_empty_literal": ("Spark rejects it: [DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve '{}' due to data type mismatch:", FAILS),
    "types:array_operators": ("Spark rejects it: [PARSE_SYNTAX_ERROR] Syntax error at or near '@'. SQLSTATE: 42601 (line 1, pos 36)", FAILS),
    "types:json_nested_access": ("Spark rejects it: [UNRESOLVED_ROUTINE] Cannot resolve routine `JSONB_EXTRACT_SCALAR` on search path [`system", FAILS),
    "types:json_typeof_and_build": ("Spark rejects it: [UNRESOLVED_ROUTINE] Cannot resolve routine `JSON_TYPEOF` on search path [`system`.`builti", FAILS),
    "types:json_array_length": ("Spark rejects it: [INVALID_LAMBDA_FUNCTION_CALL.NON_HIGHER_ORDER_FUNCTION] Invalid lambda function call. A l", FAILS),
    "types:jsonb_cast_and_contains": ("Spark rejects it: [PARSE_SYNTAX_ERROR] Syntax error at or near '@'. SQLSTATE: 42601 (line 1, pos 72)", FAILS),
    "types:typeof_pg": ("Spark rejects it: [UNRESOLVED_ROUTINE] Cannot resolve routine `PG_TYPEOF` on search path [`system`.`builtin`", FAILS),
    "windows:first_last_value": ("Spark rejects it: [PARSE_SYNTAX_ERROR] Syntax error at or near '('. SQLSTATE: 42601 (line 1, pos 97)", FAILS),
    "column_names:names_of_date_functions": ("answer differs from PostgreSQL on Spark", WRONG),
    "edge_cases:round_double_half_even": ("answer differs from PostgreSQL on Spark", WRONG),
    "edge_cases:extract_century_julian": ("Spark rejects it: [INVALID_EXTRACT_FIELD] Cannot extract `CENTURY` from 'CAST(2024-03-05 AS DATE)'. SQLSTATE", FAILS),
    "edge_cases:array_concat_operator": ("Spark rejects it: [DATATYPE_MISMATCH.DATA_DIFF_TYPES] Cannot resolve 'concat(array(1, 2), 3)' due to data ty", FAILS),
    "edge_cases:array_slice": ("Spark rejects it: [PARSE_SYNTAX_ERROR] Syntax error at or near '3'. SQLSTATE: 42601 (line 1, pos 33)", FAILS),
    "edge_cases:any_array_literal": ("Spark rejects it: [UNRESOLVED_ROUTINE] Cannot resolve routine `ALL` on search path [`system`.`builtin`, `sys", FAILS),
    "edge_cases:regexp_split_to_table": ("Spark rejects it: [UNRESOLVED_ROUTINE] Cannot resolve routine `REGEXP_SPLIT_TO_TABLE` on search path [`syste", FAILS),
    "edge_cases:string_to_array_with_null_string": ("Spark rejects it: [UNRESOLVED_ROUTINE] Cannot resolve routine `STRING_TO_ARRAY` on search path [`system`.`bu", FAILS),
    "edge_cases:similar_to": ("Spark rejects it: [PARSE_SYNTAX_ERROR] Syntax error at or near 'TO'. SQLSTATE: 42601 (line 1, pos 21)", FAILS),
    "edge_cases:timestamptz_at_named_zone": ("answer differs from PostgreSQL on Spark", WRONG),
    "edge_cases:timestamp_at_named_zone": ("answer differs from PostgreSQL on Spark", WRONG),
    "edge_cases:generate_series_dates_from_date": ("answer differs from PostgreSQL on Spark", WRONG),
    "edge_cases:initcap_punctuation": ("answer differs from PostgreSQL on Spark", WRONG),
}
