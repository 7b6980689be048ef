"""An organization connector's poll: walk the members, keep one child connector per member.

The organization connector polls like any other (same states, same Refresh, same run), but
what it reads is the member list. Each poll:

1. asks the provider for the members under the root (``discover_members``);
2. filters them with the connector's include / exclude (``domain.organizations``);
3. **reconciles** the child connectors in one transaction: a new member gets a child
   (pending, due now), a known one gets its name, path, tags and derived credentials
   updated and is made due, one that left the organization or is now excluded is marked
   gone (``gone_at``; its runs and reports stay, it is no longer polled). When the walk was
   incomplete nobody is marked gone: absence from a partial list proves nothing;
4. wakes the scheduler, so the worker pool (embedded threads or Celery workers) polls the
   due children concurrently, each under its own lease, within the pool's bound.

The organization's own verdict is about the walk: offline when the management account could
not be listed (with the fix), online with a warning naming each container it could not list.
How the members stand is a roll-up read from the children (``"41 of 43 members online"``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cloudconnectors.domain import states
from cloudconnectors.domain.connector import NAME_MAX_LENGTH
from cloudconnectors.domain.errors import FieldProblem, ValidationFailed
from cloudconnectors.domain.organizations import (
    GONE_EXCLUDED,
    GONE_LEFT,
    KIND_ACCOUNT,
    KIND_ORGANIZATION,
    OrganizationSettings,
    parse_organization,
)
from cloudconnectors.domain.runs import RunState, Trigger
from cloudconnectors.domain.states import Discovery, Status
from cloudconnectors.inventory.outcome import PollVerdict
from cloudconnectors.providers.base import CloudSession, Provider, ProviderCredentials
from cloudconnectors.providers.organizations import Member, MemberDiscovery
from cloudconnectors.security.crypto import SecretBox
from cloudconnectors.storage.repositories import connectors as connector_repo
from cloudconnectors.storage.tables import ConnectorRow
from cloudconnectors.storage.tables.base import new_id, utcnow

__all__ = ["Reconciled", "poll_organization", "reconcile", "settings_for_create"]

logger = logging.getLogger(__name__)

SHOWN_PROBLEMS = 5


def settings_for_create(provider: str, raw: Any) -> OrganizationSettings:
    """Validate the ``organization`` field of a new connector (AWS takes a member role)."""
    found = parse_organization(raw, needs_role=provider == "aws")
    _check_root(provider, found.root)
    if provider == "aws" and found.member_role_name is None:
        from cloudconnectors.providers.aws.organizations import DEFAULT_MEMBER_ROLE

        return OrganizationSettings(found.root, DEFAULT_MEMBER_ROLE, found.include,
                                    found.exclude)
    return found


def _check_root(provider: str, root: str) -> None:
    """GCP and Azure have no "whole organization" default: the root is named, in its form."""
    if provider == "gcp":
        from cloudconnectors.providers.gcp.organization import ROOT_PATTERN

        if not ROOT_PATTERN.fullmatch(root):
            raise ValidationFailed.single("organization.root", "must be organizations/<number> "
                                          "or folders/<number> (the GCP organization or "
                                          "folder to walk)")
    elif provider == "azure":
        from cloudconnectors.providers.azure.organization import GROUP_PATTERN

        if not GROUP_PATTERN.fullmatch(root):
            raise ValidationFailed.single("organization.root", "must be a management group "
                                          "ID: 1-90 letters, digits, -, _, ., parentheses "
                                          "(the tenant root group's ID is the directory ID)")


def check_supported(provider: Provider) -> None:
    """Refuse an organization connector for a provider that has no member discovery."""
    if type(provider).discover_members is Provider.discover_members:
        raise ValidationFailed([FieldProblem(
            "organization", f"{provider.display_name} has no organization discovery yet")])


@dataclass(frozen=True)
class Reconciled:
    selected: int
    new: int
    gone: int
    excluded: int


def _member_json(member: Member) -> dict[str, Any]:
    return {"account": member.account, "name": member.name, "path": list(member.path),
            "tags": dict(member.tags), "active": member.active}


def _child_name(session: Session, tenant_id: str, parent: str, member: Member,
                except_id: str | None) -> str:
    suffix = f" / {member.name} ({member.account})"
    if len(suffix) > NAME_MAX_LENGTH // 2:
        suffix = f" / {member.account}"
    name = parent[: max(1, NAME_MAX_LENGTH - len(suffix))] + suffix
    name = "".join(ch if ch.isprintable() else " " for ch in name)[:NAME_MAX_LENGTH]
    if connector_repo.name_taken(session, tenant_id, name, except_id=except_id):
        name = f"{name[: NAME_MAX_LENGTH - 9]} #{new_id()[:7]}"
    return name


def reconcile(
    session: Session, secrets: SecretBox, parent: ConnectorRow, provider: Provider,
    parent_credentials: ProviderCredentials, discovery: MemberDiscovery, *, now: datetime,
    refresh: bool,
) -> Reconciled:
    """Make the parent's children match ``discovery`` (see the module docstring, step 3)."""
    options = OrganizationSettings.from_json(parent.organization)
    children = {
        str((row.member or {}).get("account")): row
        for row in session.scalars(
            select(ConnectorRow).where(ConnectorRow.parent_id == parent.id)
            .with_for_update())
    }
    seen: set[str] = set()
    new = excluded = gone = selected = 0
    for member in discovery.members:
        if member.account in seen:
            continue
        seen.add(member.account)
        child = children.get(member.account)
        if not options.selects(member.account, member.path, member.tags):
            excluded += 1
            if child is not None and child.gone_at is None:
                _mark_gone(child, GONE_EXCLUDED, now)
                gone += 1
            continue
        selected += 1
        credentials = provider.member_credentials(parent_credentials, member, options.to_json())
        if child is None:
            child = _new_child(session, secrets, parent, member, credentials, now)
            new += 1
        else:
            _update_child(session, secrets, parent, child, member, credentials, now)
        if member.active and child.status != Status.REFRESHING.value:
            child.next_run_at = now  # the pool polls it now (a queued Refresh already is due)
        elif not member.active:
            child.next_run_at = None  # a suspended account cannot be entered
    if discovery.complete:
        for account, child in children.items():
            if account not in seen and child.gone_at is None:
                _mark_gone(child, GONE_LEFT, now)
                gone += 1
    return Reconciled(selected, new, gone, excluded)


def _new_child(session: Session, secrets: SecretBox, parent: ConnectorRow, member: Member,
               credentials: ProviderCredentials, now: datetime) -> ConnectorRow:
    child_id = new_id()
    child = ConnectorRow(
        id=child_id, tenant_id=parent.tenant_id,
        name=_child_name(session, parent.tenant_id, parent.name, member, None),
        provider=parent.provider, run_frequency_minutes=parent.run_frequency_minutes,
        status=Status.PENDING.value, credentials_public=credentials.public_view(),
        credentials_sealed=secrets.seal(credentials.secret_material(), bound_to=child_id),
        created_at=now, updated_at=now, next_run_at=now, kind=KIND_ACCOUNT,
        parent_id=parent.id, member=_member_json(member),
    )
    session.add(child)
    session.flush()  # the next member's name check sees this one
    return child


def _update_child(session: Session, secrets: SecretBox, parent: ConnectorRow,
                  child: ConnectorRow, member: Member, credentials: ProviderCredentials,
                  now: datetime) -> None:
    described = _member_json(member)
    if child.member != described:
        if (child.member or {}).get("name") != member.name:
            child.name = _child_name(session, parent.tenant_id, parent.name, member, child.id)
        child.member = described
    child.gone_at = None
    child.run_frequency_minutes = parent.run_frequency_minutes
    public = credentials.public_view()
    if child.credentials_public != public and child.status != Status.REFRESHING.value:
        # The member role or the organization's identity changed: start the member over.
        child.credentials_public = public
        child.credentials_sealed = secrets.seal(credentials.secret_material(), bound_to=child.id)
        connector_repo.store_state(child, states.apply(connector_repo.state_of(child),
                                                       states.Event.credentials_changed()))
    child.updated_at = now


def _mark_gone(child: ConnectorRow, why: str, now: datetime) -> None:
    child.gone_at = now
    child.next_run_at = None
    child.member = {**(child.member or {}), "gone_reason": why}


def poll_organization(
    ctx: Any, connector_id: str, provider: Provider, cloud: CloudSession,
    credentials: ProviderCredentials, trigger: Trigger,
) -> PollVerdict:
    """Steps 1-4 of the module docstring; returns the organization poll's verdict."""
    with ctx.db.read() as session:
        root = OrganizationSettings.from_json(
            session.get_one(ConnectorRow, connector_id).organization).root
    discovery = provider.discover_members(cloud, root)
    with ctx.db.write() as session:
        parent = session.get_one(ConnectorRow, connector_id)
        done = reconcile(session, ctx.secrets, parent, provider, credentials, discovery,
                         now=utcnow(), refresh=trigger is Trigger.REFRESH)
    if ctx.wake_scheduler is not None:
        ctx.wake_scheduler()
    return _verdict(discovery, done)


def _verdict(discovery: MemberDiscovery, done: Reconciled) -> PollVerdict:
    counts = (f"{len(discovery.members)} member(s) found, {done.selected} selected"
              f"{f', {done.excluded} excluded by the filters' if done.excluded else ''}"
              f"{f', {done.new} new' if done.new else ''}"
              f"{f', {done.gone} marked gone' if done.gone else ''}")
    if discovery.complete:
        discovery_state = Discovery.SUCCESS if done.selected else Discovery.REGIONS_DISCOVERED
        return PollVerdict(RunState.SUCCEEDED, discovery_state,
                           None if done.selected else f"{counts}: no member to poll", None)
    shown = "; ".join(discovery.problems[:SHOWN_PROBLEMS])
    more = len(discovery.problems) - SHOWN_PROBLEMS
    warning = (f"the organization was not read whole, so no member was marked gone "
               f"({counts}): {shown}{f'; and {more} more' if more > 0 else ''}")
    return PollVerdict(RunState.PARTIAL, Discovery.REGIONS_DISCOVERED, warning, None)


def member_context(session: Session, row: ConnectorRow) -> tuple[str | None,
                                                                  Mapping[str, Any] | None]:
    """For a member connector: its organization's name and options (for the fix texts)."""
    if row.parent_id is None:
        return None, None
    parent = session.get(ConnectorRow, row.parent_id)
    if parent is None:
        return None, None
    return parent.name, dict(parent.organization or {})


def is_organization(row: ConnectorRow) -> bool:
    return row.kind == KIND_ORGANIZATION
