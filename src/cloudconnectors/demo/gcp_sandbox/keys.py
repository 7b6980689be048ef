"""A service account's RSA key pair and the JSON key file Google would hand out for it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass(frozen=True)
class KeyPair:
    email: str
    project_id: str
    key_id: str
    private_pem: str
    public_pem: bytes

    def json_key(self, token_uri: str) -> dict[str, Any]:
        """The downloaded key file's fields (``token_uri`` pointing where the test says)."""
        return {
            "type": "service_account",
            "project_id": self.project_id,
            "private_key_id": self.key_id,
            "private_key": self.private_pem,
            "client_email": self.email,
            "client_id": str(100000000000000000000 + secrets.randbelow(10**19)),
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": token_uri,
            "universe_domain": "googleapis.com",
        }


def make_key_pair(email: str, project_id: str) -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return KeyPair(email, project_id, secrets.token_hex(20), private, public)
