"""Provider-neutral shapes of an organization: the members found under a root.

An organization connector (an AWS Organization, a GCP organization or folder, an Azure
management group) asks its provider to list the members under its root; core code then
filters them (include / exclude by account, container path and tags) and keeps one child
connector per member. Providers only discover: they never filter, so every cloud is judged
by the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Member:
    """One account / project / subscription found under an organization root."""

    account: str  # AWS account ID, GCP project ID, Azure subscription ID
    name: str  # display name
    # Container IDs from the root down to the member's parent (AWS: r-xxxx, ou-xxxx...;
    # GCP: organizations/N, folders/N...; Azure: management group IDs).
    path: tuple[str, ...]
    tags: Mapping[str, str]  # AWS account tags, GCP project labels, Azure subscription tags
    active: bool = True  # False for suspended / deleted-pending members


@dataclass(frozen=True)
class MemberDiscovery:
    """Everything one walk of the organization found, and what it could not list."""

    members: tuple[Member, ...]
    complete: bool  # False when some container could not be listed
    problems: tuple[str, ...] = ()  # people-readable: which container, what error, the fix
