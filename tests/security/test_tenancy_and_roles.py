"""Tenant isolation and role checks over EVERY route of the API, walked from ``app.routes``.

A route added later is covered automatically; one this table cannot call fails loudly:
- a path parameter must be listed in ``PATH_OBJECTS`` (how to make tenant B's object of that
  kind, or a value for a parameter that is not tenant-scoped);
- a route whose body is required must have a valid sample in ``SAMPLE_BODIES``;
- a write that viewers may do, or a route that needs no authentication, must be listed in
  ``VIEWER_MAY_WRITE`` / ``PUBLIC_ROUTES`` on purpose.

Writes depend on ``AdminDep`` (``cloudconnectors.api.deps``) so a viewer is refused with 403
before the body is even validated: the viewer test sends no body as well as a valid one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from cloudconnectors.domain.connector import ProviderName
from cloudconnectors.providers import registry
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.external_ids import issue_external_id
from cloudconnectors.services.polling import poll_now
from cloudconnectors.services.reports import upload_custom_rules
from cloudconnectors.storage.tables import AssetRow
from tests.fakes.provider import FakeProvider
from tests.support.credentials import azure_credentials
from tests.support.people import Person, make_person, principal_of
from tests.support.routes import Operation, operations

API = "/api/v1"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Tenant:
    admin: Person
    viewer: Person
    connector_id: str
    connector_name: str
    external_id: str
    run_id: str = "no-such-run"
    asset_id: str = "no-such-asset"
    rule_id: str = "custom.nobody.has.this"


@dataclass(frozen=True)
class World:
    a: Tenant
    b: Tenant

    def tenant(self, key: str) -> Tenant:
        return self.a if key == "a" else self.b


# path parameter -> (tenant-scoped?, value for a tenant)
PATH_OBJECTS: dict[str, tuple[bool, Callable[[Tenant], str]]] = {
    "connector_id": (True, lambda t: t.connector_id),
    "id": (True, lambda t: t.connector_id),
    "run_id": (True, lambda t: t.run_id),
    "asset_id": (True, lambda t: t.asset_id),
    "rule_id": (True, lambda t: t.rule_id),  # custom rule IDs are per tenant
    "kind": (False, lambda t: "trust-policy"),  # an AWS setup file's kind
}
# (method, path) -> a body that would be accepted (so only tenancy or role can refuse it)
SAMPLE_BODIES: dict[tuple[str, str], Callable[[Tenant], dict[str, Any]]] = {
    ("POST", f"{API}/connectors"): lambda t: {
        "name": "new-one", "provider": "azure", "credentials": azure_credentials()},
    ("PATCH", f"{API}/connectors/{{connector_id}}"): lambda t: {"run_frequency_minutes": 120},
    ("POST", f"{API}/rules/custom"): lambda t: {"format": "toml", "content": _rule(t.rule_id)},
}
VIEWER_MAY_WRITE: set[tuple[str, str]] = set()
PUBLIC_ROUTES: set[tuple[str, str]] = set()
# Query parameters that name another object; B's value must not reveal B's data to A.
OBJECT_QUERY_PARAMS = {"connector", "connector_id", "external_id"}
QUERY_VALUES: dict[str, Callable[[Tenant], str]] = {"external_id": lambda t: t.external_id}


def _rule(rule_id: str) -> str:
    return (f'[[rules]]\nid = "{rule_id}"\ntitle = "Versioned"\nseverity = "low"\n'
            'resource_type = "AWS::S3::Bucket"\ncondition = "Versioning.Status == \'Enabled\'"\n')


def _tenant(ctx: AppContext, client: TestClient, name: str) -> Tenant:
    admin = make_person(ctx, tenant=name, role="admin")
    viewer = make_person(ctx, tenant=name, role="viewer")
    connector_name = f"only-{name}-knows-this-name"
    created = client.post(f"{API}/connectors", headers=admin.headers, json={
        "name": connector_name, "provider": "azure", "credentials": azure_credentials()})
    assert created.status_code == 201, created.text
    external_id = issue_external_id(ctx, principal_of(ctx, admin))
    connector_id = created.json()["id"]
    # A real poll (through a provider that talks to no cloud) gives the tenant a run and assets.
    summary = poll_now(ctx, connector_id)
    with ctx.db.read() as session:
        asset_id = session.scalars(select(AssetRow.key).where(
            AssetRow.snapshot_id == summary.snapshot_id)).first()
    assert asset_id is not None
    rule_id = f"custom.{name}.only"
    upload_custom_rules(ctx.db, principal_of(ctx, admin).tenant_id, _rule(rule_id))
    return Tenant(admin, viewer, connector_id, connector_name, external_id, summary.run_id,
                  asset_id, rule_id)


@pytest.fixture
def world(ctx: AppContext, client: TestClient) -> Iterator[World]:
    with registry.override(ProviderName.AZURE, FakeProvider(ProviderName.AZURE)):
        yield World(a=_tenant(ctx, client, "tenant-a"), b=_tenant(ctx, client, "tenant-b"))


def api_routes(app: FastAPI) -> list[tuple[str, str, Operation]]:
    return [(op.method, op.path, op) for op in operations(app, API)]


def path_params(path: str) -> list[str]:
    return re.findall(r"{(\w+)(?::\w+)?}", path)


def fill(path: str, owner: Tenant) -> str:
    for param in path_params(path):
        path = re.sub("{" + param + r"(?::\w+)?}", PATH_OBJECTS[param][1](owner), path)
    return path


def call(client: TestClient, method: str, path: str, route: Operation, person: Person,
         objects_of: Tenant, body_of: Tenant) -> Any:
    body = SAMPLE_BODIES.get((method, path))
    kwargs: dict[str, Any] = {"headers": person.headers}
    if body is not None:
        kwargs["json"] = body(body_of)
    params = {name: QUERY_VALUES.get(name, lambda t: t.connector_id)(objects_of)
              for name in route.query_names if name in OBJECT_QUERY_PARAMS}
    return client.request(method, fill(path, objects_of), params=params or None, **kwargs)


def test_every_api_route_is_classified(client: TestClient) -> None:
    app: FastAPI = client.app  # type: ignore[assignment]
    problems = []
    for method, path, route in api_routes(app):
        unknown = [p for p in path_params(path) if p not in PATH_OBJECTS]
        if unknown:
            problems.append(f"{method} {path}: add path parameter(s) {unknown} to PATH_OBJECTS")
        if route.body_required and (method, path) not in SAMPLE_BODIES:
            problems.append(f"{method} {path}: add a valid sample body to SAMPLE_BODIES")
    assert not problems, "routes the tenancy/role tests cannot call:\n" + "\n".join(problems)


def test_every_api_route_needs_authentication(client: TestClient) -> None:
    app: FastAPI = client.app  # type: ignore[assignment]
    dummy = Tenant(Person("x", "x", "admin", "cc_invalid"), Person("x", "x", "viewer", "x"),
                   "00000000-0000-0000-0000-000000000000", "x", "x")
    failures = []
    for method, path, _ in api_routes(app):
        if (method, path) in PUBLIC_ROUTES:
            continue
        for headers in ({}, {"Authorization": "Bearer cc_not-a-real-token"}):
            answer = client.request(method, fill(path, dummy), headers=headers,
                                    json=SAMPLE_BODIES[(method, path)](dummy)
                                    if (method, path) in SAMPLE_BODIES else None)
            if answer.status_code != 401:
                failures.append(f"{method} {path} {headers or 'no token'}: {answer.status_code}")
    assert not failures, "routes answering without authentication:\n" + "\n".join(failures)


def test_tenant_a_never_reaches_tenant_b(client: TestClient, world: World) -> None:
    app: FastAPI = client.app  # type: ignore[assignment]
    a, b = world.a, world.b
    failures = []
    for method, path, route in api_routes(app):
        scoped = any(PATH_OBJECTS[p][0] for p in path_params(path) if p in PATH_OBJECTS)
        for person in (a.admin, a.viewer):
            answer = call(client, method, path, route, person, objects_of=b, body_of=a)
            where = f"{method} {path} as {person.role} of A with B's objects"
            # A viewer's write is refused for any ID, existing or not, so 403 reveals nothing.
            allowed = {404, 403} if person is a.viewer and method in WRITE_METHODS else {404}
            if scoped:
                if answer.status_code not in allowed:
                    failures.append(f"{where}: {answer.status_code}, expected {allowed}")
            elif answer.status_code < 400 and (
                b.connector_name in answer.text or b.external_id in answer.text
            ):
                failures.append(f"{where}: answer reveals B's data")
    assert not failures, "tenant isolation broken:\n" + "\n".join(failures)
    # Nothing of B's changed.
    shown = client.get(f"{API}/connectors/{b.connector_id}", headers=b.admin.headers)
    assert shown.status_code == 200
    assert shown.json()["name"] == b.connector_name
    assert shown.json()["run_frequency_minutes"] == 240


def test_viewers_get_403_on_every_write(client: TestClient, world: World) -> None:
    app: FastAPI = client.app  # type: ignore[assignment]
    a = world.a
    failures, checked = [], 0
    for method, path, route in api_routes(app):
        if method not in WRITE_METHODS or (method, path) in VIEWER_MAY_WRITE:
            continue
        checked += 1
        valid = call(client, method, path, route, a.viewer, objects_of=a, body_of=a)
        bare = client.request(method, fill(path, a), headers=a.viewer.headers)
        for label, answer in (("valid body", valid), ("no body", bare)):
            if answer.status_code != 403:
                failures.append(f"{method} {path} ({label}): {answer.status_code}, expected 403")
    assert checked >= 5
    assert not failures, "viewers can write:\n" + "\n".join(failures)
    assert client.get(f"{API}/connectors/{a.connector_id}", headers=a.viewer.headers
                      ).status_code == 200


def test_admin_writes_succeed_on_own_objects(client: TestClient, world: World) -> None:
    """The same calls as an admin of the owning tenant are accepted (the table is valid)."""
    app: FastAPI = client.app  # type: ignore[assignment]
    a = world.a
    failures = []
    for method, path, route in api_routes(app):
        if method not in WRITE_METHODS or method == "DELETE":
            continue
        answer = call(client, method, path, route, a.admin, objects_of=a, body_of=a)
        if answer.status_code >= 400 and answer.status_code != 503:  # 503: no platform AWS
            failures.append(f"{method} {path}: {answer.status_code} {answer.text[:200]}")
    assert not failures, "sample calls refused for their own admin:\n" + "\n".join(failures)
