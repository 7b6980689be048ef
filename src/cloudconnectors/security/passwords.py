"""Password and API-token hashing with the standard library's scrypt and SHA-256."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
TOKEN_PREFIX = "cc_"


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt + digest).decode()


def verify_password(password: str, stored: str | None) -> bool:
    if not stored or not stored.startswith("scrypt$"):
        return False
    blob = base64.b64decode(stored.removeprefix("scrypt$"))
    salt, expected = blob[:16], blob[16:]
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return hmac.compare_digest(digest, expected)


def new_api_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """API tokens are long and random, so one SHA-256 is enough and lookups stay indexed."""
    return hashlib.sha256(token.encode()).hexdigest()
