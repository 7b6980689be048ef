"""The one GCP collection engine: every declaration in every project, concurrently.

Phase one runs each project's preflight (enabled APIs, held permissions) on a bounded pool;
phase two runs one task per (project, resource type), at most ``per_project`` at once in a
project and ``per_api`` at once per API, interleaved so every project makes progress.
Per-item detail reads fan out on a second bounded pool, one page at a time.

Streaming: items go to the sink page by page through a :class:`SerialSink`; nothing holds
more than a page per task. Each task ends with exactly one ``CollectorResult`` naming its
project in ``account``.

Not read is not zero: a type whose API is disabled in the project is SKIPPED with the
``gcloud services enable`` fix; one whose list permission is not held is DENIED; neither
costs a call. Everything else is classified from the ErrorInfo of what was refused.
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
from cloudconnectors.providers.base import CollectionSink
from cloudconnectors.providers.collecting import SerialSink, SinkFailed, Tally, run_bounded
from cloudconnectors.providers.gcp.apis import CHECKED_APIS, Api
from cloudconnectors.providers.gcp.declarations import Detail, ResourceType, Shape
from cloudconnectors.providers.gcp.errors import GoogleApiError
from cloudconnectors.providers.gcp.faults import SERVICE_DISABLED, classify, enable_command
from cloudconnectors.providers.gcp.locations import region_of
from cloudconnectors.providers.gcp.options import GcpOptions
from cloudconnectors.providers.gcp.preflight import Preflight, run_preflight
from cloudconnectors.providers.gcp.roles import ROLE_TITLES, permissions_by_role
from cloudconnectors.providers.gcp.transport import GoogleApi

__all__ = ["ERRORS_KEY", "Engine"]

ERRORS_KEY = "_cc_errors"
_QUIET_WARNINGS = frozenset({"NO_RESULTS_ON_PAGE"})
Item = dict[str, Any]


@dataclass(frozen=True)
class _Task:
    project: str
    resource: ResourceType


@dataclass
class _Problems:
    """What went wrong inside one collector beyond its list call."""

    denied: dict[str, str] = field(default_factory=dict)  # permission -> code
    failed: Counter[str] = field(default_factory=Counter)  # code -> count
    warnings: Counter[str] = field(default_factory=Counter)  # aggregated scope warnings
    lock: threading.Lock = field(default_factory=threading.Lock)


class Engine:
    def __init__(self, api: GoogleApi, resources: Sequence[ResourceType], options: GcpOptions,
                 apis: Sequence[Api] = CHECKED_APIS) -> None:
        self._api = api
        self._resources = [r for r in resources if r.emit]
        self._options = options
        self._apis = apis
        by_role = permissions_by_role(resources)
        self._permissions = sorted({p for names in by_role.values() for p in names})
        self._preflight: dict[str, Preflight] = {}

    def run(self, projects: Sequence[str], sink: CollectionSink) -> None:
        serial = SerialSink(sink)
        options = self._options
        with ThreadPoolExecutor(options.detail_concurrency,
                                thread_name_prefix="gcp-detail") as details, \
                ThreadPoolExecutor(options.concurrency, thread_name_prefix="gcp-collect") as pool:
            try:
                run_bounded(projects, lambda p: self._check(p, serial), pool,
                            concurrency=options.concurrency)
                tasks = [_Task(p, r) for r in self._resources for p in projects]
                run_bounded(
                    tasks, lambda t: self._collect(t, serial, details), pool,
                    concurrency=options.concurrency,
                    limits=lambda t: ((("project", t.project), options.per_project),
                                      (("api", t.resource.api), options.per_api)))
            except SinkFailed as failed:
                raise (failed.__cause__ or failed) from None

    def _check(self, project: str, sink: SerialSink) -> None:
        self._preflight[project] = run_preflight(self._api, project, self._apis,
                                                 self._permissions, sink)

    # -- one (project, type) ----------------------------------------------------------------

    def _collect(self, task: _Task, sink: SerialSink, details: ThreadPoolExecutor) -> None:
        resource, project = task.resource, task.project
        known = self._preflight.get(project, Preflight(project, None, None))
        refused = _refused_upfront(resource, known)
        if refused is not None:
            sink.report(refused)
            return
        tally, problems, count = Tally(), _Problems(), 0
        try:
            with self._api.meter.counting(tally):
                for page in self._walk(resource.chain(), project, None, problems):
                    for asset in self._assets(task, page, known, details, problems, tally):
                        sink.add(asset)
                        count += 1
        except SinkFailed:
            raise
        except Exception as exc:
            if isinstance(exc, GoogleApiError) and exc.status in resource.absent:
                sink.report(_summary(task, tally, count, problems))
                return
            fault = classify(exc, project=project, service=resource.service,
                             permission=_failing_permission(exc, resource))
            outcome, reason = fault.outcome, fault.reason
            truncated = bool(count) and outcome is not Outcome.SKIPPED
            if truncated:  # the listing stopped part-way: a gap, whatever it holds
                outcome, reason = Outcome.PARTIAL, f"stopped after {count} items: {reason}"
            sink.report(_result(task, outcome, tally, count=count, reason=reason,
                                code=fault.code, permission=fault.permission,
                                truncated=truncated))
            return
        sink.report(_summary(task, tally, count, problems))

    def _walk(self, chain: Sequence[ResourceType], project: str, parent: Item | None,
              problems: _Problems) -> Iterator[list[Item]]:
        """Pages of the last type in ``chain``, listing each parent level on the way."""
        if len(chain) == 1:
            yield from self._pages(chain[0], project, parent, problems)
            return
        for page in self._pages(chain[0], project, parent, problems):
            for item in page:
                yield from self._walk(chain[1:], project, item, problems)

    def _pages(self, resource: ResourceType, project: str, parent: Item | None,
               problems: _Problems) -> Iterator[list[Item]]:
        path = resource.path.format(project=project, parent=parent or {})
        params = {k: v.format(project=project, parent=parent or {})
                  for k, v in resource.params.items()}
        if resource.shape is Shape.SINGLE:
            try:
                yield [self._api.get(resource.api, path, **params)]
            except GoogleApiError as exc:
                if exc.status not in resource.absent:
                    raise
            return
        for page in self._api.pages(resource.api, path, params=params,
                                    page_size_param=resource.page_size_param):
            if resource.shape is Shape.AGGREGATED:
                yield list(_scoped_items(page, resource.items, problems))
            else:
                yield [i for i in page.get(resource.items) or [] if isinstance(i, dict)]

    def _assets(self, task: _Task, page: list[Item], known: Preflight,
                details: ThreadPoolExecutor, problems: _Problems,
                tally: Tally) -> list[CollectedAsset]:
        resource = task.resource
        if not resource.details:
            return [_asset(task, item) for item in page]

        def enrich(item: Item) -> CollectedAsset:
            sub = Tally()
            with self._api.meter.counting(sub):
                for detail in resource.details:
                    item = self._detail(task, detail, item, known, problems)
            with problems.lock:
                tally.calls += sub.calls
                tally.throttled += sub.throttled
            return _asset(task, item)

        return list(details.map(enrich, page))

    def _detail(self, task: _Task, detail: Detail, item: Item, known: Preflight,
                problems: _Problems) -> Item:
        project = task.project
        if known.holds(detail.permission) is False:
            return _note_error(item, detail, problems, Outcome.DENIED.value,
                               "IAM_PERMISSION_DENIED", detail.permission)
        path = detail.path.format(project=project, item=item)
        try:
            answer = self._api.request(detail.method, task.resource.api, path,
                                       body=detail.body)
        except GoogleApiError as exc:
            if exc.status in detail.absent:
                if detail.key is not None:
                    item[detail.key] = None
                return item
            fault = classify(exc, project=project, service=task.resource.service,
                             permission=detail.permission)
            return _note_error(item, detail, problems, fault.outcome.value, fault.code,
                               fault.permission or detail.permission)
        if detail.key is None:
            merged = dict(answer)
            if ERRORS_KEY in item:
                merged[ERRORS_KEY] = item[ERRORS_KEY]
            return merged
        item[detail.key] = answer
        return item


def _refused_upfront(resource: ResourceType, known: Preflight) -> CollectorResult | None:
    task = _Task(known.project, resource)
    if known.api_enabled(resource.service) is False:
        return _result(task, Outcome.SKIPPED, Tally(), code=SERVICE_DISABLED,
                       permission=resource.service,
                       reason=f"{resource.service} is disabled in project {known.project}, so "
                       f"{resource.type} was not read; enable it: "
                       f"{enable_command(resource.service, known.project)}")
    for step in resource.chain():
        if known.holds(step.permission) is False:
            return _result(task, Outcome.DENIED, Tally(), code="IAM_PERMISSION_DENIED",
                           permission=step.permission,
                           reason=f"{step.permission} is not granted on project "
                           f"{known.project} (the {ROLE_TITLES[step.role]} role grants it), "
                           f"so {resource.type} was not read")
    return None


def _failing_permission(exc: BaseException, resource: ResourceType) -> str:
    """The permission of the chain step whose call failed (by the URL's documented path)."""
    url = getattr(exc, "url", "")
    for step in reversed(resource.chain()):
        tail = step.path.rsplit("/", 1)[-1]
        if "{" not in tail and tail in url:
            return step.permission
    return resource.permission


def _scoped_items(page: Item, key: str, problems: _Problems) -> Iterator[Item]:
    for scope, entry in (page.get("items") or {}).items():
        if not isinstance(entry, dict):
            continue
        warning = entry.get("warning")
        if isinstance(warning, dict) and warning.get("code") not in _QUIET_WARNINGS:
            with problems.lock:
                problems.warnings[f"{scope}: {warning.get('code')}"] += 1
        for item in entry.get(key) or []:
            if isinstance(item, dict):
                if not any(k in item for k in ("zone", "region", "location")):
                    item = {**item, "_cc_scope": scope}
                yield item


def _note_error(item: Item, detail: Detail, problems: _Problems, outcome: str, code: str,
                permission: str) -> Item:
    with problems.lock:
        if outcome == Outcome.DENIED.value:
            problems.denied.setdefault(permission, code)
        else:
            problems.failed[code] += 1
    key = detail.key or "record"
    item.setdefault(ERRORS_KEY, {})[key] = {"outcome": outcome, "code": code,
                                           "permission": permission}
    return item


def _asset(task: _Task, item: Item) -> CollectedAsset:
    resource = task.resource
    native = item.get(resource.id) or item.get("name") or item.get("selfLink") or task.project
    name = item.get(resource.name) if resource.name else None
    scope = item.pop("_cc_scope", None)
    region = region_of(item, scope) if resource.shape is not Shape.SINGLE else GLOBAL_REGION
    return CollectedAsset(type=resource.type, region=region, native_id=str(native),
                          name=None if name is None else str(name), data=item,
                          account=task.project)


def _summary(task: _Task, tally: Tally, count: int, problems: _Problems) -> CollectorResult:
    notes = []
    if tally.throttled:
        notes.append(f"{tally.throttled} throttled answers were retried")
    if problems.warnings:
        notes.append("some locations did not answer: " + ", ".join(sorted(problems.warnings)))
    if problems.denied or problems.failed or problems.warnings:
        parts = [f"{permission} refused" for permission in problems.denied]
        parts += [f"{n} detail reads failed ({code})" for code, n in problems.failed.items()]
        if parts:
            notes.insert(0, "some per-item details are missing: " + "; ".join(parts))
        permission = next(iter(problems.denied), None)
        code = (next(iter(problems.denied.values()), None) or next(iter(problems.failed), None)
                or "UNREACHABLE")
        return _result(task, Outcome.PARTIAL, tally, count=count, reason=". ".join(notes),
                       code=code, permission=permission)
    return _result(task, Outcome.OK, tally, count=count, reason=". ".join(notes) or None)


def _result(task: _Task, outcome: Outcome, tally: Tally, *, count: int = 0,
            reason: str | None = None, code: str | None = None,
            permission: str | None = None, truncated: bool = False) -> CollectorResult:
    return CollectorResult(
        region=GLOBAL_REGION, service=task.resource.api, resource_type=task.resource.type,
        outcome=outcome, count=count, calls=tally.calls, reason=reason, error_code=code,
        permission=permission, account=task.project, truncated=truncated)
