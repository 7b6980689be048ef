"""A provider that talks to no cloud, for poll and scheduler tests.

It borrows the real credential model and VM types of the provider it stands in for, so
connectors are created through the real service, and is swapped in with
``cloudconnectors.providers.registry.override``. A :class:`Plan` says what the next polls do:
how many VMs and other resources, which services are denied, whether authentication fails,
how slow it is, whether it crashes. It records every poll and the most polls that ever ran
at once for one connector.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from cloudconnectors.domain.assets import CollectedAsset
from cloudconnectors.domain.connector import ProviderName
from cloudconnectors.domain.errors import AuthenticationFailed, CollectionFailed
from cloudconnectors.domain.runs import CollectorResult, Outcome
from cloudconnectors.providers import registry
from cloudconnectors.providers.base import (
    Access,
    CloudSession,
    CollectionSink,
    DiagnosticItem,
    PollContext,
    Provider,
    ProviderCredentials,
    ResourceTypeInfo,
)

VM_TYPES = {
    ProviderName.AWS: "AWS::EC2::Instance",
    ProviderName.GCP: "compute.googleapis.com/Instance",
    ProviderName.AZURE: "Microsoft.Compute/virtualMachines",
}
OTHER_TYPES = {
    ProviderName.AWS: "AWS::S3::Bucket",
    ProviderName.GCP: "storage.googleapis.com/Bucket",
    ProviderName.AZURE: "Microsoft.Storage/storageAccounts",
}
SERVICES = ("compute", "storage")
PERMISSIONS = {"compute": "compute.instances.list", "storage": "storage.buckets.list"}
SECRET_IN_ERROR = "-----BEGIN PRIVATE KEY-----"


@dataclass
class Plan:
    vms: int = 2  # per region
    others: int = 1  # per region
    regions: tuple[str, ...] = ("region-a", "region-b")
    deny: frozenset[str] = frozenset()  # services refused (see SERVICES)
    fail_auth: str | None = None  # message of AuthenticationFailed
    crash: type[Exception] | None = None  # raised from collect, as an unexpected bug would
    give_up_after_first_region: str | None = None  # CollectionFailed message
    asset_delay: float = 0.0  # seconds slept after each asset
    gate: threading.Event | None = None  # collect waits for it before the first asset
    extra: dict[str, Any] = field(default_factory=dict)
    # Emitted once, after the regions, as if read by an "account" service: e.g. an
    # AWS::IAM::AccountPasswordPolicy record, so the compliance rules have something to judge.
    assets: tuple[CollectedAsset, ...] = ()
    # Projects or subscriptions the regions repeat in (None: the connector's own account).
    accounts: tuple[str | None, ...] = (None,)


class FakeProvider(Provider):
    def __init__(self, name: ProviderName = ProviderName.GCP, plan: Plan | None = None) -> None:
        real = registry._load(name)
        self.key = name  # type: ignore[misc]
        self.display_name = f"Fake {real.display_name}"  # type: ignore[misc]
        self.credentials_model = real.credentials_model  # type: ignore[misc]
        self.vm_types = real.vm_types  # type: ignore[misc]
        self.plan = plan or Plan()
        self.polls: list[str] = []  # connector ids, in order of authentication
        self.contexts: list[PollContext] = []  # what each authentication was given
        self.generation = 0
        self.max_concurrent: Counter[str] = Counter()
        self.max_total = 0  # most polls running at once, over all connectors
        self._active: Counter[str] = Counter()
        self._lock = threading.Lock()

    # -- recording ------------------------------------------------------------------------

    def _enter(self, connector_id: str) -> int:
        with self._lock:
            self.generation += 1
            self.polls.append(connector_id)
            self._active[connector_id] += 1
            self.max_concurrent[connector_id] = max(
                self.max_concurrent[connector_id], self._active[connector_id])
            self.max_total = max(self.max_total, sum(self._active.values()))
            return self.generation

    def _leave(self, connector_id: str) -> None:
        with self._lock:
            self._active[connector_id] -= 1

    def polls_of(self, connector_id: str) -> int:
        return self.polls.count(connector_id)

    # -- Provider -------------------------------------------------------------------------

    def authenticate(self, credentials: ProviderCredentials, context: PollContext) -> CloudSession:
        assert isinstance(credentials, self.credentials_model)
        self.contexts.append(context)
        if self.plan.fail_auth is not None:
            raise AuthenticationFailed(self.plan.fail_auth)
        return FakeSession(self, context.connector_id, self.plan)

    def diagnose(self, results: Sequence[CollectorResult], context: PollContext,
                 public_credentials: dict[str, Any]) -> list[DiagnosticItem]:
        items = []
        for service in SERVICES:
            mine = [r for r in results if r.service == service]
            denied = tuple(sorted({r.permission for r in mine
                                   if r.outcome is Outcome.DENIED and r.permission}))
            access = (Access.UNKNOWN if not mine else
                      Access.MISSING if denied else Access.GRANTED)
            items.append(DiagnosticItem(
                key=service, title=f"Read {service}", access=access,
                detail=f"{service} API", fix=f"grant {PERMISSIONS[service]}" if denied else None,
                policy={"permissions": [PERMISSIONS[service]]}, denied=denied))
        return items

    def resource_types(self) -> list[ResourceTypeInfo]:
        return [ResourceTypeInfo(VM_TYPES[self.key], "compute", "regional"),
                ResourceTypeInfo(OTHER_TYPES[self.key], "storage", "regional")]


class FakeSession(CloudSession):
    def __init__(self, provider: FakeProvider, connector_id: str, plan: Plan) -> None:
        self.provider = provider
        self.connector_id = connector_id
        self.plan = plan

    def discover_regions(self) -> list[str]:
        return list(self.plan.regions)

    def collect(self, regions: Sequence[str], sink: CollectionSink) -> None:
        generation = self.provider._enter(self.connector_id)
        try:
            if self.plan.gate is not None:
                assert self.plan.gate.wait(30), "test gate never opened"
            if self.plan.crash is not None:
                raise self.plan.crash(f"boom with {SECRET_IN_ERROR} inside")
            for region in regions:
                for account in self.plan.accounts:
                    self._collect_region(region, account, generation, sink)
                if self.plan.give_up_after_first_region is not None:
                    raise CollectionFailed(self.plan.give_up_after_first_region)
            for asset in self.plan.assets:
                sink.add(asset)
            for type_ in sorted({a.type for a in self.plan.assets}):
                sink.report(CollectorResult(
                    "global", "account", type_, Outcome.OK,
                    count=sum(a.type == type_ for a in self.plan.assets), calls=1))
        finally:
            self.provider._leave(self.connector_id)

    def _collect_region(self, region: str, account: str | None, generation: int,
                        sink: CollectionSink) -> None:
        for service, count, type_ in (
            ("compute", self.plan.vms, VM_TYPES[self.provider.key]),
            ("storage", self.plan.others, OTHER_TYPES[self.provider.key]),
        ):
            if service in self.plan.deny:
                sink.report(CollectorResult(
                    region, service, type_, Outcome.DENIED, calls=1,
                    reason="the caller does not have permission",
                    error_code="403", permission=PERMISSIONS[service], account=account))
                continue
            for i in range(count):
                sink.add(CollectedAsset(
                    type=type_, region=region, native_id=f"{service}-{i}",
                    name=f"{service} {i}", account=account,
                    data={"generation": generation, "index": i, "region": region}))
                if self.plan.asset_delay:
                    time.sleep(self.plan.asset_delay)
            sink.report(CollectorResult(region, service, type_, Outcome.OK,
                                        count=count, calls=1 + count // 100, account=account))


@contextmanager
def fake_provider(name: ProviderName = ProviderName.GCP,
                  plan: Plan | None = None) -> Iterator[FakeProvider]:
    with registry.override(name, FakeProvider(name, plan)) as provider:
        assert isinstance(provider, FakeProvider)
        yield provider
