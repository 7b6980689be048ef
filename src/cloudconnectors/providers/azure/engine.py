"""The one Azure collection engine: every declaration, concurrently, one subscription.

ARM lists a type subscription-wide (one paged call covers every location), so a task is one
declaration. Items stream to the sink page by page; each page's per-item sub-records are
read on a second bounded pool. **Sink calls are serialised with one lock**.

Results: a list that succeeds is reported once per location it found items in (with the
count there; the calls on the first), or once as ``global`` when empty; a list that fails
fails for the whole subscription and is reported once as ``global``. A refused or failed
sub-record makes its collector PARTIAL, naming the action, and is written into the item
under ``_cc_errors`` (``{key: error code}``) so rules answer MANUAL rather than guess.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from cloudconnectors.domain.assets import GLOBAL_REGION, CollectedAsset
from cloudconnectors.domain.runs import CollectorResult, Outcome
from cloudconnectors.providers.azure.client import Rest
from cloudconnectors.providers.azure.declarations import Api, Detail, ResourceType, Scope
from cloudconnectors.providers.azure.faults import ABSENT_CODES, ApiError, Fault, classify
from cloudconnectors.providers.azure.options import AzureOptions
from cloudconnectors.providers.base import CollectionSink
from cloudconnectors.providers.collecting import CallMeter, Tally

__all__ = ["ERRORS_KEY", "Engine", "region_of"]

ERRORS_KEY = "_cc_errors"
Item = dict[str, Any]


class _SinkFailed(Exception):
    """The sink refused an asset: raised out of ``run``, never classified."""


@dataclass
class _Problems:
    denied: dict[str, str] = field(default_factory=dict)  # action -> code
    failed: Counter[str] = field(default_factory=Counter)  # code -> count
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, fault: Fault) -> None:
        with self.lock:
            if fault.outcome is Outcome.DENIED and fault.permission:
                self.denied.setdefault(fault.permission, fault.code)
            else:
                self.failed[fault.code] += 1


def region_of(record: Item) -> str:
    """ARM locations come as ``eastus`` or, from some providers, ``East US``."""
    location = record.get("location")
    if not isinstance(location, str) or not location.strip():
        return GLOBAL_REGION
    return location.replace(" ", "").lower()


class Engine:
    def __init__(self, resources: Sequence[ResourceType], arm: Rest, graph: Rest,
                 subscription_id: str, options: AzureOptions, meter: CallMeter) -> None:
        self._resources = resources
        self._arm = arm
        self._graph = graph
        self._subscription = subscription_id
        self._options = options
        self._meter = meter
        self._sink_lock = threading.Lock()

    def run(self, sink: CollectionSink) -> None:
        with ThreadPoolExecutor(self._options.detail_concurrency,
                                thread_name_prefix="azure-detail") as details, \
                ThreadPoolExecutor(self._options.concurrency,
                                   thread_name_prefix="azure-collect") as pool:
            futures = [pool.submit(self._collect, r, sink, details) for r in self._resources]
            failure: BaseException | None = None
            for future in futures:
                try:
                    future.result()
                except _SinkFailed as exc:
                    failure = failure or exc.__cause__ or exc
            if failure is not None:
                raise failure

    # -- one declaration -----------------------------------------------------------------

    def _collect(self, resource: ResourceType, sink: CollectionSink,
                 details: ThreadPoolExecutor) -> None:
        tally = Tally()
        problems = _Problems()
        per_region: Counter[str] = Counter()
        try:
            with self._meter.counting(tally):
                for page in self._pages(resource):
                    for asset in self._assets(resource, page, details, problems, tally):
                        self._add(sink, asset)
                        per_region[asset.region] += 1
        except _SinkFailed:
            raise
        except Exception as exc:
            fault = classify(exc, resource.permission)
            count = sum(per_region.values())
            outcome, reason = fault.outcome, fault.reason
            truncated = bool(count) and outcome is not Outcome.SKIPPED
            if truncated:  # the listing stopped part-way: a gap, whatever it holds
                outcome, reason = Outcome.PARTIAL, f"stopped after {count} items: {reason}"
            self._report(sink, _result(resource, self._subscription, GLOBAL_REGION, outcome,
                                       tally.calls,
                                       count=count, reason=reason, code=fault.code,
                                       permission=fault.permission, truncated=truncated))
            return
        self._summarise(sink, resource, tally, per_region, problems)

    def _pages(self, resource: ResourceType) -> Iterator[list[Item]]:
        rest = self._graph if resource.api is Api.GRAPH else self._arm
        params = dict(resource.params)
        if resource.api is Api.ARM:
            params["api-version"] = resource.api_version or ""
        if resource.parent is None:
            url = rest.url(self._sub(resource.path), params)
            if resource.single:
                record = rest.get(url)
                record.pop("@odata.context", None)
                yield [record]
            else:
                yield from rest.pages(url)
            return
        version = resource.parent_api_version or resource.api_version or ""
        parents = rest.url(self._sub(resource.parent), {"api-version": version})
        for page in rest.pages(parents):
            for parent in page:
                yield from rest.pages(rest.url(f"{parent['id']}/{resource.path}", params))

    def _sub(self, path: str) -> str:
        return path.replace("{subscription}", self._subscription)

    def _assets(self, resource: ResourceType, page: list[Item], details: ThreadPoolExecutor,
                problems: _Problems, tally: Tally) -> list[CollectedAsset]:
        if not resource.details:
            return [self._asset(resource, item) for item in page]

        def enrich(item: Item) -> CollectedAsset:
            sub = Tally()
            with self._meter.counting(sub):
                for detail in resource.details:
                    self._read_detail(detail, item, problems)
            with problems.lock:
                tally.calls += sub.calls
                tally.throttled += sub.throttled
            return self._asset(resource, item)

        return list(details.map(enrich, page))

    def _read_detail(self, detail: Detail, item: Item, problems: _Problems) -> None:
        owner = item.get("id")
        if not isinstance(owner, str):
            return
        if detail.api is Api.GRAPH:
            rest, url = self._graph, self._graph.url(detail.path.format(id=owner))
        else:
            rest = self._arm
            url = rest.url(f"{owner}/{detail.path}", {"api-version": detail.api_version or ""})
        try:
            value: Any = ([v for page in rest.pages(url) for v in page] if detail.many
                          else rest.get(url))
        except Exception as exc:
            if isinstance(exc, ApiError) and exc.code in ABSENT_CODES:
                item[detail.key] = None  # not configured: nothing to judge, not a refusal
                return
            fault = classify(exc, detail.action)
            problems.add(fault)
            item.setdefault(ERRORS_KEY, {})[detail.key] = fault.code  # the rule names the action
            return
        if detail.each and isinstance(value, list):
            for sub_record in value:
                for nested in detail.each:
                    self._read_detail(nested, sub_record, problems)
        item[detail.key] = detail.transform(value) if detail.transform else value

    def _asset(self, resource: ResourceType, item: Item) -> CollectedAsset:
        native = item.get("id") or item.get(resource.name_key) or resource.type
        name = item.get(resource.name_key) or item.get("name")
        region = region_of(item) if resource.scope is Scope.REGIONAL else GLOBAL_REGION
        return CollectedAsset(type=resource.type, region=region, native_id=str(native),
                              name=None if name is None else str(name), data=item,
                              account=self._subscription)

    # -- reporting -----------------------------------------------------------------------

    def _summarise(self, sink: CollectionSink, resource: ResourceType, tally: Tally,
                   per_region: Counter[str], problems: _Problems) -> None:
        outcome, reason, code, permission = Outcome.OK, None, None, None
        notes = []
        if tally.throttled:
            notes.append(f"{tally.throttled} throttled answers were retried")
        if problems.denied or problems.failed:
            parts = [f"{action} refused" for action in problems.denied]
            parts += [f"{n} sub-record reads failed ({c})" for c, n in problems.failed.items()]
            notes.insert(0, "some sub-records are missing: " + "; ".join(parts))
            outcome = Outcome.PARTIAL
            permission = next(iter(problems.denied), None)
            code = next(iter(problems.denied.values()), None) or next(iter(problems.failed),
                                                                      None)
        reason = ". ".join(notes) or None
        regions = sorted(per_region) or [GLOBAL_REGION]
        for index, region in enumerate(regions):
            self._report(sink, _result(resource, self._subscription, region, outcome,
                                       tally.calls if index == 0 else 0,
                                       count=per_region.get(region, 0), reason=reason,
                                       code=code, permission=permission))

    def _add(self, sink: CollectionSink, asset: CollectedAsset) -> None:
        with self._sink_lock:
            try:
                sink.add(asset)
            except Exception as exc:
                raise _SinkFailed(str(exc)) from exc

    def _report(self, sink: CollectionSink, result: CollectorResult) -> None:
        with self._sink_lock:
            sink.report(result)


def _result(resource: ResourceType, account: str, region: str, outcome: Outcome, calls: int, *,
            count: int = 0, reason: str | None = None, code: str | None = None,
            permission: str | None = None, truncated: bool = False) -> CollectorResult:
    return CollectorResult(region=region, service=resource.service,
                           resource_type=resource.type, outcome=outcome, count=count,
                           calls=calls, reason=reason, error_code=code, permission=permission,
                           account=account, truncated=truncated)
