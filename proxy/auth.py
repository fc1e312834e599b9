"""Password authentication: cleartext, md5 and SCRAM-SHA-256 (RFC 5802 / 7677), with secrets
stored hashed exactly as PostgreSQL stores them (so they can be copied from pg_authid).

The exchange itself lives in the connection; this module only computes and verifies.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

SCRAM_ITERATIONS = 4096


def md5_secret(user: str, password: str) -> str:
    return "md5" + hashlib.md5((password + user).encode()).hexdigest()


def scram_secret(password: str, *, salt: bytes | None = None, iterations: int = SCRAM_ITERATIONS) -> str:
    salt = salt or secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


@dataclass(frozen=True)
class ScramSecret:
    iterations: int
    salt: bytes
    stored_key: bytes
    server_key: bytes

    @classmethod
    def parse(cls, text: str) -> ScramSecret:
        try:
            method, rest = text.split("$", 1)
            iter_salt, keys = rest.split("$", 1)
            iterations, salt = iter_salt.split(":", 1)
            stored, server = keys.split(":", 1)
            if method != "SCRAM-SHA-256":
                raise ValueError(method)
            return cls(int(iterations), base64.b64decode(salt), base64.b64decode(stored), base64.b64decode(server))
        except ValueError:
            raise ValueError("not a SCRAM-SHA-256 secret") from None


def verify_cleartext(secret: str, user: str, password: str) -> bool:
    if secret.startswith("SCRAM-SHA-256$"):
        s = ScramSecret.parse(secret)
        return hmac.compare_digest(scram_secret(password, salt=s.salt, iterations=s.iterations), secret)
    if secret.startswith("md5"):
        return hmac.compare_digest(md5_secret(user, password), secret)
    return False


def verify_md5_response(secret: str, salt: bytes, response: str) -> bool:
    """The client sends 'md5' + md5(md5(password + user) + salt)."""
    expected = "md5" + hashlib.md5(secret[3:].encode() + salt).hexdigest()
    return hmac.compare_digest(expected, response)


class ScramExchange:
    """Server side of one SCRAM-SHA-256 exchange (no channel binding)."""

    def __init__(self, secret: str) -> None:
        self.secret = ScramSecret.parse(secret)
        self.server_nonce = base64.b64encode(secrets.token_bytes(18)).decode()

    def first(self, client_first: bytes) -> bytes:
        text = client_first.decode()
        gs2, _, bare = text.partition(",,") if text.startswith(("n,", "y,")) else ("", "", "")
        if not bare:
            raise ValueError("malformed SCRAM client-first-message (channel binding is not supported)")
        self.gs2_header = gs2 + ",,"
        attrs = dict(kv.split("=", 1) for kv in bare.split(",") if "=" in kv)
        self.client_first_bare = bare
        self.nonce = attrs["r"] + self.server_nonce
        salt = base64.b64encode(self.secret.salt).decode()
        self.server_first = f"r={self.nonce},s={salt},i={self.secret.iterations}"
        return self.server_first.encode()

    def final(self, client_final: bytes) -> bytes | None:
        """Returns the server-final message, or None when the proof is wrong."""
        text = client_final.decode()
        without_proof, _, proof_b64 = text.rpartition(",p=")
        attrs = dict(kv.split("=", 1) for kv in without_proof.split(",") if "=" in kv)
        if attrs.get("r") != self.nonce:
            return None
        if base64.b64decode(attrs.get("c", "")) != self.gs2_header.encode():
            return None
        auth_message = f"{self.client_first_bare},{self.server_first},{without_proof}".encode()
        signature = hmac.new(self.secret.stored_key, auth_message, "sha256").digest()
        proof = base64.b64decode(proof_b64)
        if len(proof) != len(signature):
            return None
        client_key = bytes(a ^ b for a, b in zip(proof, signature))
        if not hmac.compare_digest(hashlib.sha256(client_key).digest(), self.secret.stored_key):
            return None
        server_signature = hmac.new(self.secret.server_key, auth_message, "sha256").digest()
        return b"v=" + base64.b64encode(server_signature)
