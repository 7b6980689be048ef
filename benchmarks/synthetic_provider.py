"""A provider that answers from memory, for benchmarks/scale_out.py, and a worker that uses it.

It stands in for Google Cloud (it borrows the real GCP credential model and VM type): one
region, one virtual machine, no I/O, so a poll costs only what the service itself does
(database, lease, snapshot, broker). Run as a script it is ``cloudconnectors worker`` with
this provider registered:

    PYTHONPATH=src python benchmarks/synthetic_provider.py --pool solo --name b1@%h
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from cloudconnectors.cli.main import cli
from cloudconnectors.domain.assets import CollectedAsset
from cloudconnectors.domain.connector import ProviderName
from cloudconnectors.domain.runs import CollectorResult, Outcome
from cloudconnectors.providers import registry
from cloudconnectors.providers.base import (
    CloudSession,
    CollectionSink,
    DiagnosticItem,
    PollContext,
    Provider,
    ProviderCredentials,
    ResourceTypeInfo,
)
from cloudconnectors.providers.gcp.credentials import GcpCredentials

VM_TYPE = "compute.googleapis.com/Instance"


class _MemorySession(CloudSession):
    def __init__(self, connector_id: str) -> None:
        self.connector_id = connector_id

    def discover_regions(self) -> list[str]:
        return ["memory-1"]

    def collect(self, regions: Sequence[str], sink: CollectionSink) -> None:
        for region in regions:
            sink.add(CollectedAsset(type=VM_TYPE, region=region, native_id=self.connector_id,
                                    name="vm-0", data={"id": self.connector_id}))
            sink.report(CollectorResult(region, "compute", VM_TYPE, Outcome.OK, count=1,
                                        calls=1))


class SyntheticProvider(Provider):
    key = ProviderName.GCP
    display_name = "Synthetic (in memory)"
    credentials_model = GcpCredentials
    vm_types = frozenset({VM_TYPE})

    def authenticate(self, credentials: ProviderCredentials, context: PollContext) -> CloudSession:
        return _MemorySession(context.connector_id)

    def diagnose(self, results: Sequence[CollectorResult], context: PollContext,
                 public_credentials: dict[str, Any]) -> list[DiagnosticItem]:
        return []

    def resource_types(self) -> list[ResourceTypeInfo]:
        return [ResourceTypeInfo(VM_TYPE, "compute", "regional")]


def main(argv: Sequence[str]) -> None:
    with registry.override(ProviderName.GCP, SyntheticProvider()):
        cli.main(["worker", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
