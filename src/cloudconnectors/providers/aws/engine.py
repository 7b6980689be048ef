"""The one collection engine: runs every declaration in every region, concurrently.

Scheduling: one task per (region, resource type); global types run once with region
``global`` against the home region. A small scheduler on the calling thread starts tasks
on a bounded pool while respecting two limits, at most ``per_region`` tasks per region and
at most ``per_service`` per (service, region) - AWS throttles per account, region and API,
so spreading work across services and regions is what keeps a poll fast and polite.
Per-item detail calls fan out on a second bounded pool, one page at a time.

Streaming: items go to the sink page by page; nothing holds more than one page per task.
**Sink calls are serialised by the engine** (``collecting.SerialSink``), so sinks need not
be thread-safe. Each task ends with exactly one ``sink.report(CollectorResult)``.

Errors are data: every exception from a call is classified (``faults.classify``) into the
collector's outcome; a refused or failed per-item detail makes the collector PARTIAL and is
written into the asset under ``_cc_errors`` so rules can answer MANUAL.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import jmespath
from botocore import xform_name

from cloudconnectors.domain.assets import GLOBAL_REGION, CollectedAsset
from cloudconnectors.domain.runs import CollectorResult, Outcome
from cloudconnectors.providers.aws.declarations import Detail, ResourceType, Scope
from cloudconnectors.providers.aws.faults import Fault, classify, error_code
from cloudconnectors.providers.aws.jsonable import jsonable
from cloudconnectors.providers.aws.metering import Meter, Tally
from cloudconnectors.providers.aws.options import AwsOptions
from cloudconnectors.providers.aws.permissions import iam_action
from cloudconnectors.providers.base import CollectionSink
from cloudconnectors.providers.collecting import (
    SerialSink,
    SinkFailed,
    cap_malloc_arenas,
    run_bounded,
)

__all__ = ["ERRORS_KEY", "ClientSource", "Engine"]

ERRORS_KEY = "_cc_errors"

# (service, region) -> a ready client; built lazily and shared by threads.
ClientSource = Callable[[str, str], Any]
# (service) -> the regions where AWS offers it (empty: unknown, try everywhere);
# None: the installed SDK does not know the service (AWS retired it, e.g. QLDB).
RegionsOffered = Callable[[str], frozenset[str] | None]


@dataclass(frozen=True)
class _Task:
    resource: ResourceType
    region: str  # ``global`` for global types

    @property
    def slot(self) -> tuple[str, str]:
        return (self.resource.service, self.region)


@dataclass
class _Problems:
    """What went wrong inside one collector, beyond the list call itself."""

    denied: dict[str, str] = field(default_factory=dict)  # action -> code
    failed: Counter[str] = field(default_factory=Counter)  # code -> count
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, fault: Fault) -> None:
        with self.lock:
            if fault.outcome is Outcome.DENIED and fault.permission:
                self.denied.setdefault(fault.permission, fault.code)
            else:
                self.failed[fault.code] += 1


class _TaskReader:
    """The ``Reader`` handed to declarations: the type's client, declared operations only
    (and, for details another service answers, that service's client in the home region)."""

    def __init__(self, client: Any, resource: ResourceType, account_id: str,
                 foreign: Callable[[str], Any]) -> None:
        self._client = client
        self._allowed = frozenset(resource.operations())
        self._foreign_allowed = frozenset(resource.foreign_calls())
        self._foreign = foreign
        self._service = resource.service
        self.account_id = account_id

    def _method(self, operation: str) -> Callable[..., dict[str, Any]]:
        if operation not in self._allowed:
            raise AssertionError(f"{self._service}:{operation} is not declared by the type")
        method: Callable[..., dict[str, Any]] = getattr(self._client, xform_name(operation))
        return method

    def call(self, operation: str, **params: Any) -> dict[str, Any]:
        return self._method(operation)(**params)

    def call_on(self, service: str, operation: str, **params: Any) -> dict[str, Any]:
        if (service, operation) not in self._foreign_allowed:
            raise AssertionError(f"{service}:{operation} is not declared by the type")
        method: Callable[..., dict[str, Any]] = getattr(self._foreign(service),
                                                       xform_name(operation))
        return method(**params)

    def pages(self, operation: str, **params: Any) -> Iterator[dict[str, Any]]:
        name = xform_name(operation)
        self._method(operation)
        if self._client.can_paginate(name):
            yield from self._client.get_paginator(name).paginate(**params)
        else:
            yield self.call(operation, **params)


class Engine:
    def __init__(
        self,
        resources: Sequence[ResourceType],
        clients: ClientSource,
        account_id: str,
        options: AwsOptions,
        meter: Meter,
        offered: RegionsOffered,
    ) -> None:
        self._resources = resources
        self._clients = clients
        self._account_id = account_id
        self._options = options
        self._meter = meter
        self._offered = offered

    def run(self, regions: Sequence[str], raw_sink: CollectionSink) -> None:
        cap_malloc_arenas()
        sink = SerialSink(raw_sink)
        tasks: list[_Task] = []
        for resource in self._resources:
            if resource.scope is Scope.GLOBAL:
                tasks.append(_Task(resource, GLOBAL_REGION))
                continue
            offered = self._offered(resource.service)
            if offered is None:
                for region in regions:
                    sink.report(_result(_Task(resource, region), Outcome.SKIPPED, Tally(),
                                reason=f"{resource.service} is not known to the installed "
                                "AWS SDK (the service may be retired)"))
                continue
            for region in regions:
                if offered and region not in offered:
                    # Nothing can exist there: a complete, empty read (not a gap).
                    sink.report(_result(_Task(resource, region), Outcome.OK, Tally(),
                                reason=f"{resource.service} is not offered in {region}"))
                else:
                    tasks.append(_Task(resource, region))
        # Interleave regions so the first tasks started are spread over all of them.
        tasks.sort(key=lambda t: (regions.index(t.region) if t.region in regions else -1))
        tasks.sort(key=lambda t: self._resources.index(t.resource))
        with ThreadPoolExecutor(self._options.detail_concurrency,
                                thread_name_prefix="aws-detail") as details, \
                ThreadPoolExecutor(self._options.concurrency,
                                   thread_name_prefix="aws-collect") as pool:
            options = self._options
            try:
                run_bounded(
                    tasks, lambda task: self._collect(task, sink, details), pool,
                    concurrency=options.concurrency,
                    limits=lambda t: ((("region", t.region), options.per_region),
                                      (("slot", t.slot), options.per_service)))
            except SinkFailed as failed:
                raise (failed.__cause__ or failed) from None

    def _collect(self, task: _Task, sink: SerialSink, details: ThreadPoolExecutor) -> None:
        resource = task.resource
        tally = Tally()
        problems = _Problems()
        count = 0
        try:
            with self._meter.counting(tally):
                region = self._options.home_region if task.region == GLOBAL_REGION \
                    else task.region
                client = self._clients(resource.service, region)
                home = self._options.home_region
                reader = _TaskReader(client, resource, self._account_id,
                                     lambda service: self._clients(service, home))
                for page in _pages(resource, reader):
                    assets = self._assets(task, page, reader, details, problems, tally)
                    for asset in assets:
                        sink.add(asset)
                        count += 1
        except SinkFailed:
            raise  # storage failing makes the poll meaningless: not a collector outcome
        except Exception as exc:
            fault = classify(exc, resource.service)
            outcome = fault.outcome
            reason = fault.reason
            truncated = False
            if count and outcome is not Outcome.SKIPPED:
                outcome, reason = Outcome.PARTIAL, f"stopped after {count} items: {reason}"
                truncated = True
            sink.report(_result(task, outcome, tally, count=count, reason=reason,
                                code=fault.code, permission=fault.permission,
                                truncated=truncated))
            return
        sink.report(_summarise(task, tally, count, problems))

    def _assets(self, task: _Task, page: list[dict[str, Any]], reader: _TaskReader,
                details: ThreadPoolExecutor, problems: _Problems,
                tally: Tally) -> list[CollectedAsset]:
        resource = task.resource
        if not resource.details:
            return [self._asset(task, item) for item in page]

        def enrich(item: dict[str, Any]) -> CollectedAsset:
            sub = Tally()
            with self._meter.counting(sub):
                for detail in resource.details:
                    _read_detail(detail, item, reader, resource.service, problems)
            with problems.lock:
                tally.calls += sub.calls
                tally.throttled += sub.throttled
            return self._asset(task, item)

        return list(details.map(enrich, page))

    def _asset(self, task: _Task, item: dict[str, Any]) -> CollectedAsset:
        resource = task.resource
        if resource.enrich is not None:
            item = resource.enrich(item)
        native_id = self._account_id if resource.id is None else jmespath.search(resource.id, item)
        name = jmespath.search(resource.name, item) if resource.name else None
        type_ = resource.type_of(item) if resource.type_of else resource.type
        return CollectedAsset(
            type=type_, region=task.region, native_id=str(native_id),
            name=None if name is None else str(name), data=jsonable(item),
        )



def _pages(resource: ResourceType, reader: _TaskReader) -> Iterator[list[dict[str, Any]]]:
    """Items one page at a time, whether listed by the engine or by a ``fetch`` function."""
    try:
        if resource.fetch is not None:
            batch: list[dict[str, Any]] = []
            for item in resource.fetch(reader):
                batch.append(item)
                if len(batch) >= 100:
                    yield batch
                    batch = []
            if batch:
                yield batch
            return
        params = {k: (reader.account_id if v == "{account_id}" else v)
                  for k, v in resource.params.items()}
        for page in reader.pages(resource.operation, **params):
            found = jmespath.search(resource.items, page) or []
            if resource.wrap:
                found = [{resource.wrap: value} for value in found]
            yield list(found)
    except Exception as exc:
        if error_code(exc) not in resource.absent:
            raise
        if resource.absent_item is not None:
            yield [dict(resource.absent_item)]


def _read_detail(detail: Detail, item: dict[str, Any], reader: _TaskReader, service: str,
                 problems: _Problems) -> None:
    if detail.key in item:  # the list call already answered it (S3 ListBuckets' BucketRegion)
        return
    if detail.when is not None and not detail.when(item):
        item[detail.key] = None
        return
    service = detail.service or service
    try:
        if detail.service is None:
            answer = reader.call(detail.operation, **detail.params(item))
        else:
            answer = reader.call_on(detail.service, detail.operation, **detail.params(item))
    except Exception as exc:
        fault = classify(exc, service)
        if fault.code in detail.absent:
            item[detail.key] = None
            return
        problems.add(fault)
        item.setdefault(ERRORS_KEY, {})[detail.key] = {
            "outcome": fault.outcome.value, "code": fault.code,
            "permission": fault.permission or iam_action(service, detail.operation),
        }
        return
    answer.pop("ResponseMetadata", None)
    value = jmespath.search(detail.result, answer) if detail.result else answer
    item[detail.key] = detail.transform(value) if detail.transform else value


def _summarise(task: _Task, tally: Tally, count: int, problems: _Problems) -> CollectorResult:
    notes = []
    if tally.throttled:
        notes.append(f"{tally.throttled} throttled answers were retried")
    if problems.denied or problems.failed:
        parts = [f"{action} refused" for action in problems.denied]
        parts += [f"{n} detail reads failed ({code})" for code, n in problems.failed.items()]
        notes.insert(0, "some per-item details are missing: " + "; ".join(parts))
        permission = next(iter(problems.denied), None)
        code = next(iter(problems.denied.values()), None) or next(iter(problems.failed), None)
        return _result(task, Outcome.PARTIAL, tally, count=count, reason=". ".join(notes),
                       code=code, permission=permission)
    return _result(task, Outcome.OK, tally, count=count, reason=". ".join(notes) or None)


def _result(task: _Task, outcome: Outcome, tally: Tally, *, count: int = 0,
            reason: str | None = None, code: str | None = None,
            permission: str | None = None, truncated: bool = False) -> CollectorResult:
    return CollectorResult(
        region=task.region, service=task.resource.service, resource_type=task.resource.type,
        outcome=outcome, count=count, calls=tally.calls, reason=reason, error_code=code,
        permission=permission, truncated=truncated,
    )
