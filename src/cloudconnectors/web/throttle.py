"""Slow down password guessing: too many failed sign-ins for one e-mail from one address.

Kept in memory per process; with several server processes each keeps its own count, which
still bounds guessing per process.
"""

from __future__ import annotations

import threading
import time
from collections import deque

MAX_FAILURES = 10
WINDOW_SECONDS = 600.0


class SignInThrottle:
    def __init__(self, max_failures: int = MAX_FAILURES, window: float = WINDOW_SECONDS) -> None:
        self.max_failures = max_failures
        self.window = window
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def retry_after(self, client: str, email: str) -> float:
        """Seconds until this pair may try again; 0 when it may try now."""
        now = time.monotonic()
        with self._lock:
            times = self._recent((client, email.strip().lower()), now)
            if len(times) < self.max_failures:
                return 0.0
            return max(1.0, self.window - (now - times[0]))

    def failed(self, client: str, email: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._failures) > 100_000:  # bound memory under a spray of e-mails
                self._failures.clear()
            self._recent((client, email.strip().lower()), now).append(now)

    def succeeded(self, client: str, email: str) -> None:
        with self._lock:
            self._failures.pop((client, email.strip().lower()), None)
