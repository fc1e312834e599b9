"""Session settings (GUCs): SET / SHOW / RESET and the ParameterStatus values clients see.

askgres keeps these per session in the proxy; the engines never see them (DuckDB's own
configuration is locked for network sessions). Unknown names are stored as PostgreSQL does
for custom (dotted) names and refused otherwise, so typos get a clear 42704.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import PgError


@dataclass(frozen=True)
class Guc:
    default: str
    reported: bool = False  # sent as ParameterStatus at startup and when it changes
    choices: tuple[str, ...] = ()
    description: str = ""


GUCS: dict[str, Guc] = {
    "server_version": Guc("15.0 (askgres)", True),
    "server_version_num": Guc("150000"),
    "server_encoding": Guc("UTF8", True),
    "client_encoding": Guc("UTF8", True, ("UTF8", "UTF-8", "UNICODE")),
    "datestyle": Guc("ISO, MDY", True),
    "timezone": Guc("UTC", True),
    "intervalstyle": Guc("postgres", True, ("postgres",)),
    "integer_datetimes": Guc("on", True),
    "standard_conforming_strings": Guc("on", True, ("on",)),
    "application_name": Guc("", True),
    "is_superuser": Guc("on", True),
    "session_authorization": Guc("", True),
    "default_transaction_read_only": Guc("off", True),
    "in_hot_standby": Guc("off", True),
    "search_path": Guc('"$user", public'),
    "extra_float_digits": Guc("1"),
    "statement_timeout": Guc("0"),
    "lock_timeout": Guc("0"),
    "idle_in_transaction_session_timeout": Guc("0"),
    "transaction_isolation": Guc("read committed"),
    "default_transaction_isolation": Guc("read committed"),
    "transaction_read_only": Guc("off"),
    "max_identifier_length": Guc("63"),
    "bytea_output": Guc("hex", choices=("hex",)),
    "lc_messages": Guc("C"),
    "lc_monetary": Guc("C"),
    "lc_numeric": Guc("C"),
    "lc_time": Guc("C"),
    "lc_collate": Guc("C"),
    "lc_ctype": Guc("C"),
    "client_min_messages": Guc("notice"),
    "row_security": Guc("on"),
    "synchronous_commit": Guc("on"),
    "jit": Guc("off"),
    "max_connections": Guc("200"),
    "block_size": Guc("8192"),
    "askgres.engine": Guc("duckdb", choices=("duckdb", "spark", "auto"),
                          description="Engine for this session's statements."),
    "askgres.ask_mode": Guc("run", choices=("run", "sql"),
                            description="run: answer -- ask: questions with rows; sql: return the SQL only."),
}

# Names PostgreSQL reports with capitals in ParameterStatus.
DISPLAY_NAMES = {"datestyle": "DateStyle", "timezone": "TimeZone", "intervalstyle": "IntervalStyle"}

TIMEZONE_ALIASES = {"utc": "UTC", "etc/utc": "Etc/UTC", "gmt": "GMT", "z": "UTC"}


class Settings:
    def __init__(self, startup: dict[str, str] | None = None, *, server_version: str = "15.0") -> None:
        self.values = {name: guc.default for name, guc in GUCS.items()}
        self.values["server_version"] = server_version
        self.startup: dict[str, str] = {}
        for name, value in (startup or {}).items():
            key = name.lower()
            if key in GUCS or "." in key:
                try:
                    self.set(key, value)
                    self.startup[key] = self.values[key]
                except PgError:
                    pass  # a bad startup option is ignored rather than refusing the connection

    def get(self, name: str) -> str:
        key = name.lower()
        if key == "all":
            raise PgError("SHOW ALL is answered by show_all()", "0A000")
        if key not in self.values:
            raise PgError(f'unrecognized configuration parameter "{name}"', "42704")
        return self.values[key]

    def set(self, name: str, value: str) -> str | None:
        """Set a value; returns the ParameterStatus name if clients must be told."""
        key = name.lower()
        guc = GUCS.get(key)
        if guc is None and "." not in key:
            raise PgError(f'unrecognized configuration parameter "{name}"', "42704")
        if guc and guc.choices and value.upper() not in {c.upper() for c in guc.choices}:
            raise PgError(f'invalid value for parameter "{name}": "{value}"', "22023",
                          hint="Available values: " + ", ".join(guc.choices) + ".")
        if key in ("server_version", "server_encoding", "integer_datetimes", "is_superuser", "max_identifier_length"):
            raise PgError(f'parameter "{name}" cannot be changed', "55P02")
        if key == "client_encoding":
            value = "UTF8"
        if key == "timezone":
            value = TIMEZONE_ALIASES.get(value.lower(), value)
        if key == "statement_timeout":
            value = str(parse_duration_ms(value))
        self.values[key] = value
        return DISPLAY_NAMES.get(key, key) if guc and guc.reported else None

    def reset(self, name: str) -> str | None:
        key = name.lower()
        if key not in GUCS and key not in self.values:
            raise PgError(f'unrecognized configuration parameter "{name}"', "42704")
        default = self.startup.get(key, GUCS[key].default if key in GUCS else "")
        if key in GUCS:
            self.values[key] = default
        else:
            self.values.pop(key, None)
        return DISPLAY_NAMES.get(key, key) if key in GUCS and GUCS[key].reported else None

    def reset_all(self) -> list[str]:
        changed = []
        for key in list(self.values):
            if key in ("server_version", "session_authorization", "is_superuser"):
                continue
            if key in GUCS or key in self.values:
                before = self.values.get(key)
                name = self.reset(key)
                if name and self.values.get(key) != before:
                    changed.append(name)
        return changed

    def reported(self) -> list[tuple[str, str]]:
        return [(DISPLAY_NAMES.get(k, k), self.values[k]) for k, g in GUCS.items() if g.reported]

    def show_all(self) -> list[tuple[str, str, str]]:
        return [(k, v, GUCS[k].description if k in GUCS else "") for k, v in sorted(self.values.items())]

    @property
    def statement_timeout_ms(self) -> int:
        return int(self.values["statement_timeout"])


def parse_duration_ms(value: str) -> int:
    text = value.strip().lower().replace(" ", "")
    for unit, factor in (("ms", 1), ("min", 60000), ("s", 1000), ("h", 3600000), ("d", 86400000)):
        if text.endswith(unit) and text[: -len(unit)].replace(".", "", 1).isdigit():
            return int(float(text[: -len(unit)]) * factor)
    try:
        return int(float(text))
    except ValueError:
        raise PgError(f'invalid value for parameter "statement_timeout": "{value}"', "22023") from None
