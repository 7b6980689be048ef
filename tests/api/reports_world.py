"""An AWS connector polled through the fake provider, so the post-poll hook evaluates it.

The fake emits EC2 instances and S3 buckets (``{"generation", "index", "region"}``) and a
password policy that fails CIS 1.8 (length 8 < 14) and passes 1.9 (reuse 24).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from cloudconnectors.domain.assets import CollectedAsset
from cloudconnectors.domain.connector import ProviderName
from cloudconnectors.services.connectors import create_connector
from cloudconnectors.services.context import AppContext
from cloudconnectors.services.external_ids import issue_external_id
from cloudconnectors.services.polling import PollSummary, poll_now
from tests.fakes.provider import FakeProvider, Plan, fake_provider
from tests.support.credentials import aws_credentials
from tests.support.people import Person, principal_of

CIS = "cis_aws_3_0_0"
MIN_LENGTH_RULE = "aws.iam.password_policy_min_length_14"


def password_policy(length: int = 8) -> CollectedAsset:
    return CollectedAsset(
        type="AWS::IAM::AccountPasswordPolicy", region="global", native_id="password-policy",
        name="password-policy",
        data={"MinimumPasswordLength": length, "PasswordReusePrevention": 24,
              "RequireSymbols": True})


def aws_plan(length: int = 8) -> Plan:
    return Plan(vms=1, others=2, regions=("us-east-1",), assets=(password_policy(length),))


@contextmanager
def fake_aws(length: int = 8) -> Iterator[FakeProvider]:
    with fake_provider(ProviderName.AWS, aws_plan(length)) as provider:
        yield provider


@dataclass(frozen=True)
class Polled:
    connector_id: str
    name: str
    first: PollSummary


def aws_connector(ctx: AppContext, person: Person, name: str = "prod-aws") -> str:
    principal = principal_of(ctx, person)
    return create_connector(ctx, principal, name=name, provider="aws",
                            credentials=aws_credentials(issue_external_id(ctx, principal))).id


def polled_aws(ctx: AppContext, person: Person, name: str = "prod-aws") -> Polled:
    """Create and poll once (the fake must be installed by the caller)."""
    connector_id = aws_connector(ctx, person, name)
    summary = poll_now(ctx, connector_id)
    assert not summary.hook_errors, summary.hook_errors
    return Polled(connector_id, name, summary)
