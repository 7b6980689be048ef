"""The poll sequence the Azure provider tests share."""

from __future__ import annotations

from dataclasses import dataclass

from cloudconnectors.providers.azure.credentials import AzureCredentials
from cloudconnectors.providers.azure.provider import AzureProvider
from cloudconnectors.providers.azure.session import AzureSession
from cloudconnectors.providers.base import PollContext
from tests.support.sinks import MemorySink


@dataclass
class Poll:
    sink: MemorySink
    session: AzureSession

    def of(self, type_: str) -> list[dict[str, object]]:
        return [a.data for a in self.sink.of_type(type_)]


def run_poll(context: PollContext, creds: AzureCredentials) -> Poll:
    """What the poll service does with a provider: authenticate, discover, collect."""
    session = AzureProvider().authenticate(creds, context)
    assert isinstance(session, AzureSession)
    sink = MemorySink()
    try:
        regions = session.discover_regions()
        sink.regions_discovered(regions)
        session.collect(regions, sink)
    finally:
        session.close()
    return Poll(sink, session)
