"""Settings of the embedded DuckDB engine."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class DuckDBConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    database: str = Field(":memory:", description="DuckDB database file to serve; ':memory:' for an in-memory database.")
    read_only: bool = Field(False, description="Open the database file read-only (no writes, no DDL).")
    data_dir: str | None = Field(None, description="Directory of Parquet/CSV files served as tables (one table per file or per folder of Parquet files).")
    threads: int | None = Field(None, description="DuckDB worker threads (default: all cores).")
    memory_limit: str | None = Field(None, description="DuckDB memory limit, e.g. '4GB' (default: DuckDB's, 80% of RAM).")
    batch_rows: int = Field(65536, description="Rows per Arrow record batch streamed to clients.")
    allowed_directories: tuple[str, ...] = Field((), description="Extra directories DuckDB may read even though external file access is off for network sessions.")
