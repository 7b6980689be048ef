"""Counting and pacing every HTTP attempt, as azure-core pipeline policies.

:class:`MeterPolicy` sits after the retry policy, so it sees each real attempt: it counts
calls and throttled answers into the tally of the current thread (the engine sets one per
collector; the tallies are the shared :class:`~cloudconnectors.providers.collecting.CallMeter`
of every cloud), reads ARM's ``x-ms-ratelimit-remaining-*`` headers and, when the remaining
budget is nearly spent, makes the next calls wait a little first (:class:`Governor`), so
a poll slows down before ARM starts answering 429.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import SansIOHTTPPolicy

from cloudconnectors.providers.collecting import CallMeter

__all__ = ["Governor", "MeterPolicy"]

RATELIMIT_PREFIX = "x-ms-ratelimit-remaining-"


class Governor:
    """Remembers the lowest remaining-requests figure ARM last reported and paces on it."""

    def __init__(self, low_water: int, pause: float,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.low_water = low_water
        self.pause = pause
        self._sleep = sleep
        self._lock = threading.Lock()
        self.remaining: int | None = None
        self.waits = 0

    def before_call(self) -> None:
        with self._lock:
            low = self.remaining is not None and self.remaining <= self.low_water
            if low:
                self.waits += 1
        if low and self.pause > 0:
            self._sleep(self.pause)

    def observe(self, headers: Any) -> None:
        figures = []
        for name, value in headers.items():
            if name.lower().startswith(RATELIMIT_PREFIX):
                try:
                    figures.append(int(value))
                except ValueError:
                    continue
        if figures:
            with self._lock:
                self.remaining = min(figures)


class MeterPolicy(SansIOHTTPPolicy[Any, Any]):
    def __init__(self, meter: CallMeter, governor: Governor) -> None:
        super().__init__()
        self._meter = meter
        self._governor = governor

    def on_request(self, request: PipelineRequest[Any]) -> None:
        self._governor.before_call()
        self._meter.record()

    def on_response(self, request: PipelineRequest[Any],
                    response: PipelineResponse[Any, Any]) -> None:
        http = response.http_response
        if http.status_code == 429:
            self._meter.record_throttled()
        self._governor.observe(http.headers)
