"""Credentials encrypted at rest with AES-256-GCM.

The key comes from ``CLOUDCONNECTORS_SECRET_KEY`` or from a key file created on first start
with mode 0600 in the data directory. Each ciphertext is bound to its row (associated data),
so a blob copied onto another connector does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cloudconnectors.config import Settings
from cloudconnectors.domain.errors import CloudConnectorsError
from cloudconnectors.security.files import private_dir

_VERSION = "v1"
_NONCE_BYTES = 12


class SecretKeyError(CloudConnectorsError):
    pass


def _key_from_text(text: str) -> bytes:
    """A 32-byte urlsafe-base64 key is used as is; any other text is stretched by SHA-256."""
    try:
        raw = base64.urlsafe_b64decode(text.encode() + b"=" * (-len(text) % 4))
        if len(raw) == 32:
            return raw
    except (binascii.Error, ValueError):
        pass
    return hashlib.sha256(text.encode()).digest()


def load_or_create_key(settings: Settings) -> bytes:
    if settings.secret_key:
        return _key_from_text(settings.secret_key)
    path = settings.secret_key_file
    if path.exists():
        return _key_from_text(path.read_text().strip())
    return _create_key_file(path)


def _create_key_file(path: Path) -> bytes:
    private_dir(path.parent)
    text = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return _key_from_text(path.read_text().strip())
    with os.fdopen(fd, "w") as handle:
        handle.write(text + "\n")
    return _key_from_text(text)


class SecretBox:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise SecretKeyError("the secret key must be 32 bytes")
        self._aead = AESGCM(key)

    @classmethod
    def from_settings(cls, settings: Settings) -> SecretBox:
        return cls(load_or_create_key(settings))

    def seal(self, payload: dict[str, Any], bound_to: str) -> str:
        nonce = secrets.token_bytes(_NONCE_BYTES)
        plaintext = json.dumps(payload, separators=(",", ":")).encode()
        sealed = self._aead.encrypt(nonce, plaintext, bound_to.encode())
        return f"{_VERSION}:{base64.b64encode(nonce + sealed).decode()}"

    def open(self, token: str, bound_to: str) -> dict[str, Any]:
        version, _, body = token.partition(":")
        if version != _VERSION:
            raise SecretKeyError(f"unknown ciphertext version {version!r}")
        blob = base64.b64decode(body)
        try:
            plaintext = self._aead.decrypt(
                blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], bound_to.encode()
            )
        except InvalidTag:
            raise SecretKeyError(
                "stored credentials cannot be decrypted: CLOUDCONNECTORS_SECRET_KEY or the key "
                "file changed since they were saved; re-enter the connector's credentials"
            ) from None
        result: dict[str, Any] = json.loads(plaintext)
        return result
