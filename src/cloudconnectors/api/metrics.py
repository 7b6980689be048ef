"""``GET /metrics``: Prometheus text, computed from the database at each scrape.

Every number comes from the shared database (and the broker, for queue depth), so one
scrape of any ``serve`` process sees the whole installation, however many workers poll.
The figures are aggregates without tenant or connector names.

They are still the whole installation's, across tenants, so no tenant's user or API token
may read them: the scraper sends the operator's ``CLOUDCONNECTORS_METRICS_TOKEN`` as a
bearer token (compared in constant time). Without that setting ``/metrics`` answers nobody.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable, Iterator
from datetime import timedelta

from fastapi import FastAPI, HTTPException, Request, Response
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from cloudconnectors.domain.runs import RunState
from cloudconnectors.services.context import AppContext
from cloudconnectors.storage.repositories import metrics as figures
from cloudconnectors.storage.tables.base import utcnow

__all__ = ["DURATION_BUCKETS", "mount_metrics"]

logger = logging.getLogger(__name__)

DURATION_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)
LATENESS_BUCKETS = (1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0)
QueueDepths = Callable[[], dict[str, int]]
_FINISHED = (RunState.SUCCEEDED, RunState.PARTIAL, RunState.FAILED)


class _DatabaseCollector(Collector):
    def __init__(self, ctx: AppContext, depths: QueueDepths | None) -> None:
        self.ctx = ctx
        self.depths = depths

    def collect(self) -> Iterator[Metric]:
        with self.ctx.db.read() as session:
            statuses = figures.statuses(session)
            states = figures.run_states(session)
            late = figures.late_connectors(
                session, utcnow() - timedelta(minutes=self.ctx.settings.pending_grace_minutes))
            durations = figures.durations(session, DURATION_BUCKETS)
            lateness = figures.lateness(session, LATENESS_BUCKETS)
        connectors = GaugeMetricFamily("cloudconnectors_connectors", "Connectors by status",
                                       labels=["status"])
        for status in ("pending", "online", "offline", "refreshing"):
            connectors.add_metric([status], statuses.get(status, 0))
        yield connectors
        polls = CounterMetricFamily("cloudconnectors_polls", "Finished polls by outcome",
                                    labels=["outcome"])
        for state in _FINISHED:
            polls.add_metric([state.value], states.get(state.value, 0))
        yield polls
        waiting = GaugeMetricFamily("cloudconnectors_polls_in_progress",
                                    "Polls queued or running", labels=["state"])
        for state in (RunState.QUEUED, RunState.RUNNING):
            waiting.add_metric([state.value], states.get(state.value, 0))
        yield waiting
        yield GaugeMetricFamily("cloudconnectors_late_connectors",
                                "Connectors overdue by more than the pending grace",
                                value=late)
        for name, doc, hist in (
            ("cloudconnectors_poll_duration_seconds", "Duration of finished polls", durations),
            ("cloudconnectors_poll_lateness_seconds",
             "Start of a queued poll after its scheduled time", lateness),
        ):
            family = HistogramMetricFamily(name, doc)
            family.add_metric([], [(str(b), c) for b, c in hist.buckets]
                              + [("+Inf", hist.count)], hist.total)
            yield family
        if self.depths is not None:
            depth = GaugeMetricFamily("cloudconnectors_queue_depth",
                                      "Messages waiting in the broker", labels=["queue"])
            try:
                for queue, count in sorted(self.depths().items()):
                    depth.add_metric([queue], count)
            except Exception:  # broker away: report no depth rather than fail the scrape
                logger.warning("queue depth unavailable: broker did not answer", exc_info=True)
            yield depth


def mount_metrics(app: FastAPI, ctx: AppContext, depths: QueueDepths | None = None) -> None:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_DatabaseCollector(ctx, depths))

    @app.get("/metrics", include_in_schema=False)
    def metrics(request: Request) -> Response:
        _require_scraper(ctx.settings.metrics_token, request.headers.get("authorization"))
        return Response(generate_latest(registry),
                        media_type="text/plain; version=0.0.4; charset=utf-8")


def _require_scraper(token: str | None, authorization: str | None) -> None:
    if token is None:
        raise HTTPException(403, "metrics are off: set CLOUDCONNECTORS_METRICS_TOKEN and "
                                 "send it as 'Authorization: Bearer <token>'")
    scheme, _, sent = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
            sent.strip().encode(), token.encode()):
        raise HTTPException(401, "authentication required: send 'Authorization: Bearer "
                                 "<CLOUDCONNECTORS_METRICS_TOKEN>'",
                            headers={"WWW-Authenticate": "Bearer"})
