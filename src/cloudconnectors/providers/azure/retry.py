"""azure-core's ``RetryPolicy`` with the waits capped.

The stock policy retries 408/429/5xx and connection errors with exponential backoff, and
sleeps exactly as long as a ``Retry-After`` header asks, however long that is. Here a single
wait is at most ``cap`` seconds and an ask beyond the cap stops retrying at once (waiting
30 s for an answer that says "come back in 5 minutes" only pins the worker); all waits of
one session share ``budget`` seconds. What is left throttled becomes the collector's
THROTTLED outcome and the next poll tries again.
"""

from __future__ import annotations

import threading
from typing import Any

from azure.core.pipeline import PipelineResponse
from azure.core.pipeline.policies import RetryPolicy

__all__ = ["CappedRetryPolicy"]


class CappedRetryPolicy(RetryPolicy[Any, Any]):
    def __init__(self, *, cap: float, budget: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cap = cap
        self.budget = budget
        self._lock = threading.Lock()
        self.waited = 0.0

    def _asked(self, response: PipelineResponse[Any, Any] | None) -> float | None:
        return self.get_retry_after(response) if response is not None else None

    def is_retry(self, settings: dict[str, Any], response: PipelineResponse[Any, Any]) -> bool:
        asked = self._asked(response)
        if asked:
            with self._lock:
                if asked > self.cap or self.waited + asked > self.budget:
                    return False
        return bool(super().is_retry(settings, response))

    def sleep(self, settings: dict[str, Any], transport: Any,
              response: PipelineResponse[Any, Any] | None = None) -> None:
        asked = self._asked(response)
        if asked:
            wait = min(asked, self.cap)
            with self._lock:
                self.waited += wait
            transport.sleep(wait)
            return
        super().sleep(settings, transport)
