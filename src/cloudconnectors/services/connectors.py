"""Connector use cases: create, list, show, edit, delete, refresh."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from cloudconnectors.domain import states
from cloudconnectors.domain.connector import (
    INVENTORY_DEFAULT,
    RUN_FREQUENCY_DEFAULT,
    Connector,
    ProviderName,
    inventory_problem,
    name_problem,
    provider_problem,
    run_frequency_problem,
)
from cloudconnectors.domain.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from cloudconnectors.domain.organizations import (
    KIND_ACCOUNT,
    KIND_ORGANIZATION,
    OrganizationSettings,
)
from cloudconnectors.domain.states import IDLE, Stage, Status
from cloudconnectors.services.access import require_admin
from cloudconnectors.services.context import AppContext, Principal
from cloudconnectors.services.lookups import refuse_nul, require_plausible_id
from cloudconnectors.services.refresh_expiry import expire_unclaimed
from cloudconnectors.storage.repositories import connectors as repo
from cloudconnectors.storage.tables import ConnectorRow
from cloudconnectors.storage.tables.base import new_id, utcnow

if TYPE_CHECKING:
    from cloudconnectors.providers.base import ProviderCredentials

# Listing and reading connectors stay light (the CLI's ``connectors list`` answers at once):
# the credential models (pydantic) and the provider registry load when credentials are
# parsed or opened.

UNSET: Any = object()


@dataclass(frozen=True)
class Page:
    items: list[Connector]
    total: int


def _nul_problems(value: Any, path: str) -> list[FieldProblem]:
    if isinstance(value, str):
        return [FieldProblem(path, "must not contain NUL characters")] if "\x00" in value else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _nul_problems(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _nul_problems(v, f"{path}.{i}")]
    return []


def _parse_credentials(provider: str, raw: Any, ctx: AppContext) -> ProviderCredentials:
    from cloudconnectors.providers.base import parse_credentials
    from cloudconnectors.providers.registry import get_provider

    _check(list(_nul_problems(raw, "credentials")))
    return parse_credentials(get_provider(provider).credentials_model, raw, ctx.settings)


def _seal(ctx: AppContext, credentials: ProviderCredentials, connector_id: str) -> str:
    return ctx.secrets.seal(credentials.secret_material(), bound_to=connector_id)


def open_credentials(ctx: AppContext, row: ConnectorRow) -> ProviderCredentials:
    """Decrypt a connector's credentials for a poll; never for display.

    Credentials that no longer validate raise ``ValidationFailed`` naming the fields only:
    pydantic's own message would quote the secret values.
    """
    return open_sealed_credentials(ctx, row.provider, row.id, row.credentials_sealed)


def open_sealed_credentials(
    ctx: AppContext, provider: str, connector_id: str, sealed: str
) -> ProviderCredentials:
    """:func:`open_credentials` from the row's values, read in a transaction that is over."""
    from cloudconnectors.providers.base import parse_credentials
    from cloudconnectors.providers.registry import get_provider

    model = get_provider(provider).credentials_model
    material = ctx.secrets.open(sealed, bound_to=connector_id)
    return parse_credentials(model, material, ctx.settings, stored=True)


def _check(problems: list[FieldProblem | None]) -> None:
    found = [p for p in problems if p is not None]
    if found:
        raise ValidationFailed(found)


def _name_conflict(name: str) -> Conflict:
    return Conflict(f"name: a connector named {name!r} already exists in this tenant")


def create_connector(
    ctx: AppContext,
    principal: Principal,
    *,
    name: Any,
    provider: Any,
    credentials: Any,
    run_frequency_minutes: Any = RUN_FREQUENCY_DEFAULT,
    projects: Any = None,
    organization: Any = None,
    inventory: Any = INVENTORY_DEFAULT,
) -> Connector:
    """Create an account connector, or with ``organization`` an organization connector whose
    polls keep one member connector per account, project or subscription under its root."""
    require_admin(principal)
    _check(
        [
            name_problem(name),
            provider_problem(provider),
            run_frequency_problem(run_frequency_minutes),
            inventory_problem(inventory),
        ]
    )
    parsed = _parse_credentials(provider, credentials, ctx)
    scope = _parse_scope(provider, projects)
    org = _parse_organization(provider, organization)
    connector_id = new_id()
    now = utcnow()
    with ctx.db.write() as session:
        if repo.name_taken(session, principal.tenant_id, name):
            raise _name_conflict(name)
        if (external_id := parsed.issued_external_id()) is not None:
            from cloudconnectors.services.external_ids import claim_external_id

            claim_external_id(session, principal.tenant_id, external_id, connector_id)
        row = ConnectorRow(
            id=connector_id,
            tenant_id=principal.tenant_id,
            name=name,
            provider=ProviderName(provider).value,
            run_frequency_minutes=run_frequency_minutes,
            status=Status.PENDING.value,
            credentials_public=parsed.public_view(),
            credentials_sealed=_seal(ctx, parsed, connector_id),
            scope=scope,
            inventory=inventory,
            created_at=now,
            updated_at=now,
            next_run_at=now,  # first poll right away
            kind=KIND_ORGANIZATION if org is not None else KIND_ACCOUNT,
            organization=org.to_json() if org is not None else None,
        )
        session.add(row)
        session.flush()
        return repo.with_rollups(session, [repo.to_domain(row)])[0]


def list_connectors(
    ctx: AppContext,
    principal: Principal,
    *,
    limit: int = 50,
    offset: int = 0,
    provider: str | None = None,
    status: str | None = None,
    search: str | None = None,
    sort: str = "name",
    descending: bool = False,
    parent: str | None = None,
    kind: str | None = None,
    tree: bool = False,
) -> Page:
    """A page of connectors. ``parent=""`` lists the top level (accounts and organizations;
    with ``tree`` an organization also when one of its members matches the filters), an
    organization's ID lists its members, None lists every connector."""
    refuse_nul(q=search)
    if parent:
        require_plausible_id("parent", parent)
    expire_unclaimed(ctx, tenant_id=principal.tenant_id)
    with ctx.db.read() as session:
        items, total = repo.page(
            session,
            principal.tenant_id,
            repo.ConnectorFilter(provider, status, search, parent, kind, tree),
            limit=limit,
            offset=offset,
            sort=sort,
            descending=descending,
        )
    return Page(items, total)


def get_connector(ctx: AppContext, principal: Principal, connector_id: str) -> Connector:
    require_plausible_id("connector", connector_id)
    expire_unclaimed(ctx, tenant_id=principal.tenant_id)
    with ctx.db.read() as session:
        return repo.get_with_snapshot(session, principal.tenant_id, connector_id)


def update_connector(
    ctx: AppContext,
    principal: Principal,
    connector_id: str,
    *,
    name: Any = UNSET,
    run_frequency_minutes: Any = UNSET,
    credentials: Any = UNSET,
    projects: Any = UNSET,
    organization: Any = UNSET,
    inventory: Any = UNSET,
) -> Connector:
    require_admin(principal)
    require_plausible_id("connector", connector_id)
    _check(
        [
            name_problem(name) if name is not UNSET else None,
            run_frequency_problem(run_frequency_minutes)
            if run_frequency_minutes is not UNSET
            else None,
            inventory_problem(inventory) if inventory is not UNSET else None,
        ]
    )
    with ctx.db.write() as session:
        row = repo.get_row(session, principal.tenant_id, connector_id, for_update=True)
        if name is not UNSET and name != row.name:
            if repo.name_taken(session, principal.tenant_id, name, except_id=row.id):
                raise _name_conflict(name)
            row.name = name
        if run_frequency_minutes is not UNSET:
            row.run_frequency_minutes = run_frequency_minutes
            if row.last_run_at is not None and row.status != Status.REFRESHING.value:
                row.next_run_at = row.last_run_at + timedelta(minutes=run_frequency_minutes)
        if credentials is not UNSET:
            _rotate_credentials(ctx, row, credentials)
        if projects is not UNSET:
            row.scope = _parse_scope(row.provider, projects)
        if inventory is not UNSET:
            row.inventory = inventory
        if organization is not UNSET:
            if row.kind != KIND_ORGANIZATION:
                raise ValidationFailed.single("organization", "only an organization connector "
                                              "has organization settings")
            parsed_org = _parse_organization(row.provider, organization)
            row.organization = parsed_org.to_json() if parsed_org is not None else None
        if row.parent_id is not None and (credentials is not UNSET or name is not UNSET):
            raise ValidationFailed.single(
                "credentials" if credentials is not UNSET else "name",
                "a member connector takes these from its organization; edit the organization")
        row.updated_at = utcnow()
        session.flush()
    return get_connector(ctx, principal, connector_id)


def _parse_organization(provider: Any, raw: Any) -> OrganizationSettings | None:
    if raw is None:
        return None
    from cloudconnectors.providers.registry import get_provider
    from cloudconnectors.services.organizations import check_supported, settings_for_create

    check_supported(get_provider(provider))
    return settings_for_create(str(provider), raw)


def _parse_scope(provider: Any, projects: Any) -> dict[str, list[str]] | None:
    """A connector's include/exclude project lists (GCP only); None reads every project.
    No lists at all (null, ``{}``, empty lists) is fine for any provider: it changes nothing."""
    if projects is None:
        return None
    from cloudconnectors.providers.gcp.projects import validate_scope

    scope = validate_scope(projects)
    if scope is not None and provider != ProviderName.GCP.value:
        raise ValidationFailed.single("projects", "only Google Cloud connectors take project "
                                      "lists")
    return scope


def _rotate_credentials(ctx: AppContext, row: ConnectorRow, raw: Any) -> None:
    if repo.state_of(row).stage is Stage.POLLING:
        raise Conflict("credentials: a poll is running; change them when it has finished")
    current_external = row.credentials_public.get("external_id")
    if current_external is not None and isinstance(raw, dict):
        supplied = raw.get("external_id", current_external)
        if supplied != current_external:
            raise ValidationFailed.single(
                "credentials.external_id", "is fixed for the life of the connector"
            )
        raw = {**raw, "external_id": current_external}
    parsed = _parse_credentials(row.provider, raw, ctx)
    row.credentials_public = parsed.public_view()
    row.credentials_sealed = _seal(ctx, parsed, row.id)
    before = repo.state_of(row)
    after = states.apply(before, states.Event.credentials_changed())
    if before.stage is Stage.QUEUED:
        # The Refresh asked for stays asked for: it now polls the new credentials, and goes
        # back to pending (what they are) if no poller takes it.
        after = states.apply(after, states.Event.refresh_queued())
    repo.store_state(row, after)
    row.next_run_at = utcnow()


def delete_connector(ctx: AppContext, principal: Principal, connector_id: str) -> None:
    """Delete with its runs and snapshots. Its External ID stays spent, never reissued."""
    require_admin(principal)
    require_plausible_id("connector", connector_id)
    with ctx.db.write() as session:
        session.delete(repo.get_row(session, principal.tenant_id, connector_id, for_update=True))


@dataclass(frozen=True)
class RefreshResult:
    connector: Connector
    queued: bool  # False when a poll was already running: Refresh starts nothing new


def request_refresh(ctx: AppContext, principal: Principal, connector_id: str) -> RefreshResult:
    """Queue a poll now; the connector reads ``refreshing`` from this moment on.

    A Refresh already queued stays as it was (same request time); one asked for while a poll
    runs starts nothing new.
    """
    require_admin(principal)
    require_plausible_id("connector", connector_id)
    with ctx.db.write() as session:
        row = repo.get_row(session, principal.tenant_id, connector_id, for_update=True)
        if row.gone_at is not None:
            raise Conflict(f"connector {connector_id} is a member that has left its "
                           "organization (or is excluded); it is kept for its history only")
        state = repo.state_of(row)
        if state.stage in IDLE:
            now = utcnow()
            repo.store_state(row, states.apply(state, states.Event.refresh_queued()))
            row.refresh_requested_at = now
            row.next_run_at = now
        queued = state.stage is not Stage.POLLING
    return RefreshResult(get_connector(ctx, principal, connector_id), queued)


def find_connector(ctx: AppContext, principal: Principal, id_or_name: str) -> Connector:
    """A connector of the principal's tenant by ID, or else by exact name (CLI, portal)."""
    if "\x00" in id_or_name or len(id_or_name) > 200:
        raise NotFound(f"no connector with ID or name {id_or_name[:100]!r}")
    expire_unclaimed(ctx, tenant_id=principal.tenant_id)
    with ctx.db.read() as session:
        try:
            require_plausible_id("connector", id_or_name)
            return repo.get_with_snapshot(session, principal.tenant_id, id_or_name)
        except NotFound:
            row_id = session.scalar(
                select(ConnectorRow.id).where(
                    ConnectorRow.tenant_id == principal.tenant_id, ConnectorRow.name == id_or_name
                )
            )
            if row_id is None:
                raise NotFound(f"no connector with ID or name {id_or_name!r}") from None
            return repo.get_with_snapshot(session, principal.tenant_id, row_id)
