"""[synth] configuration section."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SynthConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    batch_rows: int = Field(1 << 18, ge=1024, description="Rows per generated Arrow record batch "
                            "(256k keeps a batch's columns in cache; memory grows with it).")
    workers: int = Field(1, ge=1, le=64, description="Processes generating batches in parallel (1 = in process); output is identical for any value.")
    max_rows: int = Field(1_000_000_000, ge=1, description="Largest total row count one synthesize call may request.")
    default_seed: int = Field(0, description="Seed used when neither the call nor the spec gives one.")
    profile_sample_rows: int = Field(200_000, ge=100, description="Rows read from a table to profile it for synthesize(like => ...).")
