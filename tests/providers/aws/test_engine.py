"""The engine on fake clients: scheduling bounds, one report per collector, skips."""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

from cloudconnectors.domain.runs import Outcome
from cloudconnectors.providers.aws.declarations import Detail, ResourceType
from cloudconnectors.providers.aws.engine import Engine
from cloudconnectors.providers.aws.metering import Meter
from cloudconnectors.providers.aws.options import AwsOptions
from tests.support.sinks import MemorySink

REGIONS = ["r1", "r2", "r3"]


class _Tracker:
    """Peak number of calls in flight per (service, region) and per region."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active: Counter[object] = Counter()
        self.peak: Counter[object] = Counter()

    def call(self, service: str, region: str) -> None:
        keys = ((service, region), region)
        with self._lock:
            for key in keys:
                self._active[key] += 1
                self.peak[key] = max(self.peak[key], self._active[key])
        time.sleep(0.02)
        with self._lock:
            for key in keys:
                self._active[key] -= 1


class _FakeClient:
    """Answers every list call with two items."""

    def __init__(self, service: str, region: str, tracker: _Tracker) -> None:
        self._service, self._region, self._tracker = service, region, tracker

    def can_paginate(self, name: str) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        def call(**_: Any) -> dict[str, Any]:
            self._tracker.call(self._service, self._region)
            return {"Items": [{"Id": f"{name}-1"}, {"Id": f"{name}-2"}]}
        return call


def test_bounds_per_service_and_region_and_one_report_each() -> None:
    tracker = _Tracker()
    resources = [ResourceType(f"AWS::Fake::T{i}", f"svc{i % 2}", f"ListT{i}", "Items", "Id")
                 for i in range(8)]
    options = AwsOptions(concurrency=16, per_service=2, per_region=3, detail_concurrency=2)
    engine = Engine(resources, lambda service, region: _FakeClient(service, region, tracker),
                    "123456789012", options, Meter(), lambda service: frozenset())
    sink = MemorySink()
    engine.run(REGIONS, sink)

    assert len(sink.assets) == 8 * 3 * 2
    assert len(sink.results) == 8 * 3
    assert all(r.outcome is Outcome.OK and r.count == 2 for r in sink.results)
    assert max(v for k, v in tracker.peak.items() if isinstance(k, tuple)) <= 2
    assert max(v for k, v in tracker.peak.items() if isinstance(k, str)) <= 3


def test_service_not_offered_in_region_reads_as_empty() -> None:
    """Nothing can exist where AWS does not offer the service: an empty, complete read (not a
    gap that would turn rules MANUAL in every newer region), saying why, with no call."""
    resources = [ResourceType("AWS::Fake::Thing", "svc", "ListThings", "Items", "Id")]
    engine = Engine(resources, lambda service, region: _FakeClient(service, region, _Tracker()),
                    "123456789012", AwsOptions(), Meter(), lambda service: frozenset({"r1"}))
    sink = MemorySink()
    engine.run(REGIONS, sink)
    outcomes = {r.region: r.outcome for r in sink.results}
    assert outcomes == {"r1": Outcome.OK, "r2": Outcome.OK, "r3": Outcome.OK}
    r2 = next(r for r in sink.results if r.region == "r2")
    assert (r2.count, r2.calls, r2.reason) == (0, 0, "svc is not offered in r2")


class _Recorder:
    """Clients that record (service, region, operation, params) and echo the params."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str, dict[str, Any]]] = []
        self._lock = threading.Lock()

    def client(self, service: str, region: str) -> Any:
        recorder = self

        class Client:
            def can_paginate(self, name: str) -> bool:
                return False

            def __getattr__(self, name: str) -> Any:
                def call(**params: Any) -> dict[str, Any]:
                    with recorder._lock:
                        recorder.calls.append((service, region, name, params))
                    if name == "list_things":
                        return {"Items": [{"Id": "a", "Bucket": "b1"}, {"Id": "b"}]}
                    return {"Echo": params}
                return call

        return Client()


def test_details_with_a_condition_or_another_services_client() -> None:
    """``when`` skips the call (the key is stored as None); ``service`` sends the call to
    that service's client in the home region, and only those two operations are made."""
    calls = _Recorder()
    resources = [ResourceType(
        "AWS::Fake::Thing", "svc", "ListThings", "Items", "Id",
        details=(Detail("Logging", "GetBucketLogging", lambda i: {"Bucket": i["Bucket"]},
                        "Echo", service="s3", when=lambda i: "Bucket" in i),))]
    options = AwsOptions(home_region="r1")
    engine = Engine(resources, calls.client, "123456789012", options, Meter(),
                    lambda service: frozenset())
    sink = MemorySink()
    engine.run(["r2"], sink)

    assert sorted(c[:3] for c in calls.calls) == [
        ("s3", "r1", "get_bucket_logging"), ("svc", "r2", "list_things")]
    data = {a.native_id: a.data for a in sink.assets}
    assert data["a"]["Logging"] == {"Bucket": "b1"}
    assert data["b"]["Logging"] is None
    assert resources[0].actions() == ("svc:ListThings", "s3:GetBucketLogging")
