"""A poll's memory stays flat however many resources it reads (assets go out in batches)."""

from __future__ import annotations

import dataclasses
import gc
import tracemalloc
from collections.abc import Iterator

import pytest

from cloudconnectors.services import polling
from cloudconnectors.services.context import AppContext
from tests.fakes.connectors import make_gcp_connector
from tests.fakes.provider import FakeProvider, Plan, fake_provider
from tests.support.people import Person


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with fake_provider() as provider:
        yield provider


def peak_of_poll(ctx: AppContext, connector_id: str) -> tuple[int, int]:
    gc.collect()
    tracemalloc.start()
    try:
        summary = polling.poll_now(ctx, connector_id)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return summary.asset_count, peak


def test_peak_memory_does_not_grow_with_inventory_size(
        ctx: AppContext, admin: Person, fake: FakeProvider) -> None:
    ctx.settings = dataclasses.replace(ctx.settings, asset_batch_size=200)
    connector_id = make_gcp_connector(ctx, admin)
    fake.plan = Plan(vms=100, others=100, regions=("a", "b"))
    polling.poll_now(ctx, connector_id)  # warm caches (statements, mappers)
    small_count, small_peak = peak_of_poll(ctx, connector_id)
    fake.plan = Plan(vms=750, others=750, regions=("a", "b", "c", "d"))
    large_count, large_peak = peak_of_poll(ctx, connector_id)
    assert (small_count, large_count) == (400, 6_000)
    # 15x the resources; a poll that kept them would need ~15x the memory.
    assert large_peak < small_peak * 2, (small_peak, large_peak)
