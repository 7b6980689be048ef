"""The provider's clients carry only the operations the declarations call."""

from __future__ import annotations

import json
from pathlib import Path

from cloudconnectors.providers.aws.models import TrimmedLoader, prune
from cloudconnectors.providers.aws.platform import boto3_session


def test_a_trimmed_client_has_the_declared_reads_and_nothing_else() -> None:
    session = boto3_session("us-east-1")
    ec2 = session.client("ec2", endpoint_url="http://127.0.0.1:9")
    assert hasattr(ec2, "describe_instances") and hasattr(ec2, "describe_regions")
    assert not hasattr(ec2, "run_instances") and not hasattr(ec2, "terminate_instances")
    model = ec2.meta.service_model
    assert "DescribeInstances" in model.operation_names
    assert len(model.operation_names) < 40  # of EC2's several hundred
    assert ec2.can_paginate("describe_instances")
    # A service no declaration reads stays whole (the platform's STS).
    sts = session.client("sts", endpoint_url="http://127.0.0.1:9")
    assert hasattr(sts, "assume_role") and hasattr(sts, "get_caller_identity")


def test_prune_keeps_the_shapes_the_kept_operations_reach() -> None:
    model = {
        "metadata": {"protocol": "json"}, "documentation": "long",
        "operations": {
            "Read": {"input": {"shape": "ReadIn"}, "output": {"shape": "ReadOut"},
                     "errors": [{"shape": "Denied"}], "documentation": "reads"},
            "Write": {"input": {"shape": "WriteIn"}},
        },
        "shapes": {
            "ReadIn": {"type": "structure", "members": {"Id": {"shape": "Str",
                                                                "documentation": "x"}}},
            "ReadOut": {"type": "structure", "members": {"Items": {"shape": "List"}}},
            "List": {"type": "list", "member": {"shape": "Map"}},
            "Map": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Num"}},
            "Str": {"type": "string"}, "Num": {"type": "integer"},
            "Denied": {"type": "structure", "members": {}},
            "WriteIn": {"type": "structure", "members": {"Blob": {"shape": "Bytes"}}},
            "Bytes": {"type": "blob"},
        },
    }
    prune(model, frozenset({"Read", "Absent"}))
    assert set(model["operations"]) == {"Read"}
    assert set(model["shapes"]) == {"ReadIn", "ReadOut", "List", "Map", "Str", "Num",
                                    "Denied"}
    assert "documentation" not in model and "documentation" not in model["operations"]["Read"]
    assert "documentation" not in model["shapes"]["ReadIn"]["members"]["Id"]


def test_trimmed_models_are_kept_on_disk_for_the_next_process(tmp_path: Path) -> None:
    """A second loader (a new process) reads the trimmed model from the cache, not the whole
    description; a damaged cache file is ignored and written again."""
    keep = {"kms": frozenset({"ListKeys", "DescribeKey"})}
    first = TrimmedLoader(lambda: keep)
    first.cache_dir = tmp_path
    model = first.load_service_model("kms", "service-2")
    assert set(model["operations"]) == {"ListKeys", "DescribeKey"}
    [cached] = list(tmp_path.glob("botocore-*/kms-latest-*.json"))
    assert json.loads(cached.read_text()) == model

    marked = {**model, "x-read-from": "cache"}  # proves the copy on disk is what is read
    cached.write_text(json.dumps(marked))
    second = TrimmedLoader(lambda: keep)
    second.cache_dir = tmp_path
    assert second.load_service_model("kms", "service-2") == marked

    cached.write_text('{"operations": ')  # a crash mid-write of an older version
    third = TrimmedLoader(lambda: keep)
    third.cache_dir = tmp_path
    assert third.load_service_model("kms", "service-2") == model
    assert json.loads(cached.read_text()) == model
    # Other operations kept (a custom rule's detail) is another file, not a stale copy.
    wider = TrimmedLoader(lambda: {"kms": keep["kms"] | {"GetKeyRotationStatus"}})
    wider.cache_dir = tmp_path
    assert "GetKeyRotationStatus" in wider.load_service_model("kms", "service-2")["operations"]
    assert len(list(tmp_path.glob("botocore-*/kms-latest-*.json"))) == 2
