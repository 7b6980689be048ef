"""Every refused input answers 4xx naming the field and the rule; never a 5xx."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cloudconnectors.services.context import AppContext
from cloudconnectors.services.external_ids import issue_external_id
from tests.support.credentials import (
    aws_credentials,
    azure_credentials,
    ec_pem,
    gcp_credentials,
)
from tests.support.people import Person, make_person, principal_of

URL = "/api/v1/connectors"
GCP_KEY = gcp_credentials()["service_account_key"]


def azure(**fields: Any) -> dict[str, Any]:
    return {"name": "az", "provider": "azure", "credentials": azure_credentials(), **fields}


def gcp_key(**changes: Any) -> dict[str, Any]:
    key = {k: v for k, v in GCP_KEY.items() if k not in changes or changes[k] is not None}
    key.update({k: v for k, v in changes.items() if v is not None})
    return {"name": "g", "provider": "gcp", "credentials": {"service_account_key": key}}


def without(key: str) -> dict[str, Any]:
    body = gcp_key()
    del body["credentials"]["service_account_key"][key]
    return body


def az_creds(**changes: Any) -> dict[str, Any]:
    return azure(credentials={**azure_credentials(), **changes})


# (case id, body, field, rule)
CREATE_CASES: list[tuple[str, dict[str, Any], str, str]] = [
    ("frequency 59", azure(run_frequency_minutes=59), "run_frequency_minutes", "minimum is 60"),
    ("frequency 1441", azure(run_frequency_minutes=1441), "run_frequency_minutes",
     "maximum is 1440"),
    ("frequency text", azure(run_frequency_minutes="240"), "run_frequency_minutes",
     "must be an integer"),
    ("frequency float", azure(run_frequency_minutes=240.5), "run_frequency_minutes",
     "must be an integer"),
    ("frequency bool", azure(run_frequency_minutes=True), "run_frequency_minutes",
     "must be an integer"),
    ("name empty", azure(name=""), "name", "must not be empty"),
    ("name blank", azure(name="   "), "name", "must not be empty"),
    ("name too long", azure(name="x" * 101), "name", "must be at most 100 characters"),
    ("name unprintable", azure(name="bad\x00name"), "name",
     "must contain printable characters only"),
    ("name newline", azure(name="two\nlines"), "name", "must contain printable characters only"),
    ("name not text", azure(name=42), "name", "must be a string"),
    ("name missing", {"provider": "azure", "credentials": azure_credentials()}, "name",
     "is required"),
    ("unknown provider", azure(provider="oracle"), "provider",
     "must be one of 'aws', 'gcp' or 'azure'"),
    ("unknown field", azure(colour="blue"), "colour", "is not a known field"),
    ("credentials not object", azure(credentials="secret"), "credentials", "must be an object"),
    ("azure app guid", az_creds(application_id="not-a-guid"), "credentials.application_id",
     "must be a GUID like 00000000-0000-0000-0000-000000000000"),
    ("azure directory guid", az_creds(directory_id="1234"), "credentials.directory_id",
     "must be a GUID like 00000000-0000-0000-0000-000000000000"),
    ("azure subscription guid", az_creds(subscription_id="x"), "credentials.subscription_id",
     "must be a GUID like 00000000-0000-0000-0000-000000000000"),
    ("azure empty key", az_creds(authentication_key=" "), "credentials.authentication_key",
     "must not be empty"),
    ("azure key not text", az_creds(authentication_key=7), "credentials.authentication_key",
     "must be a string"),
    ("azure extra", az_creds(tenant="x"), "credentials.tenant", "is not a known field"),
    ("azure missing", azure(credentials={}), "credentials.application_id", "is required"),
    ("gcp type", gcp_key(type="authorized_user"), "credentials.service_account_key.type",
     'must be "service_account" (upload a service-account JSON key)'),
    ("gcp project", gcp_key(project_id="Bad_Project"), "credentials.service_account_key.project_id",
     "must be a GCP project ID: 6-30 lowercase letters, digits, hyphens"),
    ("gcp private key", gcp_key(private_key="not a pem"),
     "credentials.service_account_key.private_key",
     "must be the PEM private key from the downloaded JSON key file"),
    ("gcp client email", gcp_key(client_email="nobody"),
     "credentials.service_account_key.client_email",
     "must be the service account's e-mail address"),
    ("gcp token uri ssrf", gcp_key(token_uri="http://169.254.169.254/latest/meta-data"),
     "credentials.service_account_key.token_uri",
     "must be https://oauth2.googleapis.com/token (or the token endpoint the operator "
     "configured)"),
    ("gcp token uri lookalike", gcp_key(token_uri="https://oauth2.googleapis.com.evil.io/token"),
     "credentials.service_account_key.token_uri",
     "must be https://oauth2.googleapis.com/token (or the token endpoint the operator "
     "configured)"),
    ("gcp NUL in email", gcp_key(client_email="a\x00b@x.iam.gserviceaccount.com"),
     "credentials.service_account_key.client_email", "must not contain NUL characters"),
    ("gcp key not rsa", gcp_key(private_key=ec_pem()),
     "credentials.service_account_key.private_key",
     "must be an RSA private key (Google's service-account keys are RSA)"),
    ("gcp key markers only", gcp_key(
        private_key="-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg==\n-----END PRIVATE KEY-----\n"),
     "credentials.service_account_key.private_key",
     "must be the PEM private key from the downloaded JSON key file"),
    ("gcp universe elsewhere", gcp_key(universe_domain="evil.example"),
     "credentials.service_account_key.universe_domain",
     "must be googleapis.com (the value Google issues)"),
    ("gcp auth uri elsewhere", gcp_key(auth_uri="http://127.0.0.1:9/auth"),
     "credentials.service_account_key.auth_uri",
     "must be https://accounts.google.com/o/oauth2/auth (the value Google issues)"),
    ("gcp provider certs elsewhere",
     gcp_key(auth_provider_x509_cert_url="https://www.googleapis.com.evil.io/oauth2/v1/certs"),
     "credentials.service_account_key.auth_provider_x509_cert_url",
     "must be https://www.googleapis.com/oauth2/v1/certs (the value Google issues)"),
    ("gcp client certs elsewhere",
     gcp_key(client_x509_cert_url="https://169.254.169.254/robot/v1/metadata/x509/a"),
     "credentials.service_account_key.client_x509_cert_url",
     "must be https://www.googleapis.com/robot/v1/metadata/x509/<the key's client_email>"),
    ("gcp client certs other account", gcp_key(
        client_x509_cert_url="https://www.googleapis.com/robot/v1/metadata/x509/x%40y.com"),
     "credentials.service_account_key.client_x509_cert_url",
     "must be https://www.googleapis.com/robot/v1/metadata/x509/<the key's client_email>"),
    ("gcp unknown url field", gcp_key(metadata_server="http://169.254.169.254/"),
     "credentials.service_account_key.metadata_server",
     "is not a field of Google's key file and may only hold short plain text "
     "(no URL, host or structure)"),
    ("gcp unknown host field", gcp_key(api_host="evil.example.com"),
     "credentials.service_account_key.api_host",
     "is not a field of Google's key file and may only hold short plain text "
     "(no URL, host or structure)"),
    ("gcp unknown nested field", gcp_key(endpoints={"token": "x"}),
     "credentials.service_account_key.endpoints",
     "is not a field of Google's key file and may only hold short plain text "
     "(no URL, host or structure)"),
    ("gcp client id not digits", gcp_key(client_id="١٢٣"),
     "credentials.service_account_key.client_id", "has characters that are not allowed"),
    ("gcp no type", without("type"), "credentials.service_account_key.type", "is required"),
    ("gcp no project", without("project_id"), "credentials.service_account_key.project_id",
     "is required"),
    ("gcp no private key", without("private_key"), "credentials.service_account_key.private_key",
     "is required"),
    ("gcp no email", without("client_email"), "credentials.service_account_key.client_email",
     "is required"),
    ("gcp key not object", {"name": "g", "provider": "gcp",
                            "credentials": {"service_account_key": "{}"}},
     "credentials.service_account_key", "must be an object"),
    ("gcp azure-shaped", {"name": "g", "provider": "gcp", "credentials": azure_credentials()},
     "credentials.service_account_key", "is required"),
    ("aws role arn", {"name": "a", "provider": "aws",
                      "credentials": {"role_arn": "arn:aws:iam::123:role/x", "external_id": "e"}},
     "credentials.role_arn",
     "must be an IAM role ARN like arn:aws:iam::111122223333:role/CloudConnectors"),
    ("aws user arn", {"name": "a", "provider": "aws", "credentials": {
        "role_arn": "arn:aws:iam::111122223333:user/x", "external_id": "cc-x"}},
     "credentials.role_arn",
     "must be an IAM role ARN like arn:aws:iam::111122223333:role/CloudConnectors"),
    ("aws arn arabic digits", {"name": "a", "provider": "aws", "credentials": {
        "role_arn": "arn:aws:iam::١١١١٢٢٢٢٣٣٣٣:role/x", "external_id": "cc-x"}},
     "credentials.role_arn",
     "must be an IAM role ARN like arn:aws:iam::111122223333:role/CloudConnectors"),
    ("aws arn non-ascii name", {"name": "a", "provider": "aws", "credentials": {
        "role_arn": "arn:aws:iam::111122223333:role/Scannér", "external_id": "cc-x"}},
     "credentials.role_arn",
     "must be an IAM role ARN like arn:aws:iam::111122223333:role/CloudConnectors"),
    ("aws no external id", {"name": "a", "provider": "aws", "credentials": {
        "role_arn": "arn:aws:iam::111122223333:role/x"}}, "credentials.external_id",
     "is required"),
    ("aws external id not issued", {"name": "a", "provider": "aws",
                                    "credentials": aws_credentials("cc-chosen-by-client")},
     "credentials.external_id",
     "must be an External ID issued to this tenant by POST "
     "/api/v1/providers/aws/external-ids (or `cloudconnectors connectors external-id`)"),
]


def problem_of(answer: Any) -> tuple[str, str]:
    body = answer.json()
    first = body["errors"][0]
    assert body["detail"].startswith(f"{first['field']}: {first['rule']}")
    return first["field"], first["rule"]


@pytest.mark.parametrize(("body", "field", "rule"),
                         [c[1:] for c in CREATE_CASES], ids=[c[0] for c in CREATE_CASES])
def test_create_refuses_naming_field_and_rule(client: TestClient, admin: Person,
                                              body: dict[str, Any], field: str,
                                              rule: str) -> None:
    answer = client.post(URL, headers=admin.headers, json=body)
    assert answer.status_code == 422, answer.text
    assert problem_of(answer) == (field, rule)
    assert client.get(URL, headers=admin.headers).json()["total"] == 0


def test_every_broken_field_is_listed(client: TestClient, admin: Person) -> None:
    answer = client.post(URL, headers=admin.headers, json={
        "name": "", "provider": "azure", "run_frequency_minutes": 10, "credentials": {}})
    fields = [e["field"] for e in answer.json()["errors"]]
    assert answer.status_code == 422
    assert "name" in fields and "run_frequency_minutes" in fields


def test_duplicate_name_is_409(client: TestClient, admin: Person) -> None:
    assert client.post(URL, headers=admin.headers, json=azure(name="prod")).status_code == 201
    again = client.post(URL, headers=admin.headers, json=azure(name="prod"))
    assert again.status_code == 409
    assert again.json()["detail"] == "name: a connector named 'prod' already exists in this tenant"


def test_external_id_of_another_tenant_or_already_used(
    client: TestClient, ctx: AppContext, admin: Person
) -> None:
    other = make_person(ctx, tenant="other")
    foreign = issue_external_id(ctx, principal_of(ctx, other))
    refused = client.post(URL, headers=admin.headers, json={
        "name": "a", "provider": "aws", "credentials": aws_credentials(foreign)})
    assert refused.status_code == 422
    assert problem_of(refused) == (
        "credentials.external_id",
        "must be an External ID issued to this tenant by POST "
        "/api/v1/providers/aws/external-ids (or `cloudconnectors connectors external-id`)")
    mine = issue_external_id(ctx, principal_of(ctx, admin))
    first = client.post(URL, headers=admin.headers, json={
        "name": "a", "provider": "aws", "credentials": aws_credentials(mine)})
    assert first.status_code == 201
    reused = client.post(URL, headers=admin.headers, json={
        "name": "b", "provider": "aws", "credentials": aws_credentials(mine, "444455556666")})
    assert reused.status_code == 422
    assert problem_of(reused) == (
        "credentials.external_id",
        "was already used by another connector; issue a fresh one with POST "
        "/api/v1/providers/aws/external-ids (or `cloudconnectors connectors external-id`)")
    # Deleting the connector does not free its External ID.
    assert client.delete(f"{URL}/{first.json()['id']}", headers=admin.headers).status_code == 204
    after = client.post(URL, headers=admin.headers, json={
        "name": "c", "provider": "aws", "credentials": aws_credentials(mine)})
    assert after.status_code == 422


def test_operator_configured_token_uri_is_accepted(
    client: TestClient, ctx: AppContext, admin: Person
) -> None:
    ctx.settings = dataclasses.replace(ctx.settings,
                                       gcp_token_uri="http://127.0.0.1:8089/token")
    ok = client.post(URL, headers=admin.headers, json=gcp_key(
        token_uri="http://127.0.0.1:8089/token"))
    assert ok.status_code == 201, ok.text
    refused = client.post(URL, headers=admin.headers, json={
        **gcp_key(token_uri="http://127.0.0.1:8090/token"), "name": "g2"})
    assert refused.status_code == 422


PatchCase = tuple[str, Callable[[str], dict[str, Any]], int, str]
PATCH_CASES: list[PatchCase] = [
    ("frequency 59", lambda _: {"run_frequency_minutes": 59}, 422,
     "run_frequency_minutes: minimum is 60"),
    ("frequency 1441", lambda _: {"run_frequency_minutes": 1441}, 422,
     "run_frequency_minutes: maximum is 1440"),
    ("frequency text", lambda _: {"run_frequency_minutes": "sixty"}, 422,
     "run_frequency_minutes: must be an integer"),
    ("name too long", lambda _: {"name": "y" * 101}, 422,
     "name: must be at most 100 characters"),
    ("name unprintable", lambda _: {"name": "a\tb"}, 422,
     "name: must contain printable characters only"),
    ("name taken", lambda _: {"name": "taken"}, 409,
     "name: a connector named 'taken' already exists in this tenant"),
    ("unknown field", lambda _: {"provider": "gcp"}, 422, "provider: is not a known field"),
    ("rotated external id", lambda ext: {"credentials": {
        "role_arn": "arn:aws:iam::111122223333:role/New", "external_id": "cc-other"}}, 422,
     "credentials.external_id: is fixed for the life of the connector"),
    ("rotated bad arn", lambda ext: {"credentials": {"role_arn": "nope"}}, 422,
     "credentials.role_arn: must be an IAM role ARN like "
     "arn:aws:iam::111122223333:role/CloudConnectors"),
    ("rotated wrong shape", lambda ext: {"credentials": azure_credentials()}, 422,
     "credentials.role_arn: is required"),
    ("null frequency", lambda _: {"run_frequency_minutes": None}, 422,
     "run_frequency_minutes: must not be null (leave the field out to keep its value)"),
    ("null name", lambda _: {"name": None}, 422,
     "name: must not be null (leave the field out to keep its value)"),
    ("null credentials", lambda _: {"credentials": None}, 422,
     "credentials: must not be null (leave the field out to keep its value)"),
    ("nested 400 deep", lambda _: {"credentials": _nested(400)}, 422,
     "body: must not nest deeper than 32 levels"),
    ("5000-digit integer", lambda _: {"run_frequency_minutes": int("7" * 4000)}, 422,
     "body: must not hold a number longer than 100 digits"),
]


def _nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


@pytest.mark.parametrize(("change", "status", "detail"), [c[1:] for c in PATCH_CASES],
                         ids=[c[0] for c in PATCH_CASES])
def test_patch_refuses_naming_field_and_rule(
    client: TestClient, ctx: AppContext, admin: Person,
    change: Callable[[str], dict[str, Any]], status: int, detail: str,
) -> None:
    external_id = issue_external_id(ctx, principal_of(ctx, admin))
    created = client.post(URL, headers=admin.headers, json={
        "name": "aws", "provider": "aws", "credentials": aws_credentials(external_id)}).json()
    assert client.post(URL, headers=admin.headers, json=azure(name="taken")).status_code == 201
    answer = client.patch(f"{URL}/{created['id']}", headers=admin.headers,
                          json=change(external_id))
    assert answer.status_code == status, answer.text
    assert answer.json()["detail"].startswith(detail)
    unchanged = client.get(f"{URL}/{created['id']}", headers=admin.headers).json()
    assert unchanged == created | {"next_run_at": unchanged["next_run_at"]}


RAW_CASES = [
    ("malformed json", b'{"name": "x",', "application/json", 400, "body: is not valid JSON"),
    ("not utf-8", b"\xff\xfe{}", "application/json", 400, "body: is not valid JSON"),
    ("json array", b"[]", "application/json", 422, "body: must be a JSON object"),
    ("json null", b"null", "application/json", 422, "body: must be a JSON object"),
    ("empty body", b"", "application/json", 422, "body: is required"),
    ("text/plain", json.dumps(azure()).encode(), "text/plain", 415,
     "content-type: must be application/json"),
    ("form", b"name=x&provider=azure", "application/x-www-form-urlencoded", 415,
     "content-type: must be application/json"),
    ("no content type", json.dumps(azure()).encode(), None, 415,
     "content-type: must be application/json"),
    ("nested 1000 deep", b'{"name": ' + b"[" * 1000 + b"]" * 1000 + b"}", "application/json",
     422, "body: must not nest deeper than 32 levels"),
    ("5000-digit integer", b'{"name": "x", "run_frequency_minutes": ' + b"9" * 5000 + b"}",
     "application/json", 422, "body: must not hold a number longer than 100 digits"),
    ("brackets inside strings", json.dumps(azure(name="[" * 60 + '\\"{' * 5)).encode(),
     "application/json", 201, None),
    ("over 1 MiB", b'{"name": "' + b"x" * (1024 * 1024) + b'"}', "application/json", 413,
     "body: must be at most 1048576 bytes"),
]


@pytest.mark.parametrize(("content", "content_type", "status", "detail"),
                         [c[1:] for c in RAW_CASES], ids=[c[0] for c in RAW_CASES])
def test_malformed_bodies(client: TestClient, admin: Person, content: bytes,
                          content_type: str | None, status: int, detail: str | None) -> None:
    headers = dict(admin.headers)
    if content_type:
        headers["Content-Type"] = content_type
    answer = client.post(URL, headers=headers, content=content)
    assert answer.status_code == status, answer.text
    if detail is not None:
        assert answer.json()["detail"] == detail


def test_json_with_charset_is_fine(client: TestClient, admin: Person) -> None:
    answer = client.post(URL, content=json.dumps(azure()).encode(), headers={
        **admin.headers, "Content-Type": "application/json; charset=utf-8"})
    assert answer.status_code == 201


def test_chunked_body_over_limit_is_413(client: TestClient, admin: Person) -> None:
    def chunks() -> Any:
        for _ in range(20):
            yield b"x" * 65536

    answer = client.post(URL, headers={**admin.headers, "Content-Type": "application/json"},
                         content=chunks())
    assert answer.status_code == 413


QUERY_CASES = [
    ("limit=0", "limit: minimum is 1"),
    ("limit=501", "limit: maximum is 500"),
    ("limit=ten", "limit: must be an integer"),
    ("offset=-1", "offset: minimum is 0"),
    ("provider=oracle", "provider: must be one of 'aws', 'gcp' or 'azure'"),
    ("status=sleeping", "status: must be one of"),
    ("sort=colour", "sort: must be one of"),
    ("order=sideways", "order: must be one of 'asc' or 'desc'"),
    ("q=" + "x" * 101, "q: must be at most 100 characters"),
    ("q=a%00b", "q: must not contain NUL characters"),
]


@pytest.mark.parametrize(("query", "detail"), QUERY_CASES, ids=[q[0] for q in QUERY_CASES])
def test_list_query_refused(client: TestClient, admin: Person, query: str, detail: str) -> None:
    answer = client.get(f"{URL}?{query}", headers=admin.headers)
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith(detail)


@pytest.mark.parametrize("connector_id", ["nope", "x" * 4000, "%00", "..%2F..%2Fetc",
                                          "' OR 1=1 --", "00000000-0000-0000-0000-000000000000"])
def test_unknown_ids_are_404(client: TestClient, admin: Person, connector_id: str) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        answer = client.request(method, f"{URL}/{connector_id}", headers=admin.headers,
                                json={} if method == "PATCH" else None)
        assert answer.status_code == 404, (method, answer.text)
    assert client.post(f"{URL}/{connector_id}/refresh", headers=admin.headers
                       ).status_code == 404


def test_bad_authorization_headers_are_401(client: TestClient) -> None:
    for value in ("Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer cc_" + "x" * 5000,
                  "Bearer \u00e9"):
        answer = client.get(URL, headers={"Authorization": value.encode()})
        assert answer.status_code in (401, 403), value
