from __future__ import annotations

from pathlib import Path

import pytest

from askgres.proxy.config import ConfigError, load_config, settings_table

ROOT = Path(__file__).resolve().parents[3]


def test_every_setting_is_described_and_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    rows = settings_table()
    assert len(rows) > 10
    for key, _default, description in rows:
        assert description, f"setting {key} has no description"
        assert f"`{key}`" in readme, f"setting {key} is not documented in README.md"


def test_file_then_environment_then_overrides(tmp_path):
    path = tmp_path / "askgres.toml"
    path.write_text('[server]\nport = 6000\nhost = "127.0.0.1"\n[duckdb]\nthreads = 2\n')
    cfg = load_config(path, environ={"ASKGRES_SERVER_PORT": "6100", "ASKGRES_DUCKDB_READ_ONLY": "true"})
    assert cfg.server.port == 6100 and cfg.duckdb.threads == 2 and cfg.duckdb.read_only is True
    cfg = load_config(path, environ={"ASKGRES_SERVER_PORT": "6100"}, overrides={"server": {"port": 7000}})
    assert cfg.server.port == 7000


def test_bad_configuration_names_the_field(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[server]\nport = 'many'\n")
    with pytest.raises(ConfigError) as e:
        load_config(path, environ={})
    assert "server.port" in e.value.message
    with pytest.raises(ConfigError):
        load_config(tmp_path / "missing.toml", environ={})
    with pytest.raises(ConfigError) as e:
        load_config(None, environ={}, overrides={"server": {"prot": 1}})
    assert "server.prot" in e.value.message
