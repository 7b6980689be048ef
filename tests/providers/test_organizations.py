"""The organization seam: its shapes, and the default hooks that refuse honestly."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from cloudconnectors.domain.connector import ProviderName
from cloudconnectors.providers.base import (
    CloudSession,
    CollectionSink,
    DiagnosticItem,
    OrganizationsNotSupported,
    PollContext,
    Provider,
    ProviderCredentials,
    ResourceTypeInfo,
)
from cloudconnectors.providers.organizations import Member, MemberDiscovery


class _Creds(ProviderCredentials):
    account_field = "account"
    account: str

    def public_view(self) -> dict[str, Any]:
        return {"account": self.account}


class _Session(CloudSession):
    def discover_regions(self) -> list[str]:
        return []

    def collect(self, regions: Sequence[str], sink: CollectionSink) -> None:
        return None


class _Bare(Provider):
    key = ProviderName.AWS
    display_name = "Bare cloud"
    credentials_model = _Creds
    vm_types = frozenset()

    def authenticate(self, credentials: ProviderCredentials, context: PollContext) -> CloudSession:
        return _Session()

    def diagnose(self, results: Sequence[Any], context: PollContext,
                 public_credentials: dict[str, Any]) -> list[DiagnosticItem]:
        return []

    def resource_types(self) -> list[ResourceTypeInfo]:
        return []


def test_a_provider_without_organizations_says_so_by_name() -> None:
    provider = _Bare()
    with pytest.raises(OrganizationsNotSupported, match="organizations not supported for Bare"):
        provider.discover_members(_Session(), "")
    member = Member("1", "one", ("r-1",), {})
    with pytest.raises(OrganizationsNotSupported):
        provider.member_credentials(_Creds(account="0"), member, {})


def test_members_default_to_active_and_keep_their_path() -> None:
    a = Member("111122223333", "prod", ("r-ab12", "ou-ab12-x"), {"env": "prod"})
    assert a.active is True
    found = MemberDiscovery((a,), complete=False, problems=("ou-ab12-y: AccessDenied",))
    assert found.members[0].path[-1] == "ou-ab12-x"
    assert found.problems and not found.complete
