"""Process-wide token buckets: one call budget that every member of an organization shares.

An organization of hundreds of accounts is polled by many threads at once, but some limits
belong to one identity, not to one member: the platform's own ``sts:AssumeRole`` quota, the
management account's Organizations API quota. A :class:`TokenBucket` per name, shared by
every session in the process, keeps the sum of their calls under the budget, so threads wait
a little instead of being throttled by the cloud.
"""

from __future__ import annotations

import threading
import time

__all__ = ["TokenBucket", "bucket"]


class TokenBucket:
    """``rate`` tokens per second, at most ``burst`` saved up; ``take`` waits for one."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate = rate
        self.burst = max(1.0, burst)
        self._tokens = self.burst
        self._stamp = time.monotonic()
        self._lock = threading.Lock()
        self.waited = 0.0  # seconds spent waiting, summed over callers (benchmarks read it)
        self.taken = 0

    def take(self) -> None:
        if self.rate <= 0:  # no limit configured
            self.taken += 1
            return
        while True:
            with self._lock:
                now = time.monotonic()
                self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
                self._stamp = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    self.taken += 1
                    return
                pause = (1 - self._tokens) / self.rate
                self.waited += pause
            time.sleep(pause)


_buckets: dict[str, TokenBucket] = {}
_buckets_lock = threading.Lock()


def bucket(name: str, rate: float, burst: float | None = None) -> TokenBucket:
    """The process's bucket called ``name``; created with ``rate``/``burst`` on first use, and
    re-tuned when a later caller brings other figures (settings changed)."""
    burst = rate if burst is None else burst
    with _buckets_lock:
        found = _buckets.get(name)
        if found is None:
            found = _buckets[name] = TokenBucket(rate, burst)
        elif found.rate != rate or found.burst != max(1.0, burst):
            found.rate, found.burst = rate, max(1.0, burst)
        return found
