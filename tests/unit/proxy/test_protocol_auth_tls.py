"""Authentication (SCRAM-SHA-256, md5, cleartext) with users from a config file whose secrets
were made by `askgres passwd`, and TLS with a self-signed certificate, through real clients
(libpq via psycopg and psql, asyncpg) and a plain socket."""

from __future__ import annotations

import functools
import hashlib
import shutil
import subprocess
import sys

import pytest

from tests.support.missing import missing

from askgres.proxy.wire import messages as m
from pgwire_client import WireClient, errors, start_server, stop_server

psycopg = pytest.importorskip("psycopg")


@functools.lru_cache(maxsize=None)  # each run of the CLI imports the whole server: seconds
def passwd(user: str, password: str, *extra: str) -> str:
    out = subprocess.run([sys.executable, "-m", "askgres.proxy.cli", "passwd", user, "--password", password, *extra],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def users_config(method: str) -> str:
    return f"""
[auth]
method = "{method}"

[[auth.users]]
name = "alice"
password = "{passwd('alice', 'wonderland')}"

[[auth.users]]
name = "bob"
password = "{passwd('bob', 'builder', '--md5')}"
"""


@pytest.fixture(scope="module", params=["scram-sha-256", "md5", "password"])
def auth_server(request, tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("auth"), users_config(request.param))
    server.method = request.param
    yield server
    stop_server(server)


def dsn(server, user: str, password: str | None, **extra: str) -> str:
    parts = [f"host={server.host}", f"port={server.port}", f"user={user}", "dbname=askgres", "connect_timeout=10"]
    if password is not None:
        parts.append(f"password={password}")
    parts += [f"{k}={v}" for k, v in extra.items()]
    return " ".join(parts)


def test_secrets_have_postgres_shapes():
    assert passwd("alice", "wonderland").startswith("SCRAM-SHA-256$4096:")
    md5 = passwd("bob", "builder", "--md5")
    assert md5 == "md5" + hashlib.md5(b"builderbob").hexdigest()


@pytest.mark.parametrize("user, password", [("alice", "wonderland"), ("bob", "builder")])
def test_right_password_connects(auth_server, user, password):
    if auth_server.method == "scram-sha-256" and user == "bob":
        # an md5 secret cannot answer a SCRAM exchange, as in PostgreSQL
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(dsn(auth_server, user, password))
        return
    with psycopg.connect(dsn(auth_server, user, password)) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (user,)


@pytest.mark.parametrize("user", ["alice", "bob", "mallory"])
def test_wrong_password_is_refused(auth_server, user):
    with pytest.raises(psycopg.OperationalError) as e:
        psycopg.connect(dsn(auth_server, user, "wrong"))
    assert "password authentication failed" in str(e.value)


def test_missing_password_is_refused(auth_server):
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(dsn(auth_server, "alice", None), passfile="/nonexistent")


def test_asyncpg_sees_28p01(auth_server):
    asyncpg = pytest.importorskip("asyncpg")
    import asyncio

    async def go():
        return await asyncpg.connect(host=auth_server.host, port=auth_server.port, user="alice",
                                     password="wrong", database="askgres")

    with pytest.raises(asyncpg.InvalidPasswordError) as e:
        asyncio.run(go())
    assert e.value.sqlstate == "28P01"


@pytest.mark.parametrize("auth_server", ["password"], indirect=True)  # the exchange a plain socket can drive
def test_wrong_cleartext_password_gets_28p01_and_a_clean_close(auth_server):
    client = WireClient(auth_server.host, auth_server.port)
    client.send(m.StartupMessage({"user": "alice", "database": "askgres"}))
    challenge = client.read()
    assert isinstance(challenge, m.Authentication) and challenge.code == 3  # cleartext
    client.send(m.PasswordMessage(b"not-it\0"))
    msgs = []
    try:
        while True:
            msgs.append(client.read())
    except Exception:  # Closed: the server hung up after its one ErrorResponse
        pass
    assert [type(x).__name__ for x in msgs] == ["ErrorResponse"]
    err = errors(msgs)[0]
    assert (err.get("C"), err.get("S")) == ("28P01", "FATAL")
    assert err.get("M") == 'password authentication failed for user "alice"'
    with psycopg.connect(dsn(auth_server, "alice", "wonderland")) as conn:  # others still get in
        assert conn.execute("SELECT 1").fetchone() == (1,)


# ---------------------------------------------------------------- TLS


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    if shutil.which("openssl") is None:
        missing("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "server.crt", folder / "server.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    server = start_server(folder, f'\n[server]\ntls_cert = "{cert}"\ntls_key = "{key}"\n')
    server.cert = cert
    yield server
    stop_server(server)


def test_psycopg_sslmode_require(tls_server):
    with psycopg.connect(dsn(tls_server, "askgres", None, sslmode="require")) as conn:
        assert conn.pgconn.ssl_in_use
        assert conn.execute("SELECT 6 * 7").fetchone() == (42,)


def test_psycopg_verify_full_with_the_certificate(tls_server):
    with psycopg.connect(dsn(tls_server, "askgres", None, sslmode="verify-full", sslrootcert=str(tls_server.cert))) as conn:
        assert conn.pgconn.ssl_in_use


def test_plain_connection_still_accepted(tls_server):
    with psycopg.connect(dsn(tls_server, "askgres", None, sslmode="disable")) as conn:
        assert not conn.pgconn.ssl_in_use


def test_psql_sslmode_require(tls_server):
    if shutil.which("psql") is None:
        missing("psql is not installed")
    proc = subprocess.run(["psql", "-X", f"host={tls_server.host} port={tls_server.port} user=askgres dbname=askgres "
                           "sslmode=require", "-c", "\\conninfo", "-c", "SELECT 'over tls'"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "SSL connection" in proc.stdout and "over tls" in proc.stdout


def test_sslmode_require_fails_without_certificate(tmp_path):
    server = start_server(tmp_path)
    try:
        with pytest.raises(psycopg.OperationalError) as e:
            psycopg.connect(dsn(server, "askgres", None, sslmode="require"))
        assert "SSL" in str(e.value)
    finally:
        stop_server(server)
