"""A signed-in session on one subscription: locations, the role check, collection."""

from __future__ import annotations

from collections.abc import Sequence

from cloudconnectors.domain.assets import GLOBAL_REGION, CollectedAsset
from cloudconnectors.domain.errors import AuthenticationFailed, CollectionFailed
from cloudconnectors.domain.runs import CollectorResult, Outcome
from cloudconnectors.providers.azure.client import Rest
from cloudconnectors.providers.azure.declarations import ResourceType
from cloudconnectors.providers.azure.engine import Engine
from cloudconnectors.providers.azure.faults import classify
from cloudconnectors.providers.azure.options import AzureOptions
from cloudconnectors.providers.azure.permissions import check_role
from cloudconnectors.providers.azure.resources import RESOURCES
from cloudconnectors.providers.azure.setup import reader_command
from cloudconnectors.providers.base import CloudSession, CollectionSink
from cloudconnectors.providers.collecting import CallMeter, Tally

__all__ = ["LOCATIONS_VERSION", "PERMISSIONS_TYPE", "AzureSession"]

LOCATIONS_VERSION = "2022-12-01"
PERMISSIONS_VERSION = "2022-04-01"
PERMISSIONS_TYPE = "Microsoft.Authorization/permissions"


class AzureSession(CloudSession):
    def __init__(self, arm: Rest, graph: Rest, application_id: str, subscription_id: str,
                 options: AzureOptions, meter: CallMeter,
                 resources: Sequence[ResourceType] = RESOURCES) -> None:
        self.arm = arm
        self._graph = graph
        self.application_id = application_id
        self.subscription_id = subscription_id
        self._options = options
        self.meter = meter
        self._resources = resources

    def discover_regions(self) -> list[str]:
        url = self.arm.url(f"/subscriptions/{self.subscription_id}/locations",
                            {"api-version": LOCATIONS_VERSION})
        try:
            records = [r for page in self.arm.pages(url) for r in page]
        except Exception as exc:
            fault = classify(exc, "Microsoft.Resources/subscriptions/locations/read")
            message = (f"listing the locations of subscription {self.subscription_id} failed: "
                       f"{fault.reason}")
            if fault.outcome is Outcome.DENIED:
                raise AuthenticationFailed(
                    f"{message}. Assign the app a role on the subscription, e.g. "
                    f"`{reader_command(self.application_id, self.subscription_id)}`, then "
                    "press Refresh.") from None
            raise CollectionFailed(f"{message}; press Refresh to try again.") from None
        return sorted({str(r["name"]) for r in records if r.get("name") and
                       (r.get("metadata") or {}).get("regionType", "Physical") == "Physical"})

    def collect(self, regions: Sequence[str], sink: CollectionSink) -> None:
        self._check_role(sink)
        Engine(self._resources, self.arm, self._graph, self.subscription_id, self._options,
               self.meter).run(sink)

    def close(self) -> None:
        self.arm.close()
        self._graph.close()

    def _check_role(self, sink: CollectionSink) -> None:
        """Report the role mode as the ``Microsoft.Authorization/permissions`` collector (its
        ``error_code`` carries the mode for diagnostics) and keep the answer as an asset."""
        path = f"/subscriptions/{self.subscription_id}/providers/{PERMISSIONS_TYPE}"
        url = self.arm.url(path, {"api-version": PERMISSIONS_VERSION})
        tally = Tally()
        try:
            with self.meter.counting(tally):
                blocks = [b for page in self.arm.pages(url) for b in page]
        except Exception as exc:
            fault = classify(exc, "Microsoft.Authorization/permissions/read")
            sink.report(CollectorResult(GLOBAL_REGION, "authorization", PERMISSIONS_TYPE,
                                        fault.outcome, calls=tally.calls, reason=fault.reason,
                                        error_code=fault.code, permission=fault.permission,
                                        account=self.subscription_id))
            return
        role = check_role(blocks, self._resources)
        sink.add(CollectedAsset(PERMISSIONS_TYPE, GLOBAL_REGION, path, "effective permissions",
                                {"value": blocks, "mode": role.mode.value,
                                 "missingForFullPosture": list(role.missing_for_full)},
                                account=self.subscription_id))
        sink.report(CollectorResult(GLOBAL_REGION, "authorization", PERMISSIONS_TYPE,
                                    Outcome.OK, count=1, calls=tally.calls,
                                    reason=role.describe(), error_code=role.code,
                                    account=self.subscription_id))
