"""A provider whose credentials are accepted but whose collector has not shipped yet.

Connectors of such a provider can be created, listed and edited; a poll ends ``offline``
with an error that says so, rather than pretending to succeed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cloudconnectors.domain.errors import CollectionFailed
from cloudconnectors.domain.runs import CollectorResult
from cloudconnectors.providers.base import (
    CloudSession,
    DiagnosticItem,
    PollContext,
    Provider,
    ProviderCredentials,
    ResourceTypeInfo,
)


class CredentialsOnlyProvider(Provider):
    def authenticate(self, credentials: ProviderCredentials, context: PollContext) -> CloudSession:
        raise CollectionFailed(
            f"{self.display_name} collection is not available in this version yet; the "
            "connector and its credentials are stored and will be polled once it ships."
        )

    def diagnose(
        self,
        results: Sequence[CollectorResult],
        context: PollContext,
        public_credentials: dict[str, Any],
    ) -> list[DiagnosticItem]:
        return []

    def resource_types(self) -> list[ResourceTypeInfo]:
        return []
