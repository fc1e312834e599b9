"""One TOML file plus ASKGRES_<SECTION>_<FIELD> environment overrides, parsed here only.

Each package owns the model of its own section; this module composes them and hands each
package its frozen section. Nothing reads the environment at import time.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError

import typing

from askgres.engines.duckdb.config import DuckDBConfig
from askgres.engines.spark.config import SparkConfig
from askgres.guard.config import GuardConfig
from askgres.llm.config import LLMConfig
from askgres.synth.config import SynthConfig

from .errors import PgError

ENV_PREFIX = "ASKGRES_"


class ServerConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str = Field("127.0.0.1", description="Address to listen on.")
    port: int = Field(5433, description="TCP port to listen on (0 picks a free port).")
    tls_cert: str | None = Field(None, description="PEM certificate file; with tls_key, SSLRequest is answered with TLS.")
    tls_key: str | None = Field(None, description="PEM private key file for tls_cert.")
    max_connections: int = Field(200, description="Connections served at once; more are refused with 53300.")
    max_message_bytes: int = Field(64 * 1024 * 1024, description="Largest protocol message accepted from a client.")
    statement_timeout_ms: int = Field(0, description="Default statement_timeout in milliseconds (0: none).")
    demo: bool = Field(False, description="Load the small demo dataset (customers, products, orders) at startup when the database is empty.")
    server_version: str = Field("15.0 (askgres)", description="PostgreSQL version askgres reports (ParameterStatus server_version); the catalog emulates PostgreSQL 15.")


class UserConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(description="User name clients log in with.")
    password: str = Field(description="Hashed secret: 'SCRAM-SHA-256$...' or 'md5...' as PostgreSQL stores them (make one with `askgres passwd`).")
    role: str | None = Field(None, description="Guard role (policy) assigned to this user.")


class AuthConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    method: str = Field("scram-sha-256", description="Password method when users are configured: scram-sha-256, md5 or password (cleartext); trust accepts anyone.")
    users: tuple[UserConfig, ...] = Field((), description="Users and their hashed passwords; with none, any user connects without a password (like a fresh local PostgreSQL on loopback).")


class Config(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    server: ServerConfig = Field(default_factory=ServerConfig, description="Network and protocol settings.")
    auth: AuthConfig = Field(default_factory=AuthConfig, description="Authentication.")
    duckdb: DuckDBConfig = Field(default_factory=DuckDBConfig, description="The embedded DuckDB engine.")
    spark: SparkConfig = Field(default_factory=SparkConfig, description="The Apache Spark engine.")
    guard: GuardConfig = Field(default_factory=GuardConfig, description="Policies every statement is checked against.")
    llm: LLMConfig = Field(default_factory=LLMConfig, description="The local model answering -- ask: questions.")
    synth: SynthConfig = Field(default_factory=SynthConfig, description="CALL synthesize(...).")


class ConfigError(PgError):
    sqlstate = "F0000"


def settings_table(model: type[BaseModel] = Config, prefix: str = "") -> list[tuple[str, str, str]]:
    """(dotted key, default, description) of every setting, for docs and `askgres config`."""
    rows = []
    for name, field in model.model_fields.items():
        key = f"{prefix}{name}"
        ann = field.annotation
        args = typing.get_args(ann)
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            rows += settings_table(ann, key + ".")
        elif typing.get_origin(ann) is dict and isinstance(args[1], type) and issubclass(args[1], BaseModel):
            rows.append((key, "", field.description or ""))
            rows += settings_table(args[1], key + ".<name>.")
        else:
            default = "" if field.is_required() else repr(field.get_default(call_default_factory=True))
            rows.append((key, default, field.description or ""))
    return rows


def _coerce_env(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


def env_overrides(environ: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """ASKGRES_SERVER_PORT=6000 -> {'server': {'port': 6000}} for known sections."""
    out: dict[str, dict[str, Any]] = {}
    sections = {s.upper(): s for s in Config.model_fields}
    for key, value in environ.items():
        if not key.startswith(ENV_PREFIX):
            continue
        rest = key[len(ENV_PREFIX):]
        for upper, section in sections.items():
            if rest.startswith(upper + "_"):
                field = rest[len(upper) + 1:].lower()
                out.setdefault(section, {})[field] = _coerce_env(value)
    return out


def _merge(base: dict, extra: Mapping) -> dict:
    merged = dict(base)
    for k, v in extra.items():
        merged[k] = _merge(merged.get(k, {}), v) if isinstance(v, Mapping) and isinstance(merged.get(k), dict) else v
    return merged


def load_config(path: str | Path | None = None, *, environ: Mapping[str, str] | None = None,
                overrides: Mapping[str, Any] | None = None) -> Config:
    """File, then environment, then explicit overrides (command-line options) win."""
    data: dict = {}
    if path:
        try:
            data = tomllib.loads(Path(path).read_text())
        except FileNotFoundError:
            raise ConfigError(f"configuration file {path} does not exist") from None
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"configuration file {path} is not valid TOML: {e}") from None
    data = _merge(data, env_overrides(os.environ if environ is None else environ))
    data = _merge(data, overrides or {})
    try:
        return Config.model_validate(data)
    except ValidationError as e:
        problems = "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors())
        raise ConfigError(f"invalid configuration: {problems}") from None
