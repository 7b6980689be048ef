"""Credentials at rest: AES-GCM bound to the connector's ID, a 0600 key file when no key is
configured, and a refusal (never garbage) when anything was tampered with."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cloudconnectors.config import load_settings
from cloudconnectors.security.crypto import SecretBox, SecretKeyError
from cloudconnectors.services.connectors import open_credentials
from cloudconnectors.services.context import AppContext
from cloudconnectors.storage.tables import ConnectorRow
from tests.support.credentials import AZURE_SECRET, azure_credentials
from tests.support.people import Person


def _two_connectors(client: TestClient, admin: Person) -> list[str]:
    ids = []
    for name in ("one", "two"):
        created = client.post("/api/v1/connectors", headers=admin.headers, json={
            "name": name, "provider": "azure", "credentials": azure_credentials()})
        ids.append(created.json()["id"])
    return ids


def _row(ctx: AppContext, connector_id: str) -> ConnectorRow:
    with ctx.db.read() as session:
        row = session.scalars(select(ConnectorRow).where(ConnectorRow.id == connector_id)).one()
        session.expunge(row)
        return row


def test_sealed_credentials_open_only_for_their_own_connector(
    client: TestClient, admin: Person, ctx: AppContext
) -> None:
    one, two = _two_connectors(client, admin)
    row_one, row_two = _row(ctx, one), _row(ctx, two)
    opened = open_credentials(ctx, row_one)
    assert opened.secret_material()["authentication_key"] == AZURE_SECRET
    assert row_one.credentials_sealed != row_two.credentials_sealed  # random nonces
    # A blob copied onto another connector does not decrypt.
    row_two.credentials_sealed = row_one.credentials_sealed
    with pytest.raises(SecretKeyError):
        open_credentials(ctx, row_two)


def test_tampered_ciphertext_is_refused(client: TestClient, admin: Person,
                                        ctx: AppContext) -> None:
    one, _ = _two_connectors(client, admin)
    row = _row(ctx, one)
    version, _, body = row.credentials_sealed.partition(":")
    blob = bytearray(base64.b64decode(body))
    for position in (0, 12, len(blob) // 2, len(blob) - 1):  # nonce, start, middle, tag
        tampered = bytearray(blob)
        tampered[position] ^= 0x01
        row.credentials_sealed = f"{version}:{base64.b64encode(bytes(tampered)).decode()}"
        with pytest.raises(SecretKeyError) as refused:
            open_credentials(ctx, row)
        assert "cannot be decrypted" in str(refused.value)


def test_another_key_cannot_open(ctx: AppContext) -> None:
    sealed = ctx.secrets.seal({"authentication_key": AZURE_SECRET}, bound_to="c1")
    other = SecretBox.from_settings(load_settings(data_dir=ctx.settings.data_dir,
                                                  database_url="sqlite://",
                                                  secret_key="a-different-key"))
    with pytest.raises(SecretKeyError):
        other.open(sealed, bound_to="c1")
    assert ctx.secrets.open(sealed, bound_to="c1") == {"authentication_key": AZURE_SECRET}
    assert AZURE_SECRET not in sealed


def test_key_file_is_created_0600_and_reused(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLOUDCONNECTORS_SECRET_KEY", raising=False)
    settings = load_settings(data_dir=tmp_path / "data", database_url="sqlite://",
                             secret_key=None)
    assert settings.secret_key is None and not settings.secret_key_file.exists()
    first = SecretBox.from_settings(settings)
    mode = stat.S_IMODE(settings.secret_key_file.stat().st_mode)
    assert mode == 0o600, oct(mode)
    sealed = first.seal({"k": "v"}, bound_to="x")
    second = SecretBox.from_settings(settings)  # a restart reads the same key
    assert second.open(sealed, bound_to="x") == {"k": "v"}
