"""An organization through the scale-out path: the tick queues the organization, a worker
walks it, the next tick queues every member and workers poll them (the decisions Celery's
tasks run, with a list for a broker), while the provider talks to no cloud."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from sqlalchemy import select

from cloudconnectors.domain.connector import ProviderName
from cloudconnectors.domain.states import Status
from cloudconnectors.providers import registry
from cloudconnectors.providers.aws.credentials import AwsCredentials
from cloudconnectors.providers.aws.organizations import member_credentials
from cloudconnectors.providers.base import CloudSession, ProviderCredentials
from cloudconnectors.providers.organizations import Member, MemberDiscovery
from cloudconnectors.services import connectors
from cloudconnectors.services.context import AppContext, Principal
from cloudconnectors.services.external_ids import issue_external_id
from cloudconnectors.services.queued_polls import execute_run, tick
from cloudconnectors.storage.repositories.queue import QueuedRun
from cloudconnectors.storage.tables import ConnectorRow
from tests.fakes.provider import FakeProvider
from tests.support.credentials import aws_credentials
from tests.support.people import Person, principal_of


class OrgProvider(FakeProvider):
    """The fake AWS provider with an organization whose members the test sets."""

    def __init__(self) -> None:
        super().__init__(ProviderName.AWS)
        self.members: list[Member] = []

    def discover_members(self, session: CloudSession, root: str) -> MemberDiscovery:
        return MemberDiscovery(tuple(self.members), complete=True)

    def member_credentials(self, parent_credentials: ProviderCredentials, member: Member,
                           options: Mapping[str, Any]) -> ProviderCredentials:
        assert isinstance(parent_credentials, AwsCredentials)
        return member_credentials(parent_credentials, member, options)


@pytest.fixture
def provider() -> Iterator[OrgProvider]:
    with registry.override(ProviderName.AWS, OrgProvider()) as found:
        assert isinstance(found, OrgProvider)
        yield found


def _drain(ctx: AppContext) -> int:
    """Tick and run what was queued, as workers would, until nothing is due."""
    ran = 0
    while True:
        sent: list[QueuedRun] = []
        tick(ctx, sent.extend)
        if not sent:
            return ran
        for run in sent:
            execute_run(ctx, run.run_id, f"worker-{ran % 2}")
            ran += 1


def test_members_are_queued_and_polled_by_workers_after_the_walk(
        ctx: AppContext, admin: Person, provider: OrgProvider) -> None:
    principal: Principal = principal_of(ctx, admin)
    provider.members = [Member(f"11110000{i:04d}", f"m{i}", ("r-1",), {}) for i in range(3)]
    org = connectors.create_connector(
        ctx, principal, name="org", provider="aws", organization={},
        credentials=aws_credentials(issue_external_id(ctx, principal)))

    assert _drain(ctx) == 4  # the walk, then the three members it found
    shown = connectors.get_connector(ctx, principal, org.id)
    assert shown.status is Status.ONLINE and shown.members is not None
    assert shown.members.summary == "3 of 3 members online"
    assert _drain(ctx) == 0  # members wait for their organization's next poll

    provider.members = provider.members[1:]
    connectors.request_refresh(ctx, principal, org.id)
    assert _drain(ctx) == 3  # the walk, then the two members still there
    with ctx.db.read() as session:
        gone = session.scalars(select(ConnectorRow.name).where(
            ConnectorRow.parent_id == org.id, ConnectorRow.gone_at.is_not(None))).all()
    assert gone == ["org / m0 (111100000000)"]
    assert len(provider.polls) == 5 and org.id not in provider.polls  # members only collect


def test_an_organization_needs_a_provider_that_walks_one(
        ctx: AppContext, admin: Person) -> None:
    principal = principal_of(ctx, admin)
    with (registry.override(ProviderName.AWS, FakeProvider(ProviderName.AWS)),
          pytest.raises(Exception, match="has no organization discovery yet")):
        connectors.create_connector(
            ctx, principal, name="org", provider="aws", organization={},
            credentials=aws_credentials(issue_external_id(ctx, principal)))


