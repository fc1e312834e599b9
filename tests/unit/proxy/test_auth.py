from __future__ import annotations

import base64
import hashlib
import hmac

from askgres.proxy import auth


def client_scram(password: str, exchange: auth.ScramExchange) -> tuple[bytes, bytes]:
    """A minimal SCRAM client (RFC 5802), independent of the server code paths under test."""
    client_nonce = "rOprNGfwEbeRWgbNEkqO"
    first_bare = f"n=,r={client_nonce}"
    server_first = exchange.first(f"n,,{first_bare}".encode()).decode()
    attrs = dict(kv.split("=", 1) for kv in server_first.split(","))
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(attrs["s"]), int(attrs["i"]))
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    stored = hashlib.sha256(client_key).digest()
    without_proof = f"c={base64.b64encode(b'n,,').decode()},r={attrs['r']}"
    auth_msg = f"{first_bare},{server_first},{without_proof}".encode()
    sig = hmac.new(stored, auth_msg, "sha256").digest()
    proof = base64.b64encode(bytes(a ^ b for a, b in zip(client_key, sig))).decode()
    return f"{without_proof},p={proof}".encode(), salted


def test_scram_accepts_the_right_password_and_proves_the_server():
    secret = auth.scram_secret("s3cret")
    exchange = auth.ScramExchange(secret)
    final, salted = client_scram("s3cret", exchange)
    server_final = exchange.final(final)
    assert server_final is not None
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    assert server_final.startswith(b"v=")
    assert base64.b64decode(server_final[2:]) == hmac.new(
        server_key, f"n=,r=rOprNGfwEbeRWgbNEkqO,{exchange.server_first},{final.decode().rpartition(',p=')[0]}".encode(),
        "sha256").digest()


def test_scram_rejects_a_wrong_password():
    exchange = auth.ScramExchange(auth.scram_secret("s3cret"))
    final, _ = client_scram("wrong", exchange)
    assert exchange.final(final) is None


def test_md5_response_matches_libpq_formula():
    secret = auth.md5_secret("alice", "pw")
    salt = b"\x01\x02\x03\x04"
    response = "md5" + hashlib.md5(secret[3:].encode() + salt).hexdigest()
    assert auth.verify_md5_response(secret, salt, response)
    assert not auth.verify_md5_response(secret, salt, "md5" + "0" * 32)


def test_cleartext_against_both_secret_kinds():
    assert auth.verify_cleartext(auth.scram_secret("pw"), "bob", "pw")
    assert not auth.verify_cleartext(auth.scram_secret("pw"), "bob", "nope")
    assert auth.verify_cleartext(auth.md5_secret("bob", "pw"), "bob", "pw")
    assert not auth.verify_cleartext(auth.md5_secret("bob", "pw"), "eve", "pw")
