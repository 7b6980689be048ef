"""Contract tests over the explicit resource registry (STYLE habit 6)."""

from __future__ import annotations

import re
from pathlib import Path

import botocore.session
import pytest

from cloudconnectors.providers.aws.declarations import ResourceType, Scope
from cloudconnectors.providers.aws.provider import AwsProvider
from cloudconnectors.providers.aws.resources import RESOURCES

TYPE_NAME = re.compile(r"^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$")
DOCS = Path(__file__).resolve().parents[3] / "docs" / "aws.md"
_BOTOCORE = botocore.session.get_session()
# Retired by AWS and dropped from current SDKs; kept so old SDKs and the policy still cover it.
RETIRED = {"qldb"}


def test_type_names_are_unique_and_well_formed() -> None:
    names = [t for r in RESOURCES for t in r.types()]
    assert len(names) == len(set(names))
    assert all(TYPE_NAME.match(n) for n in names)


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.type)
def test_declaration_is_complete(resource: ResourceType) -> None:
    assert resource.service and resource.operation
    assert resource.fetch is not None or resource.items, "items path or fetch required"
    if resource.fetch is None:
        assert not resource.calls, "calls are only for fetch functions"
    if resource.id is None:
        assert resource.scope is Scope.GLOBAL or resource.pseudo  # account-level record
    if resource.service in RETIRED:
        return
    model = _BOTOCORE.get_service_model(resource.service)
    for operation in resource.operations():
        assert operation in model.operation_names, f"{resource.service}:{operation}"


def test_every_type_is_documented() -> None:
    docs = DOCS.read_text()
    missing = [t for r in RESOURCES for t in r.types() if f"`{t}`" not in docs]
    assert missing == []


def test_provider_lists_every_type() -> None:
    listed = {info.type for info in AwsProvider().resource_types()}
    assert listed == {t for r in RESOURCES for t in r.types()}
    assert "AWS::EC2::Instance" in listed
