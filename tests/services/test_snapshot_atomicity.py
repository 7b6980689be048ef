"""Readers see the previous complete snapshot or the new one, never a half-written mix."""

from __future__ import annotations

import dataclasses
import itertools
import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from cloudconnectors.services import polling
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.inventory import inventory_summary, list_assets
from tests.fakes.connectors import make_gcp_connector
from tests.fakes.provider import FakeProvider, Plan, fake_provider
from tests.support.people import Person, principal_of


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with fake_provider() as provider:
        yield provider


def test_reader_during_slow_polls_sees_only_complete_snapshots(
        ctx: AppContext, admin: Person, fake: FakeProvider, client: TestClient) -> None:
    ctx.settings = dataclasses.replace(ctx.settings, asset_batch_size=5)
    principal = principal_of(ctx, admin)
    connector_id = make_gcp_connector(ctx, admin)
    sizes = {}  # generation -> asset count of that poll
    fake.plan = Plan(vms=4, others=2, regions=("a", "b"))
    polling.poll_now(ctx, connector_id)
    sizes[fake.generation] = 12

    stop = threading.Event()
    seen: list[tuple[int, frozenset[int]]] = []
    api_seen: list[tuple[int, frozenset[int]]] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            while not stop.is_set():
                page = list_assets(ctx, principal, connector_id=connector_id, limit=1000)
                seen.append((page.total, frozenset(a.data["generation"] for a in page.items)))
                summary = inventory_summary(ctx, principal, connector_id)
                assert summary.asset_count in sizes.values()
                body = client.get(f"/api/v1/assets?connector={connector_id}&limit=1000",
                                  headers=admin.headers).json()
                api_seen.append((body["total"], frozenset(
                    i["data"]["generation"] for i in body["items"])))
        except BaseException as exc:
            errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        # Sizes vary so a mix would show in the count too. On a loaded machine the reader
        # is slower, so poll on (bounded) until it has overlapped enough polls.
        for polls, vms in enumerate(itertools.cycle((9, 3, 7)), start=1):
            fake.plan = Plan(vms=vms, others=3, regions=("a", "b", "c"), asset_delay=0.004)
            sizes[fake.generation + 1] = (vms + 3) * 3
            polling.poll_now(ctx, connector_id)
            if polls >= 30 or (polls >= 3 and len(seen) > 10 and len(api_seen) > 5):
                break
    finally:
        stop.set()
        reader.join(10)
    assert not errors, errors
    assert len(seen) > 10 and len(api_seen) > 5
    for total, generations in seen + api_seen:
        assert len(generations) == 1, f"mixed snapshots: {generations}"
        (generation,) = generations
        assert total == sizes[generation], (total, generation, sizes)
    assert len({g for _, gs in seen for g in gs}) >= 2  # saw snapshots swap under it
    final = list_assets(ctx, principal, connector_id=connector_id, limit=1000)
    assert {a.data["generation"] for a in final.items} == {4} and final.total == sizes[4]


def test_failed_poll_leaves_the_previous_snapshot_visible(
        ctx: AppContext, admin: Person, fake: FakeProvider) -> None:
    ctx.settings = dataclasses.replace(ctx.settings, asset_batch_size=2)
    principal = principal_of(ctx, admin)
    connector_id = make_gcp_connector(ctx, admin)
    polling.poll_now(ctx, connector_id)
    before = list_assets(ctx, principal, connector_id=connector_id)

    class Crash(Exception):
        pass

    fake.plan = Plan(vms=10)

    class Observer:
        def regions_discovered(self, regions: object) -> None:
            pass

        def add(self, asset: object) -> None:
            # Batches are being written to the new snapshot; readers still see the old one.
            assert list_assets(ctx, principal, connector_id=connector_id) == before

        def report(self, result: object) -> None:
            raise Crash("collector blew up after writing some batches")

    summary = polling.poll_now(ctx, connector_id, observer=Observer())
    assert summary.status.value == "offline"
    assert list_assets(ctx, principal, connector_id=connector_id) == before
