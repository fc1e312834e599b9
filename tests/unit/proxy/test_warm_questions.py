"""Server.warm_questions: the background start-up warm-up (with the real model: tests/ask_wire)."""

from __future__ import annotations

from askgres.proxy.config import load_config
from askgres.proxy.server import Server


def _server(tmp_path, **llm) -> Server:
    config = load_config(None, environ={}, overrides={"llm": llm})
    return Server(config)


def test_a_missing_model_is_reported_at_start_up_and_the_server_keeps_serving(tmp_path, capsys):
    server = _server(tmp_path, model_path=str(tmp_path / "missing.gguf"))
    try:
        thread = server.warm_questions()
        thread.join(60)
        out = capsys.readouterr().out
        assert "not ready for questions" in out and "missing.gguf does not exist" in out
        assert "set [llm] model_path" in out          # the hint says what to do
    finally:
        server.engine.close()


def test_warming_can_be_turned_off(tmp_path):
    server = _server(tmp_path, warm_on_start=False)
    try:
        assert server.warm_questions() is None
    finally:
        server.engine.close()
