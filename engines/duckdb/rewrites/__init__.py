"""Our own Postgres -> DuckDB rewrites, one module per family, each a plain `Expr -> Expr`
function named for what it fixes. They run on sqlglot's Postgres AST before DuckDB SQL is
generated, after the catalog rewrites and after type annotation (see annotation.annotate)."""

from __future__ import annotations

from typing import Callable

from sqlglot import exp

from . import arrays, dates, functions, json_ops, numbers, rows, schemas, strings, templates

Rewrite = Callable[[exp.Expr], exp.Expr]

DIALECT_REWRITES: tuple[Rewrite, ...] = (
    schemas.public_schema_to_main,
    json_ops.arrow_in_function_args,
    json_ops.path_operators,
    json_ops.json_typeof_names,
    json_ops.jsonb_containment,
    templates.to_char_templates,
    templates.to_date_to_timestamp_templates,
    dates.extract_fractional_fields,
    dates.date_trunc_of_date_is_timestamptz,
    dates.interval_text_signs,
    dates.generate_series_of_dates_is_timestamptz,
    numbers.sign_keeps_argument_type,
    numbers.varchar_cast_truncates,
    numbers.numeric_division_stays_numeric,
    numbers.avg_of_exact_is_numeric,
    numbers.sum_of_integers_keeps_postgres_type,
    numbers.counts_are_int,
    numbers.bare_numeric_to_wide_decimal,
    numbers.round_double_half_even,
    numbers.interval_division,
    numbers.plain_division,
    arrays.array_text_literal_casts,
    arrays.array_length_of_empty_is_null,
    arrays.array_concat_operator,
    strings.like_default_escape,
    strings.substring_start_below_one,
    strings.similar_to_as_regex,
    strings.bytea_literal_input,
    functions.every_to_bool_and,
    functions.octet_length_of_text,
    functions.hex_is_lower_case,
    functions.format_to_printf,
    functions.json_build_object_to_json_object,
    functions.quote_literal_function,
    functions.regexp_match_without_groups,
    functions.width_bucket_formula,
    functions.string_to_array_null_string,
    rows.row_comparison_by_field,
)
