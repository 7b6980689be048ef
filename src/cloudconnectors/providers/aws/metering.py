"""Count real HTTP calls and throttled answers per collector, via botocore events.

``before-send`` fires once per HTTP attempt (retries included) and ``needs-retry`` sees each
answer before botocore decides to retry, so a collector's tally shows what it really cost
and how often AWS pushed back, even when the retries finally succeeded. The tally in effect
is thread-local: the engine sets it around each unit of work.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cloudconnectors.providers.aws.faults import THROTTLING_CODES
from cloudconnectors.providers.collecting import Tally

__all__ = ["Meter", "Tally"]


class Meter:
    def __init__(self) -> None:
        self._local = threading.local()
        self._lock = threading.Lock()
        self.total_calls = 0
        self.total_throttled = 0

    @contextmanager
    def counting(self, tally: Tally) -> Iterator[Tally]:
        previous = getattr(self._local, "tally", None)
        self._local.tally = tally
        try:
            yield tally
        finally:
            self._local.tally = previous

    def attach(self, client: Any) -> None:
        client.meta.events.register("before-send", self._on_send)
        client.meta.events.register("needs-retry", self._on_answer)

    def _current(self) -> Tally | None:
        tally: Tally | None = getattr(self._local, "tally", None)
        return tally

    def _on_send(self, **_: Any) -> None:
        tally = self._current()
        if tally is not None:
            tally.calls += 1
        with self._lock:
            self.total_calls += 1

    def _on_answer(self, response: Any = None, **_: Any) -> None:
        if not response:
            return
        http, parsed = response
        code = (parsed or {}).get("Error", {}).get("Code")
        if code in THROTTLING_CODES or getattr(http, "status_code", 0) == 429:
            tally = self._current()
            if tally is not None:
                tally.throttled += 1
            with self._lock:
                self.total_throttled += 1
