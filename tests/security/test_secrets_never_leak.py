"""The Azure Authentication Key and the GCP private key never leave their sealed blob:
not in the database (raw file bytes, WAL included), API answers, CLI output, logs or errors.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import make_url

from cloudconnectors.cli.main import cli
from cloudconnectors.domain.errors import CloudConnectorsError
from cloudconnectors.providers.base import PollContext
from cloudconnectors.providers.registry import get_provider
from cloudconnectors.services.connectors import open_credentials
from cloudconnectors.services.context import AppContext
from cloudconnectors.storage.tables import Base, ConnectorRow
from tests.conftest import TEST_SECRET_KEY
from tests.support.credentials import azure_credentials, gcp_credentials, new_rsa_pem
from tests.support.database import backend
from tests.support.people import Person

URL = "/api/v1/connectors"


@dataclass(frozen=True)
class Secrets:
    azure_key: str
    pem_body: str  # the distinctive middle of the private key
    pem: str = ""  # the whole private key (real RSA: the key is parsed on upload)

    @property
    def all(self) -> tuple[str, ...]:
        return (self.azure_key, self.pem_body)

    def assert_absent(self, where: str, haystack: str | bytes) -> None:
        for secret in self.all:
            needle = secret.encode() if isinstance(haystack, bytes) else secret
            assert needle not in haystack, f"a secret leaked into {where}"
            if isinstance(haystack, str):
                assert json.dumps(secret)[1:-1] not in haystack, f"a secret leaked into {where}"


@pytest.fixture
def secret_values() -> Secrets:
    pem = new_rsa_pem()
    return Secrets(azure_key="azk-" + secrets.token_urlsafe(24),
                   pem_body=pem.splitlines()[5], pem=pem)


def azure_body(s: Secrets, name: str = "az", **overrides: Any) -> dict[str, Any]:
    return {"name": name, "provider": "azure",
            "credentials": {**azure_credentials(), "authentication_key": s.azure_key,
                            **overrides}}


def gcp_key(s: Secrets, **overrides: Any) -> dict[str, Any]:
    key = dict(gcp_credentials()["service_account_key"])
    key["private_key"] = s.pem
    return {**key, **overrides}


def gcp_body(s: Secrets, name: str = "gcp", **overrides: Any) -> dict[str, Any]:
    return {"name": name, "provider": "gcp",
            "credentials": {"service_account_key": gcp_key(s, **overrides)}}


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Everything at DEBUG, SQL statements with their parameters included."""
    caplog.set_level(logging.DEBUG)
    for name in ("sqlalchemy.engine", "cloudconnectors", "httpx", "uvicorn"):
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog


def _exercise_api(client: TestClient, admin: Person, s: Secrets) -> list[str]:
    """Create, show, list, patch (rotate) and fail: every answer's text."""
    answers = []
    for body in (azure_body(s), gcp_body(s)):
        created = client.post(URL, headers=admin.headers, json=body)
        assert created.status_code == 201, created.text
        cid = created.json()["id"]
        answers += [created.text,
                    client.get(f"{URL}/{cid}", headers=admin.headers).text]
        rotated = client.patch(f"{URL}/{cid}", headers=admin.headers, json={
            "credentials": body["credentials"], "name": body["name"] + "-2"})
        assert rotated.status_code == 200, rotated.text
        answers.append(rotated.text)
    answers.append(client.get(URL, headers=admin.headers).text)
    # Refusals must not echo what was sent: the secret beside a broken field, or in it.
    refusals = [
        azure_body(s, "bad-1", application_id="not-a-guid"),
        azure_body(s, "bad-2", application_id=s.azure_key),
        azure_body(s, "bad-3", colour=s.azure_key),
        azure_body(s, "bad-4", authentication_key=[s.azure_key]),
        gcp_body(s, "bad-5", project_id="Not_Valid"),
        gcp_body(s, "bad-6", token_uri="http://169.254.169.254/"),
        gcp_body(s, "bad-7", type=s.pem_body),
        gcp_body(s, "bad-8", client_email=s.pem_body),
        {"name": s.azure_key * 10, "provider": "azure",
         "credentials": azure_body(s)["credentials"]},
        {"name": "bad-9", "provider": s.pem_body, "credentials": {}},
        {"name": "bad-10", "provider": "azure", "credentials": s.azure_key},
    ]
    for body in refusals:
        refused = client.post(URL, headers=admin.headers, json=body)
        assert 400 <= refused.status_code < 500, refused.text
        answers.append(refused.text)
    malformed = client.post(URL, headers={**admin.headers, "Content-Type": "application/json"},
                            content=('{"credentials": {"authentication_key": "' + s.azure_key
                                     + '"').encode())
    assert malformed.status_code == 400
    answers.append(malformed.text)
    return answers


def test_api_answers_and_logs_never_show_secrets(
    client: TestClient, admin: Person, secret_values: Secrets,
    debug_logs: pytest.LogCaptureFixture, ctx: AppContext,
) -> None:
    answers = _exercise_api(client, admin, secret_values)
    for index, answer in enumerate(answers):
        secret_values.assert_absent(f"API answer #{index}", answer)
    _attempt_polls(ctx, secret_values)
    assert any(r.name.startswith("sqlalchemy.engine") for r in debug_logs.records), \
        "SQL logging was not captured: the log check would prove nothing"
    for record in debug_logs.records:
        secret_values.assert_absent(f"log record {record.name}", record.getMessage())
        secret_values.assert_absent(f"log record {record.name}", repr(record.args))
    secret_values.assert_absent("captured log text", debug_logs.text)


def _attempt_polls(ctx: AppContext, s: Secrets) -> None:
    """Open each connector's credentials the way a poll does and try to authenticate."""
    with ctx.db.read() as session:
        rows = list(session.scalars(select(ConnectorRow)))
        for row in rows:
            credentials = open_credentials(ctx, row)
            assert s.azure_key not in repr(credentials) and s.pem_body not in str(credentials)
            context = PollContext(ctx.settings, row.tenant_id, row.id)
            try:
                get_provider(row.provider).authenticate(credentials, context).close()
            except CloudConnectorsError as exc:
                s.assert_absent("a poll error", str(exc))


def test_database_holds_only_ciphertext(
    client: TestClient, admin: Person, secret_values: Secrets, ctx: AppContext
) -> None:
    _exercise_api(client, admin, secret_values)
    # Every column of every table, as the database returns it.
    with ctx.db.read() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(table.select()).all():
                secret_values.assert_absent(f"table {table.name}", repr(tuple(row)))
    if backend() != "sqlite":
        return
    database = Path(make_url(ctx.settings.database_url).database or "")
    files = [p for p in database.parent.iterdir() if p.name.startswith(database.name)]
    assert any(p.name.endswith("-wal") for p in files), files  # WAL mode: the log is checked
    for path in files:
        secret_values.assert_absent(f"raw bytes of {path.name}", path.read_bytes())


def test_cli_output_never_shows_secrets(
    ctx: AppContext, admin: Person, secret_values: Secrets, tmp_path: Path
) -> None:
    env = {"CLOUDCONNECTORS_DATA_DIR": str(ctx.settings.data_dir),
           "CLOUDCONNECTORS_DATABASE_URL": ctx.settings.database_url,
           "CLOUDCONNECTORS_SECRET_KEY": TEST_SECRET_KEY}
    az = azure_credentials()
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(gcp_key(secret_values)))
    bad_key_file = tmp_path / "bad-key.json"
    bad_key_file.write_text(json.dumps(gcp_key(secret_values, project_id="BAD")))
    runs = [
        (["connectors", "add", "--name", "az", "--provider", "azure", "--application-id",
          az["application_id"], "--directory-id", az["directory_id"], "--subscription-id",
          az["subscription_id"], "--authentication-key-stdin"], secret_values.azure_key),
        (["connectors", "add", "--name", "gcp", "--provider", "gcp", "--key-file",
          str(key_file)], None),
        (["connectors", "add", "--name", "bad", "--provider", "gcp", "--key-file",
          str(bad_key_file)], None),
        (["connectors", "add", "--name", "bad2", "--provider", "azure", "--application-id",
          "nope", "--directory-id", az["directory_id"], "--subscription-id",
          az["subscription_id"], "--authentication-key-stdin"], secret_values.azure_key),
        (["connectors", "edit", "az", "--authentication-key-stdin"], secret_values.azure_key),
        (["connectors", "list"], None),
        (["connectors", "list", "--json"], None),
        (["connectors", "show", "az", "--json"], None),
        (["connectors", "show", "gcp"], None),
        (["connectors", "show", "gcp", "--json"], None),
        (["scan", "az"], None),
        (["scan", "gcp", "--json"], None),
    ]
    for args, stdin in runs:
        result = CliRunner().invoke(cli, args, input=stdin, env=env)
        secret_values.assert_absent(f"`{' '.join(args[:2])}` output",
                                    result.stdout + result.stderr)
    listed = json.loads(CliRunner().invoke(cli, ["connectors", "list", "--json"],
                                           env=env).stdout)
    assert {c["name"] for c in listed["items"]} == {"az", "gcp"}
