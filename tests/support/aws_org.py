"""An AWS Organization in moto, built with real boto3 calls, and AWS's refusal of a role that
does not exist (moto grants ``sts:AssumeRole`` on any ARN; AWS refuses a missing role).

The management account creates the organization, its OUs and member accounts (moto gives
them IDs), tags them, and each member that should be enterable gets the member role.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.exceptions import ClientError

from tests.support.aws_seed import account_session, seed_account
from tests.support.fault_proxy import DENIED, FaultProxy, Request, Rule

__all__ = ["Org", "OrgMember", "build_organization", "deny_missing_roles", "fresh_account"]

MANAGEMENT_ROLE = "CloudConnectorsOrganization"
MEMBER_ROLE = "CloudConnectorsMember"
_TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
    "Action": "sts:AssumeRole"}]})


def fresh_account() -> str:
    """A management account no other test uses (moto keeps one organization per account)."""
    return str(random.SystemRandom().randrange(10**11, 10**12 - 1)).rjust(12, "9")


@dataclass(frozen=True)
class OrgMember:
    name: str
    ou: str | None = None  # the OU's name; None: directly under the root
    tags: dict[str, str] = field(default_factory=dict)
    role: bool = True  # False: the member role was never deployed there
    instances: int = 0


@dataclass
class Org:
    endpoint: str
    management: str
    root: str
    ous: dict[str, str]  # name -> ou-... ID
    accounts: dict[str, str]  # member name -> account ID

    def client(self) -> Any:
        return account_session(self.endpoint, self.management).client(
            "organizations", region_name="us-east-1", endpoint_url=self.endpoint)

    def add(self, member: OrgMember, regions: Sequence[str] = ("us-east-1",)) -> str:
        """Create ``member`` in the organization (its role and resources too)."""
        org = self.client()
        status = org.create_account(
            Email=f"{member.name}@example.com", AccountName=member.name,
            Tags=[{"Key": k, "Value": v} for k, v in member.tags.items()],
        )["CreateAccountStatus"]
        account = str(status["AccountId"])
        if member.ou is not None:
            org.move_account(AccountId=account, SourceParentId=self.root,
                             DestinationParentId=self.ous[member.ou])
        session = account_session(self.endpoint, account)
        if member.role:
            _role(session, self.endpoint, MEMBER_ROLE)
        if member.instances:
            seed_account(session, self.endpoint, regions, instances=member.instances,
                         buckets=1, workers=2)
        self.accounts[member.name] = account
        return account

    def remove(self, name: str) -> None:
        self.client().remove_account_from_organization(AccountId=self.accounts.pop(name))


def _role(session: boto3.Session, endpoint: str, name: str) -> None:
    iam = session.client("iam", region_name="us-east-1", endpoint_url=endpoint)
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=_TRUST)


def build_organization(endpoint: str, ous: Sequence[str], members: Sequence[OrgMember],
                       regions: Sequence[str] = ("us-east-1",)) -> Org:
    management = fresh_account()
    session = account_session(endpoint, management)
    _role(session, endpoint, MANAGEMENT_ROLE)
    org = session.client("organizations", region_name="us-east-1", endpoint_url=endpoint)
    org.create_organization(FeatureSet="ALL")
    root = str(org.list_roots()["Roots"][0]["Id"])
    made = {name: str(org.create_organizational_unit(ParentId=root, Name=name)
                      ["OrganizationalUnit"]["Id"]) for name in ous}
    found = Org(endpoint, management, root, made, {})
    for member in members:
        found.add(member, regions)
    return found


def deny_missing_roles(proxy: FaultProxy, endpoint: str) -> Rule:
    """Answer AccessDenied, as AWS does, to sts:AssumeRole on a role that does not exist."""
    known: dict[str, bool] = {}
    lock = threading.Lock()

    def missing(request: Request) -> bool:
        arn = str(request.fields.get("RoleArn") or "")
        parts = arn.split(":")
        if len(parts) < 6 or not parts[5].startswith("role/"):
            return False
        with lock:
            if arn in known:
                return not known[arn]
        account, name = parts[4], parts[5].removeprefix("role/").rsplit("/", 1)[-1]
        iam = account_session(endpoint, account).client(
            "iam", region_name="us-east-1", endpoint_url=endpoint)
        try:
            iam.get_role(RoleName=name)
            exists = True
        except ClientError:
            exists = False
        with lock:
            known[arn] = exists
        return not exists

    return proxy.add(Rule(action="AssumeRole", fault=DENIED, match=missing))
