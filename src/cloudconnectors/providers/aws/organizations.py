"""AWS Organizations: walk the organization from the management (or delegated administrator)
account, and name the role each member account is entered with.

The walk lists roots, then each container's OUs and accounts (``ListRoots``,
``ListOrganizationalUnitsForParent``, ``ListChildren``); names and statuses come from
``ListAccounts`` and tags from ``ListTagsForResource``. A container that cannot be listed is a
problem on the discovery (``complete=False``), never a silently shorter member list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from cloudconnectors.domain.errors import AuthenticationFailed, CollectionFailed
from cloudconnectors.providers.aws.artifacts import MEMBER_ROLE_NAME, ORGANIZATION_ACTIONS
from cloudconnectors.providers.aws.credentials import ROLE_ARN_PATTERN, AwsCredentials
from cloudconnectors.providers.aws.faults import classify, error_code
from cloudconnectors.providers.organizations import Member, MemberDiscovery

__all__ = ["DEFAULT_MEMBER_ROLE", "DISCOVERY_ACTIONS", "discover", "member_credentials"]

DEFAULT_MEMBER_ROLE = MEMBER_ROLE_NAME
# What the management-account role needs to walk the organization (the setup policy).
DISCOVERY_ACTIONS = ORGANIZATION_ACTIONS
_WALK_FIX = (
    "The organization connector's role must be in the organization's management account or "
    "in a delegated administrator account, with " + ", ".join(DISCOVERY_ACTIONS) +
    " allowed (the policy in this connector's setup artifacts); fix it, then press Refresh."
)


def _pages(client: Any, operation: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
    for page in client.get_paginator(operation).paginate(**params):
        yield from page.get(key, [])


def _reason(exc: BaseException) -> str:
    return classify(exc, "organizations").reason


def discover(client: Any, root: str) -> MemberDiscovery:
    """Every account under ``root`` ("" or a root ID: the whole organization; an OU ID: that
    subtree), with its OU path and tags, read with an ``organizations`` client."""
    try:
        roots = [r["Id"] for r in _pages(client, "list_roots", "Roots")]
        accounts = {a["Id"]: a for a in _pages(client, "list_accounts", "Accounts")}
    except (ClientError, BotoCoreError) as exc:
        code = error_code(exc)
        if code == "AWSOrganizationsNotInUseException":
            raise AuthenticationFailed(
                "the account of the organization connector's role is not in an AWS "
                "Organization. Give the role of the management account (or of a delegated "
                "administrator), then press Refresh.") from None
        if isinstance(exc, ClientError) and classify(exc, "organizations").permission:
            raise AuthenticationFailed(
                f"listing the organization was refused ({_reason(exc)}). {_WALK_FIX}") from None
        raise CollectionFailed(f"listing the organization failed: {_reason(exc)}") from None
    start = _start(client, root, roots)
    members: list[Member] = []
    problems: list[str] = []
    # Breadth first: (container, path from the organization root down to it).
    queue: list[tuple[str, tuple[str, ...]]] = [start]
    while queue:
        container, path = queue.pop(0)
        here = (*path, container)
        try:
            children = [c["Id"] for c in _pages(client, "list_children", "Children",
                                               ParentId=container, ChildType="ACCOUNT")]
            units = [u["Id"] for u in _pages(client, "list_organizational_units_for_parent",
                                            "OrganizationalUnits", ParentId=container)]
        except (ClientError, BotoCoreError) as exc:
            problems.append(f"{container}: listing its accounts and OUs failed "
                            f"({_reason(exc)}); its members were not read. {_WALK_FIX}")
            continue
        queue.extend((unit, here) for unit in units)
        for account_id in children:
            members.append(_member(client, account_id, accounts.get(account_id), here,
                                   problems.append))
    return MemberDiscovery(tuple(members), complete=not problems, problems=tuple(problems))


def _start(client: Any, root: str, roots: list[str]) -> tuple[str, tuple[str, ...]]:
    """The container the walk starts from and its path from the organization root."""
    if not root or root in roots:
        if not roots:
            raise CollectionFailed("the organization has no root to list")
        return (root or roots[0], ())
    path: list[str] = []
    current = root
    try:
        while current not in roots:  # climb to the organization root to name the path
            parents = list(_pages(client, "list_parents", "Parents", ChildId=current))
            if not parents:
                break
            current = parents[0]["Id"]
            path.insert(0, current)
    except (ClientError, BotoCoreError) as exc:
        code = error_code(exc)
        if code in {"ChildNotFoundException", "ParentNotFoundException",
                    "InvalidInputException"}:
            raise AuthenticationFailed(
                f"organization root {root!r} was not found in this organization: give a root "
                "ID (r-...), an OU ID (ou-...) or leave it empty for the whole organization"
            ) from None
        raise CollectionFailed(f"finding OU {root} failed: {_reason(exc)}") from None
    return (root, tuple(path))


def _member(client: Any, account_id: str, account: Mapping[str, Any] | None,
            path: tuple[str, ...], problem: Callable[[str], None]) -> Member:
    tags: dict[str, str] = {}
    try:
        for tag in _pages(client, "list_tags_for_resource", "Tags", ResourceId=account_id):
            tags[str(tag["Key"])] = str(tag.get("Value", ""))
    except (ClientError, BotoCoreError) as exc:
        problem(f"{account_id}: its tags could not be read ({_reason(exc)}); tag filters "
                "cannot be judged for it. Allow organizations:ListTagsForResource.")
    status = str((account or {}).get("Status") or "ACTIVE")
    return Member(
        account=account_id,
        name=str((account or {}).get("Name") or account_id),
        path=path,
        tags=tags,
        active=status == "ACTIVE",
    )


def member_credentials(parent: AwsCredentials, member: Member,
                       options: Mapping[str, Any]) -> AwsCredentials:
    """The member role, of the name the user gave, with the organization's External ID."""
    match = ROLE_ARN_PATTERN.fullmatch(parent.role_arn)
    assert match is not None  # validated on construction
    partition = parent.role_arn.split(":", 2)[1]
    role = str(options.get("member_role_name") or DEFAULT_MEMBER_ROLE).strip("/")
    return AwsCredentials(role_arn=f"arn:{partition}:iam::{member.account}:role/{role}",
                          external_id=parent.external_id)
