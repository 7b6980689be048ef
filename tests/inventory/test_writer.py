"""The snapshot writer: bounded buffer, counts, keys, forwarding to an observer."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from cloudconnectors.domain.assets import CollectedAsset, asset_key
from cloudconnectors.domain.runs import CollectorResult, Outcome
from cloudconnectors.inventory.writer import KeyedAsset, SnapshotWriter

VM = "AWS::EC2::Instance"


def asset(i: int, type_: str = VM, region: str = "us-east-1") -> CollectedAsset:
    return CollectedAsset(type_, region, f"i-{i}", None, {"i": i})


class Recorder:
    def __init__(self) -> None:
        self.regions: list[str] = []
        self.assets: list[CollectedAsset] = []
        self.results: list[CollectorResult] = []

    def regions_discovered(self, regions: Sequence[str]) -> None:
        self.regions.extend(regions)

    def add(self, item: CollectedAsset) -> None:
        self.assets.append(item)

    def report(self, result: CollectorResult) -> None:
        self.results.append(result)


def test_batches_never_exceed_the_batch_size() -> None:
    batches: list[list[KeyedAsset]] = []
    writer = SnapshotWriter("c1", lambda b: batches.append(list(b)), vm_types=frozenset({VM}),
                            batch_size=10)
    for i in range(95):
        writer.add(asset(i, VM if i % 5 == 0 else "AWS::S3::Bucket"))
        assert writer.buffered < 10
    assert [len(b) for b in batches] == [10] * 9
    writer.flush()
    writer.flush()  # nothing left: no empty batch
    assert [len(b) for b in batches] == [10] * 9 + [5]
    assert writer.batches_written == 10
    assert writer.asset_count == 95 and writer.vm_count == 19 and writer.found_vm
    assert writer.type_counts == {VM: 19, "AWS::S3::Bucket": 76}
    assert batches[0][0].key == asset_key("c1", VM, "us-east-1", "i-0")


def test_a_resource_emitted_twice_in_a_batch_is_written_once() -> None:
    batches: list[list[KeyedAsset]] = []
    writer = SnapshotWriter("c1", lambda b: batches.append(list(b)), vm_types=frozenset(),
                            batch_size=100)
    writer.add(asset(1))
    writer.add(CollectedAsset(VM, "us-east-1", "i-1", "renamed", {}))
    writer.flush()
    assert len(batches[0]) == 1 and batches[0][0].asset.name == "renamed"
    assert not writer.found_vm


def test_everything_is_forwarded_to_the_observer() -> None:
    observer = Recorder()
    writer = SnapshotWriter("c1", lambda b: None, vm_types=frozenset({VM}), observer=observer)
    writer.regions_discovered(["a", "b"])
    writer.regions_discovered(["b", "c"])
    writer.add(asset(1))
    result = CollectorResult("a", "ec2", VM, Outcome.OK, count=1)
    writer.report(result)
    assert writer.regions == ["a", "b", "c"] and observer.regions == ["a", "b", "b", "c"]
    assert observer.assets == [asset(1)] and observer.results == [result] == writer.results


def test_batch_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        SnapshotWriter("c1", lambda b: None, vm_types=frozenset(), batch_size=0)


def test_the_account_joins_the_key_only_when_set() -> None:
    batches: list[list[KeyedAsset]] = []
    writer = SnapshotWriter("c1", lambda b: batches.append(list(b)), vm_types=frozenset({VM}))
    writer.add(CollectedAsset(VM, "us-central1", "vm-1", None, {}, account="prod-1"))
    writer.add(CollectedAsset(VM, "us-central1", "vm-1", None, {}, account="dev-2"))
    writer.add(CollectedAsset(VM, "us-central1", "vm-1", None, {}))
    writer.flush()
    keys = [item.key for item in batches[0]]
    assert len(set(keys)) == 3
    assert keys[2] == asset_key("c1", VM, "us-central1", "vm-1")
    assert keys[0] == asset_key("c1", VM, "us-central1", "vm-1", "prod-1") != keys[2]
