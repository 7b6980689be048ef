"""The snapshot writer: the :class:`CollectionSink` a poll hands to the provider.

It buffers at most ``batch_size`` assets and hands each full batch to a ``store`` callable
(storage writes it in its own short transaction), so memory stays flat however many
resources an account holds. It counts assets by type, counts virtual machines by the
provider's ``vm_types``, keeps every collector result (one per region and service, not per
resource) and forwards everything to an optional observer (the CLI's progress display).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cloudconnectors.domain.assets import CollectedAsset, asset_key
from cloudconnectors.domain.runs import CollectorResult
from cloudconnectors.providers.base import CollectionSink

__all__ = ["KeyedAsset", "SnapshotWriter", "StoreBatch"]


@dataclass(frozen=True, slots=True)
class KeyedAsset:
    key: str
    asset: CollectedAsset


StoreBatch = Callable[[Sequence[KeyedAsset]], None]


class SnapshotWriter:
    """Streams a poll's assets into a snapshot in batches; see the module docstring."""

    def __init__(
        self,
        connector_id: str,
        store: StoreBatch,
        *,
        vm_types: frozenset[str],
        batch_size: int = 500,
        observer: CollectionSink | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.connector_id = connector_id
        self.batch_size = batch_size
        self.vm_types = vm_types
        self.regions: list[str] = []
        self.results: list[CollectorResult] = []
        self.type_counts: Counter[str] = Counter()
        self.asset_count = 0
        self.vm_count = 0
        self.batches_written = 0
        self._store = store
        self._observer = observer
        # Keyed by asset key: a collector that emits one resource twice keeps the last.
        self._buffer: dict[str, KeyedAsset] = {}

    # -- CollectionSink -------------------------------------------------------------------

    def regions_discovered(self, regions: Sequence[str]) -> None:
        for region in regions:
            if region not in self.regions:
                self.regions.append(region)
        if self._observer is not None:
            self._observer.regions_discovered(regions)

    def add(self, asset: CollectedAsset) -> None:
        key = asset_key(
            self.connector_id, asset.type, asset.region, asset.native_id, asset.account
        )
        self._buffer[key] = KeyedAsset(key, asset)
        self.asset_count += 1
        self.type_counts[asset.type] += 1
        if asset.type in self.vm_types:
            self.vm_count += 1
        if self._observer is not None:
            self._observer.add(asset)
        if len(self._buffer) >= self.batch_size:
            self.flush()

    def report(self, result: CollectorResult) -> None:
        self.results.append(result)
        if self._observer is not None:
            self._observer.report(result)

    # -- writing --------------------------------------------------------------------------

    @property
    def buffered(self) -> int:
        return len(self._buffer)

    def flush(self) -> None:
        """Hand the buffered batch to storage; called on every full batch and at the end."""
        if not self._buffer:
            return
        batch = list(self._buffer.values())
        self._buffer = {}
        self._store(batch)
        self.batches_written += 1

    @property
    def found_vm(self) -> bool:
        return self.vm_count > 0
