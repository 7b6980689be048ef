"""The OAuth2 token endpoint's check of a JWT-bearer grant (RFC 7523), as Google does it:
RS256 signature by a key registered for the issuer, Google's audience, a live expiry."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

GOOGLE_AUDIENCE = "https://oauth2.googleapis.com/token"
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"


class GrantRefused(Exception):
    """Answered as 400 ``{"error": "invalid_grant", "error_description": str(self)}``."""


def _segment(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_assertion(assertion: str, public_keys: dict[str, bytes],
                     disabled: bool = False) -> dict[str, Any]:
    """The claims of a valid assertion; :class:`GrantRefused` otherwise."""
    try:
        head, body, signature = assertion.split(".")
        header = json.loads(_segment(head))
        claims: dict[str, Any] = json.loads(_segment(body))
    except (ValueError, json.JSONDecodeError):
        raise GrantRefused("Invalid JWT: Token must be a short-lived token") from None
    if header.get("alg") != "RS256":
        raise GrantRefused("Invalid JWT: unsupported algorithm")
    pem = public_keys.get(str(header.get("kid")))
    if pem is None:
        raise GrantRefused("Invalid JWT Signature.")
    key = serialization.load_pem_public_key(pem)
    assert isinstance(key, rsa.RSAPublicKey)
    try:
        key.verify(_segment(signature), f"{head}.{body}".encode(), padding.PKCS1v15(),
                   hashes.SHA256())
    except InvalidSignature:
        raise GrantRefused("Invalid JWT Signature.") from None
    if claims.get("aud") != GOOGLE_AUDIENCE:
        raise GrantRefused("Invalid JWT: audience mismatch")
    now = time.time()
    if not (float(claims.get("iat", 0)) - 300 <= now <= float(claims.get("exp", 0)) + 300):
        raise GrantRefused("Invalid JWT: Token must be a short-lived token (60 minutes) and "
                           "in a reasonable timeframe.")
    if disabled:
        raise GrantRefused("Invalid grant: account not found")
    return claims
