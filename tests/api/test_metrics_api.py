"""``GET /metrics`` serves the installation's figures to the operator's scraper only.

The figures are aggregates over every tenant, so a tenant's admin token or portal session
must not read them; the scraper sends ``CLOUDCONNECTORS_METRICS_TOKEN``.
"""

from __future__ import annotations

import dataclasses

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from cloudconnectors.composition import create_app
from cloudconnectors.config import load_settings
from cloudconnectors.services.context import AppContext
from tests.fakes.connectors import make_gcp_connector
from tests.support.people import Person

SCRAPER_TOKEN = "scraper-token-" + "0123456789abcdef" * 2


def _client(ctx: AppContext, token: str | None) -> TestClient:
    ctx.settings = dataclasses.replace(ctx.settings, metrics_token=token)
    return TestClient(create_app(ctx))


def test_the_scraper_token_reads_the_figures(ctx: AppContext, admin: Person) -> None:
    make_gcp_connector(ctx, admin)
    with _client(ctx, SCRAPER_TOKEN) as client:
        answer = client.get("/metrics", headers={"Authorization": f"Bearer {SCRAPER_TOKEN}"})
    assert answer.status_code == 200
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for f in text_string_to_metric_families(answer.text) for s in f.samples}
    assert samples[("cloudconnectors_connectors", (("status", "pending"),))] == 1


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", f"Basic {SCRAPER_TOKEN}"])
def test_no_or_a_wrong_token_is_refused(ctx: AppContext, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    with _client(ctx, SCRAPER_TOKEN) as client:
        answer = client.get("/metrics", headers=headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert SCRAPER_TOKEN not in answer.text


def test_a_tenant_admin_token_is_not_a_scraper_token(ctx: AppContext, admin: Person) -> None:
    with _client(ctx, SCRAPER_TOKEN) as client:
        answer = client.get("/metrics", headers=admin.headers)
    assert answer.status_code == 401


def test_without_the_setting_metrics_answer_nobody(ctx: AppContext, admin: Person) -> None:
    with _client(ctx, None) as client:
        answer = client.get("/metrics", headers=admin.headers)
    assert answer.status_code == 403
    assert "CLOUDCONNECTORS_METRICS_TOKEN" in answer.json()["detail"]


def test_a_short_token_is_refused_at_start_naming_the_variable(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDCONNECTORS_METRICS_TOKEN", "short-secret")
    with pytest.raises(ValueError, match="METRICS_TOKEN must be at least 32") as err:
        load_settings()
    assert "short-secret" not in str(err.value)
