"""Shared set-up for organization tests: the platform's AWS identity on the fault proxy, one
region, an organization in moto, and the embedded scheduler's pool to poll the members."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

import pytest
from sqlalchemy import select

from cloudconnectors.domain.connector import Connector
from cloudconnectors.domain.states import Status
from cloudconnectors.scheduler.embedded import EmbeddedScheduler
from cloudconnectors.services import connectors
from cloudconnectors.services.context import AppContext, Principal
from cloudconnectors.services.external_ids import issue_external_id
from cloudconnectors.storage.tables import ConnectorRow
from tests.support.aws_org import MANAGEMENT_ROLE, Org
from tests.support.aws_seed import PLATFORM_ENV
from tests.support.fault_proxy import FaultProxy

REGIONS = ("us-east-1",)


def use_proxy(ctx: AppContext, proxy: FaultProxy, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in PLATFORM_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
    monkeypatch.setenv("CLOUDCONNECTORS_AWS_REGIONS", ",".join(REGIONS))
    monkeypatch.setenv("CLOUDCONNECTORS_AWS_MAX_ATTEMPTS", "2")
    ctx.settings = dataclasses.replace(ctx.settings, aws_endpoint_url=proxy.url,
                                       scheduler_tick_seconds=0.05)


def create_org_connector(ctx: AppContext, principal: Principal, org: Org,
                         **organization: object) -> Connector:
    external_id = issue_external_id(ctx, principal)
    return connectors.create_connector(
        ctx, principal, name="acme org", provider="aws",
        credentials={"role_arn": f"arn:aws:iam::{org.management}:role/{MANAGEMENT_ROLE}",
                     "external_id": external_id},
        organization={"exclude": {"accounts": [org.management]}, **organization})


def wait_until(check: Callable[[], bool], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


def poll_members(ctx: AppContext, parent_id: str, *, pool: int = 3) -> None:
    """Let the embedded scheduler's pool poll every due member of ``parent_id``."""

    def settled() -> bool:
        with ctx.db.read() as session:
            rows = session.scalars(select(ConnectorRow).where(
                ConnectorRow.parent_id == parent_id)).all()
            return all(r.next_run_at is None and r.status != Status.REFRESHING.value
                       for r in rows)

    scheduler = EmbeddedScheduler(ctx, max_concurrent=pool)
    scheduler.start()
    try:
        wait_until(settled)
    finally:
        scheduler.stop()


def members(ctx: AppContext, principal: Principal, parent_id: str) -> dict[str, Connector]:
    """The organization's member connectors by account ID."""
    page = connectors.list_connectors(ctx, principal, parent=parent_id, limit=500)
    return {str((c.member or {})["account"]): c for c in page.items}
