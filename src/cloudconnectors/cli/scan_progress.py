"""The live view of ``cloudconnectors scan``: a :class:`CollectionSink` observer.

One progress bar per region (and one for the account-wide ``global`` pseudo-region), sized
by the provider's ``results_per_region``; each collector result advances its region's bar,
names the service it came from and colours the bar by the worst outcome so far. Without a
terminal (CI, pipes) it prints plain lines instead: the regions found, then one line per
region when it is done. It also tallies what the summary needs: results, and assets and
virtual machines per region.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from cloudconnectors.domain.assets import GLOBAL_REGION, CollectedAsset
from cloudconnectors.domain.runs import CollectorResult, Outcome

__all__ = ["OUTCOME_ORDER", "ScanProgress"]

# Worst first: the colour of a region is that of its worst outcome.
OUTCOME_ORDER = (Outcome.FAILED, Outcome.DENIED, Outcome.THROTTLED, Outcome.PARTIAL,
                 Outcome.SKIPPED, Outcome.OK)
_COLOUR = {Outcome.OK: "green", Outcome.SKIPPED: "green", Outcome.PARTIAL: "yellow",
           Outcome.THROTTLED: "yellow", Outcome.DENIED: "red", Outcome.FAILED: "red"}


class ScanProgress:
    """Observer of one poll; use as a context manager around ``poll_now``."""

    def __init__(self, console: Console, expected: Callable[[str], int | None],
                 vm_types: frozenset[str], *, live: bool, plain: bool = True) -> None:
        self.results: list[CollectorResult] = []
        self.assets: Counter[str] = Counter()
        self.vms: Counter[str] = Counter()
        self.regions: list[str] = []
        self._console = console
        self._expected = expected
        self._vm_types = vm_types
        self._plain = plain and not live
        self._done: dict[str, Counter[Outcome]] = defaultdict(Counter)
        self._totals: dict[str, int | None] = {}
        self._tasks: dict[str, TaskID] = {}
        self._lock = threading.Lock()
        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[assets]:>6} assets"), TextColumn("[dim]{task.fields[note]}"),
            TimeElapsedColumn(), console=console, transient=False,
        ) if live else None

    # -- context manager ------------------------------------------------------------------

    def __enter__(self) -> ScanProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.stop()

    # -- CollectionSink -------------------------------------------------------------------

    def regions_discovered(self, regions: Sequence[str]) -> None:
        with self._lock:
            for region in regions:
                self._track(region, self._expected("regional"))
            if self._expected("global"):
                self._track(GLOBAL_REGION, self._expected("global"))
        if self._plain:
            shown = ", ".join(regions) or "none"
            self._console.print(f"Discovered {len(regions)} region(s): {shown}")

    def add(self, asset: CollectedAsset) -> None:
        with self._lock:
            self.assets[asset.region] += 1
            if asset.type in self._vm_types:
                self.vms[asset.region] += 1
            if self._progress is not None and asset.region in self._tasks:
                self._progress.update(self._tasks[asset.region],
                                      assets=self.assets[asset.region])

    def report(self, result: CollectorResult) -> None:
        with self._lock:
            self.results.append(result)
            region = result.region
            if region not in self._totals:
                self._track(region, None)
            done = self._done[region]
            done[result.outcome] += 1
            total = self._totals[region]
            if total is not None and sum(done.values()) > total:
                total = self._totals[region] = sum(done.values())
            finished = total is not None and sum(done.values()) == total
            if self._progress is not None:
                self._progress.update(
                    self._tasks[region], advance=1, total=total,
                    description=self._label(region), assets=self.assets[region],
                    note=f"{result.service} {result.outcome.value}" if not finished else "done",
                )
            line = self._finished_line(region) if finished and self._plain else None
        if line:
            self._console.print(line)

    # -- helpers --------------------------------------------------------------------------

    def _track(self, region: str, total: int | None) -> None:
        if region in self._totals:
            return
        self.regions.append(region)
        self._totals[region] = total
        if self._progress is not None:
            self._tasks[region] = self._progress.add_task(
                self._label(region), total=total, assets=0, note="")

    def _worst(self, region: str) -> Outcome:
        seen = self._done[region]
        return next((o for o in OUTCOME_ORDER if seen[o]), Outcome.OK)

    def _label(self, region: str) -> str:
        return f"[{_COLOUR[self._worst(region)]}]{region:<16}"

    def _finished_line(self, region: str) -> str:
        seen = self._done[region]
        counts = ", ".join(f"{seen[o]} {o.value}" for o in reversed(OUTCOME_ORDER) if seen[o])
        return (f"{region}: done, {self.assets[region]} assets "
                f"({self.vms[region]} virtual machines); collectors {counts}")
