"""Throttling, server errors, timeouts and odd answers, injected into the stand-in."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudconnectors.demo.azure_sandbox import Fault
from cloudconnectors.domain.runs import Outcome
from cloudconnectors.providers.azure.faults import ApiError
from cloudconnectors.providers.azure.provider import AzureProvider
from cloudconnectors.providers.azure.session import AzureSession
from cloudconnectors.providers.base import PollContext
from tests.providers.azure.polling import run_poll
from tests.support.azure import SUBSCRIPTION, VMS, AzureWorld, credentials, settings_for

VM = "Microsoft.Compute/virtualMachines"
DISKS = "Microsoft.Compute/disks"


def test_429_with_a_short_retry_after_is_waited_out(azure: AzureWorld,
                                                    context: PollContext) -> None:
    fault = Fault("/providers/microsoft.compute/virtualmachines?", status=429, times=1,
                  retry_after=0.1)
    azure.world.faults.append(fault)
    sink = run_poll(context, credentials()).sink
    assert fault.hits == 1
    result = sink.result(VM, "eastus")
    assert result.outcome is Outcome.OK
    assert "1 throttled answers were retried" in (result.reason or "")
    assert len(sink.of_type(VM)) == VMS


def test_retry_after_beyond_the_cap_stops_at_once(azure: AzureWorld,
                                                   context: PollContext) -> None:
    """azure-core alone would sleep ten minutes here; the capped policy gives up."""
    fault = Fault("/providers/microsoft.compute/disks", status=429, times=-1, retry_after=600)
    azure.world.faults.append(fault)
    sink = run_poll(context, credentials()).sink
    result = sink.result(DISKS, "global")
    assert result.outcome is Outcome.THROTTLED
    assert fault.hits == 1  # not retried
    assert "next poll" in (result.reason or "")
    assert len(sink.of_type(VM)) == VMS  # the other collectors went on


def test_persistent_throttling_is_retried_boundedly(azure: AzureWorld,
                                                    context: PollContext) -> None:
    fault = Fault("/providers/microsoft.compute/disks", status=429, times=-1, retry_after=0.05)
    azure.world.faults.append(fault)
    sink = run_poll(context, credentials()).sink
    assert sink.result(DISKS, "global").outcome is Outcome.THROTTLED
    assert fault.hits == 3  # the first attempt and azure_max_retries=2


def test_server_errors_are_retried_then_recorded(azure: AzureWorld,
                                                 context: PollContext) -> None:
    azure.world.faults.append(Fault("/providers/microsoft.network/networkwatchers?",
                                    status=503, times=1))
    stuck = Fault("/providers/microsoft.web/sites", status=500, times=-1)
    azure.world.faults.append(stuck)
    sink = run_poll(context, credentials()).sink
    assert sink.result("Microsoft.Network/networkWatchers", "eastus").outcome is Outcome.OK
    web = sink.result("Microsoft.Web/sites", "global")
    assert (web.outcome, web.error_code) == (Outcome.FAILED, "InternalServerError")
    assert stuck.hits == 3


def test_a_failing_sub_record_makes_its_collector_partial(azure: AzureWorld,
                                                          context: PollContext) -> None:
    azure.world.faults.append(Fault("/blobservices/default", status=500, times=-1))
    sink = run_poll(context, credentials()).sink
    result = sink.result("Microsoft.Storage/storageAccounts", "eastus")
    assert result.outcome is Outcome.PARTIAL
    assert "sub-record reads failed (InternalServerError)" in (result.reason or "")
    account = sink.of_type("Microsoft.Storage/storageAccounts")[0]
    assert account.data["_cc_errors"] == {"blobServiceProperties": "InternalServerError"}


def test_timeouts_are_retried_then_recorded(azure: AzureWorld, tmp_path: Path) -> None:
    settings = settings_for(azure, tmp_path, azure_read_timeout="0.3", azure_max_retries="1")
    context = PollContext(settings, "tenant-1", "conn-1")
    slow = Fault("/providers/microsoft.containerservice/", status=200, times=-1, delay=0.8)
    azure.world.faults.append(slow)
    sink = run_poll(context, credentials()).sink
    result = sink.result("Microsoft.ContainerService/managedClusters", "global")
    assert result.outcome is Outcome.FAILED
    assert result.error_code in {"Timeout", "ConnectionError"}
    assert slow.hits == 2


def test_low_ratelimit_headroom_slows_the_poll_down(azure: AzureWorld,
                                                    tmp_path: Path) -> None:
    settings = settings_for(azure, tmp_path, azure_ratelimit_pause="0.001")
    azure.world.ratelimit_remaining = 3
    session = AzureProvider().authenticate(credentials(), PollContext(settings, "t", "c"))
    assert isinstance(session, AzureSession)
    try:
        session.discover_regions()
        session.discover_regions()
        governor = session.arm.governor
        assert governor.remaining == 3
        assert governor.waits >= 1
    finally:
        session.close()


def test_api_version_is_required_and_foreign_links_are_refused(
        azure: AzureWorld, context: PollContext) -> None:
    session = AzureProvider().authenticate(credentials(), context)
    assert isinstance(session, AzureSession)
    arm = session.arm
    try:
        with pytest.raises(ApiError) as missing:
            arm.get(arm.url(f"/subscriptions/{SUBSCRIPTION}/resourcegroups"))
        assert missing.value.code == "MissingApiVersionParameter"
        with pytest.raises(ApiError) as foreign:
            arm.get(f"https://elsewhere.example/subscriptions/{SUBSCRIPTION}")
        assert foreign.value.code == "ForeignLink"
    finally:
        session.close()


def test_a_listing_that_fails_on_a_later_page_is_marked_truncated(
        azure: AzureWorld, context: PollContext) -> None:
    from cloudconnectors.domain.scopes import is_gap

    # Pages of two: the first page of virtual machines answers, every later one fails.
    azure.world.faults.append(Fault("/providers/microsoft.compute/virtualmachines?"
                                    "api-version=2024-07-01&%24skiptoken", status=500,
                                    times=-1))
    sink = run_poll(context, credentials()).sink
    result = sink.result(VM, "global")
    assert result.outcome is Outcome.PARTIAL and result.truncated
    assert (result.reason or "").startswith("stopped after 2 items")
    assert is_gap(result)
    assert not any(r.truncated for r in sink.results if r.resource_type == DISKS)
