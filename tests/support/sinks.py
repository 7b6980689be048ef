"""In-memory sinks for provider tests (the engine serialises calls, so no locking here)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from cloudconnectors.domain.assets import CollectedAsset
from cloudconnectors.domain.runs import CollectorResult, Outcome

__all__ = ["MOTO_UNSUPPORTED", "CountingSink", "MemorySink"]

#: Types whose list call moto 5.x does not implement (it answers HTTP 500): a real poll
#: records them as ``failed`` and goes on; tests check that and nothing else fails.
MOTO_UNSUPPORTED = frozenset({"AWS::AccessAnalyzer::Analyzer"})


class MemorySink:
    def __init__(self) -> None:
        self.regions: list[str] = []
        self.assets: list[CollectedAsset] = []
        self.results: list[CollectorResult] = []

    def regions_discovered(self, regions: Sequence[str]) -> None:
        self.regions = list(regions)

    def add(self, asset: CollectedAsset) -> None:
        self.assets.append(asset)

    def report(self, result: CollectorResult) -> None:
        self.results.append(result)

    def of_type(self, type_: str) -> list[CollectedAsset]:
        return [a for a in self.assets if a.type == type_]

    def result(self, type_: str, region: str) -> CollectorResult:
        [found] = [r for r in self.results if r.resource_type == type_ and r.region == region]
        return found

    def problems(self) -> list[CollectorResult]:
        """Everything not OK, except services the SDK no longer knows (QLDB) and the
        emulator's known gaps (see ``emulator_gaps``)."""
        return [r for r in self.results if r.outcome is not Outcome.OK
                and not (r.outcome is Outcome.SKIPPED and "not known" in (r.reason or ""))
                and r not in self.emulator_gaps()]

    def emulator_gaps(self) -> list[CollectorResult]:
        """Collectors of ``MOTO_UNSUPPORTED`` types that failed with a server error."""
        return [r for r in self.results if r.resource_type in MOTO_UNSUPPORTED
                and r.outcome is Outcome.FAILED and r.error_code == "500"]


class CountingSink:
    """Keeps counts only, so a benchmark measures the engine rather than the sink."""

    def __init__(self) -> None:
        self.assets = 0
        self.by_type: Counter[str] = Counter()
        self.results: list[CollectorResult] = []

    def regions_discovered(self, regions: Sequence[str]) -> None:
        return None

    def add(self, asset: CollectedAsset) -> None:
        self.assets += 1
        self.by_type[asset.type] += 1

    def report(self, result: CollectorResult) -> None:
        self.results.append(result)
