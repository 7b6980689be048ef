"""What a poll learns about a project before reading it: which APIs are on
(``services:batchGet``) and which permissions the key holds (``testIamPermissions``).

Both are one call per project. Knowing them up front means a disabled API's types are
reported *not read* without a refused call per type, and a missing permission is named
even for types that would have answered an empty list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cloudconnectors.domain.assets import GLOBAL_REGION, CollectedAsset
from cloudconnectors.domain.runs import CollectorResult, Outcome
from cloudconnectors.providers.collecting import SerialSink, Tally
from cloudconnectors.providers.gcp.apis import Api
from cloudconnectors.providers.gcp.faults import classify
from cloudconnectors.providers.gcp.transport import GoogleApi

__all__ = ["SERVICE_TYPE", "Preflight", "run_preflight"]

SERVICE_TYPE = "serviceusage.googleapis.com/Service"
_BATCH = 30  # services:batchGet takes at most 30 names


@dataclass(frozen=True)
class Preflight:
    project: str
    enabled: frozenset[str] | None  # service names ENABLED; None: could not tell
    granted: frozenset[str] | None  # permissions held; None: could not tell

    def api_enabled(self, service: str) -> bool | None:
        return None if self.enabled is None else service in self.enabled

    def holds(self, permission: str) -> bool | None:
        return None if self.granted is None else permission in self.granted


def run_preflight(api: GoogleApi, project: str, apis: Sequence[Api],
                  permissions: Sequence[str], sink: SerialSink) -> Preflight:
    return Preflight(project, _enabled(api, project, apis, sink),
                     _granted(api, project, permissions))


def _enabled(api: GoogleApi, project: str, apis: Sequence[Api],
             sink: SerialSink) -> frozenset[str] | None:
    tally = Tally()
    enabled: set[str] = set()
    records: list[dict[str, Any]] = []
    try:
        with api.meter.counting(tally):
            for start in range(0, len(apis), _BATCH):
                names = [f"projects/{project}/services/{a.service}"
                         for a in apis[start:start + _BATCH]]
                answer = api.get("serviceusage", f"v1/projects/{project}/services:batchGet",
                                 names=names)
                records.extend(s for s in answer.get("services") or [] if isinstance(s, dict))
    except Exception as exc:
        fault = classify(exc, project=project, service="serviceusage.googleapis.com",
                         permission="serviceusage.services.get")
        sink.report(CollectorResult(
            GLOBAL_REGION, "serviceusage", SERVICE_TYPE, fault.outcome, calls=tally.calls,
            reason=f"could not tell which APIs are enabled: {fault.reason}",
            error_code=fault.code, permission=fault.permission, account=project))
        return None
    for record in records:
        service = str((record.get("config") or {}).get("name")
                      or str(record.get("name", "")).rsplit("/", 1)[-1])
        if record.get("state") == "ENABLED":
            enabled.add(service)
        sink.add(CollectedAsset(SERVICE_TYPE, GLOBAL_REGION, str(record.get("name") or service),
                                service, record, account=project))
    sink.report(CollectorResult(GLOBAL_REGION, "serviceusage", SERVICE_TYPE, Outcome.OK,
                                count=len(records), calls=tally.calls, account=project))
    return frozenset(enabled)


def _granted(api: GoogleApi, project: str, permissions: Sequence[str]) -> frozenset[str] | None:
    granted: set[str] = set()
    try:
        for start in range(0, len(permissions), 100):
            answer = api.request(
                "POST", "cloudresourcemanager", f"v3/projects/{project}:testIamPermissions",
                body={"permissions": list(permissions[start:start + 100])})
            granted.update(str(p) for p in answer.get("permissions") or [])
    except Exception:
        # The reads themselves will say what is refused; the check is only a shortcut.
        return None
    return frozenset(granted)
