"""Synthetic data: a typed spec -> Arrow record batches, deterministic and vectorised."""

from .checks import check_feasible
from .errors import GenerationCancelled, InfeasibleSpecError, SpecError, SynthError
from .generate import generate, table_order, table_reader
from .plan import arrow_schema
from .spec import ColumnSpec, Spec, TableSpec, parse_spec, spec_json_schema, validate_model_spec

__all__ = [
    "ColumnSpec", "GenerationCancelled", "InfeasibleSpecError", "Spec", "SpecError", "SynthError", "TableSpec",
    "arrow_schema", "check_feasible", "generate", "parse_spec", "spec_json_schema", "table_order", "table_reader",
    "validate_model_spec",
]
