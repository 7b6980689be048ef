"""Schemathesis fuzzes every operation of the app's own OpenAPI document: no input may cause
a server error. Bounded (25 examples per operation, no deadline) to stay well under a minute.

Schemathesis' pytest plugin does not run on this pytest version, so the operations are
walked here and each one is driven by Hypothesis directly.
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from cloudconnectors.composition import create_app
from cloudconnectors.services.context import AppContext
from tests.support.credentials import azure_credentials
from tests.support.people import make_person

MAX_EXAMPLES = int(os.environ.get("CLOUDCONNECTORS_FUZZ_EXAMPLES", "25"))
TARGET_NAME = "fuzz-target"


def _live_connector(client: TestClient, headers: dict[str, str]) -> str:
    """A connector that exists (the fuzzer may have deleted or renamed the last one)."""
    page = client.get("/api/v1/connectors", headers=headers, params={"q": TARGET_NAME}).json()
    for item in page["items"]:
        if item["name"] == TARGET_NAME:
            return str(item["id"])
    created = client.post("/api/v1/connectors", headers=headers, json={
        "name": TARGET_NAME, "provider": "azure", "credentials": azure_credentials()})
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def test_no_input_causes_a_server_error(ctx: AppContext, aws_platform: str) -> None:
    app = create_app(ctx)
    headers = make_person(ctx, tenant="fuzz", role="admin").headers
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    statuses: set[int] = set()
    count = 0
    with TestClient(app) as client:
        for result in schema.get_all_operations():
            operation = result.ok()
            count += 1

            @given(case=operation.as_strategy())
            @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            def fuzz(case: Any) -> None:
                params = case.path_parameters
                if params and "connector_id" in params and case.method.upper() != "DELETE" \
                        and len(str(case.body)) % 2 == 0:
                    # Half the requests reach a real connector, so bodies hit the services.
                    params["connector_id"] = _live_connector(client, headers)
                response = case.call_and_validate(headers=headers, checks=[not_a_server_error])
                statuses.add(response.status_code)

            try:
                fuzz()
            except Exception as exc:  # collect every operation's failure, then report all
                failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert count >= 7
    assert {200, 201, 404, 422} <= statuses, statuses  # authenticated, reaching the services
    assert not failures, "server errors found:\n" + "\n\n".join(failures)
