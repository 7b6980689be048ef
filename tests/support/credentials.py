"""Valid-looking credentials of each provider for tests that do not talk to a cloud."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa


def new_rsa_pem(bits: int = 2048) -> str:
    """A fresh RSA private key in the PKCS#8 PEM form of Google's JSON key files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@lru_cache(maxsize=1)
def rsa_pem() -> str:
    """One RSA key per test process (generating one takes a moment)."""
    return new_rsa_pem()


def ec_pem() -> str:
    """A valid private key that is not RSA (Google's keys never are anything else)."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


FAKE_PEM = rsa_pem()
AZURE_SECRET = "azure-secret-value-never-shown"


def gcp_credentials(project_id: str = "posture-demo-123") -> dict[str, Any]:
    return {"service_account_key": {
        "type": "service_account", "project_id": project_id, "private_key_id": "abc123",
        "private_key": FAKE_PEM,
        "client_email": f"scanner@{project_id}.iam.gserviceaccount.com",
        "client_id": "1234567890", "token_uri": "https://oauth2.googleapis.com/token",
    }}


def azure_credentials() -> dict[str, Any]:
    return {
        "application_id": "11111111-2222-3333-4444-555555555555",
        "directory_id": "66666666-7777-8888-9999-000000000000",
        "authentication_key": AZURE_SECRET,
        "subscription_id": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    }


def aws_credentials(external_id: str, account: str = "111122223333") -> dict[str, Any]:
    return {"role_arn": f"arn:aws:iam::{account}:role/CloudConnectors",
            "external_id": external_id}
