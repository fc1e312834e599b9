"""Synthetic data: a typed spec -> Arrow record batches, deterministic and vectorised."""

from .checks import check_feasible
from .errors import GenerationCancelled, InfeasibleSpecError, SpecError, SynthError
from .generate import generate, table_order, table_reader
from .output import scale_rows, with_progress, write_parquet
from .plan import arrow_schema
from .profile import profile, profile_spec
from .spec import ColumnSpec, Spec, TableSpec, from_dict, parse_spec, spec_json_schema, validate_model_spec
from .stories import story_to_spec
from .validate import Report, validate, validation_queries

__all__ = [
    "ColumnSpec", "GenerationCancelled", "InfeasibleSpecError", "Report", "Spec", "SpecError", "SynthError", "TableSpec",
    "arrow_schema", "check_feasible", "from_dict", "generate", "parse_spec", "profile", "profile_spec", "scale_rows",
    "spec_json_schema", "story_to_spec", "table_order", "table_reader", "validate", "validate_model_spec",
    "validation_queries", "with_progress", "write_parquet",
]
