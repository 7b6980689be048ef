"""Provider-neutral pieces of a collection engine: a serialised sink, call tallies and a
bounded scheduler that keeps per-key limits (per region, per project, per service).

Clouds differ in how they list and fail; they agree on these, so each engine uses them
instead of carrying its own copy.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from cloudconnectors.domain.assets import CollectedAsset
from cloudconnectors.domain.runs import CollectorResult
from cloudconnectors.providers.base import CollectionSink

__all__ = ["CallMeter", "SerialSink", "SinkFailed", "Tally", "cap_malloc_arenas", "run_bounded"]

T = TypeVar("T")


_M_ARENA_MAX = -8  # glibc's mallopt parameter
_arenas_capped = False


def cap_malloc_arenas(arenas: int = 2) -> None:
    """Keep glibc from giving each busy pool thread its own malloc arena (up to 8 per core):
    with the GIL the threads gain nothing from them, and every arena holds on to freed
    response buffers, which showed as 10-30 MiB of peak RSS in a poll. Once per process,
    before the pools start; a no-op off glibc."""
    global _arenas_capped
    if _arenas_capped:
        return
    _arenas_capped = True
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        if libc is not None and hasattr(libc, "mallopt"):
            libc.mallopt(_M_ARENA_MAX, arenas)
    except OSError:
        return


class SinkFailed(Exception):
    """The sink (storage) refused an asset: the poll is meaningless, not a collector outcome."""


class SerialSink:
    """Serialises sink calls from many threads with one lock, so sinks need not be
    thread-safe; an exception from ``add`` becomes :class:`SinkFailed`."""

    def __init__(self, sink: CollectionSink) -> None:
        self._sink = sink
        self._lock = threading.Lock()

    def add(self, asset: CollectedAsset) -> None:
        with self._lock:
            try:
                self._sink.add(asset)
            except Exception as exc:
                raise SinkFailed(str(exc)) from exc

    def report(self, result: CollectorResult) -> None:
        with self._lock:
            self._sink.report(result)


@dataclass
class Tally:
    """What one collector cost: HTTP attempts (retries included) and throttled answers."""

    calls: int = 0
    throttled: int = 0


class CallMeter:
    """Counts calls into the tally the current thread works for, and in total."""

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

    def record(self, *, throttled: bool = False) -> None:
        tally: Tally | None = getattr(self._local, "tally", None)
        if tally is not None:
            tally.calls += 1
            tally.throttled += int(throttled)
        with self._lock:
            self.total_calls += 1
            self.total_throttled += int(throttled)

    def record_throttled(self) -> None:
        """A throttled answer to a call already recorded (a policy that counts the attempt
        on the way out and sees the 429 on the way back)."""
        tally: Tally | None = getattr(self._local, "tally", None)
        if tally is not None:
            tally.throttled += 1
        with self._lock:
            self.total_throttled += 1


def run_bounded(
    tasks: Sequence[T],
    work: Callable[[T], None],
    pool: ThreadPoolExecutor,
    *,
    concurrency: int,
    limits: Callable[[T], Sequence[tuple[Hashable, int]]] = lambda _: (),
) -> None:
    """Run ``work`` over ``tasks`` on ``pool``, at most ``concurrency`` at once and at most
    ``n`` at once per key for every ``(key, n)`` that ``limits(task)`` names. Tasks start in
    the given order as far as the limits allow. ``work`` should not raise; if it does, the
    exception surfaces here once the running tasks are done starting."""
    pending = list(tasks)
    running: dict[Future[None], T] = {}
    busy: Counter[Hashable] = Counter()
    while pending or running:
        index = 0
        while index < len(pending) and len(running) < concurrency:
            task = pending[index]
            keys = limits(task)
            if all(busy[key] < limit for key, limit in keys):
                pending.pop(index)
                for key, _ in keys:
                    busy[key] += 1
                running[pool.submit(work, task)] = task
            else:
                index += 1
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            task = running.pop(future)
            for key, _ in limits(task):
                busy[key] -= 1
            future.result()
