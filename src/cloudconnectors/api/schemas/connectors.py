"""Connector request/response shapes (DESIGN section 5)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from cloudconnectors.api.schemas.common import StrictBody
from cloudconnectors.domain.connector import (
    NAME_MAX_LENGTH,
    RUN_FREQUENCY_DEFAULT,
    RUN_FREQUENCY_MAX,
    RUN_FREQUENCY_MIN,
    Connector,
    ProviderName,
)
from cloudconnectors.domain.organizations import Rollup
from cloudconnectors.domain.states import Discovery, Status

FREQUENCY_HELP = "How often the connector polls its cloud, in minutes (recommended 240)."
CREDENTIALS_HELP = (
    "aws: {role_arn, external_id}; gcp: {service_account_key}; "
    "azure: {application_id, directory_id, authentication_key, subscription_id}"
)
PROJECTS_HELP = (
    'GCP only: {"include": [project IDs], "exclude": [project IDs]}. The connector reads the '
    "key's project and every project its account can see; a non-empty include list keeps "
    "only those, exclude always wins. null or empty lists: every visible project."
)


ORGANIZATION_HELP = (
    "Makes an organization connector (docs/organizations.md): {root, member_role_name, "
    "include, exclude}. root: '' (the whole organization), an AWS root or OU ID, a GCP "
    "organizations/N or folders/N, an Azure management group ID; member_role_name (AWS, "
    "default CloudConnectorsMember): the role in every member account, trusting the platform "
    "with the same External ID; include / exclude: {accounts: [IDs], paths: [container IDs], "
    "tags: ['key' or 'key=value']}; exclude wins, an empty include takes every member."
)


_PROJECT_IDS: dict[str, Any] = {
    "type": "array", "maxItems": 1000,
    "items": {"type": "string", "pattern": r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$",
              "description": "A GCP project ID"},
}
PROJECT_LISTS: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "properties": {"include": _PROJECT_IDS, "exclude": _PROJECT_IDS},
}
"""The shape of a GCP connector's project lists (what ``providers.gcp.projects`` checks)."""


def _projects_schema(schema: dict[str, Any]) -> None:
    """The document states the lists' shape; the service still checks them (and names each
    broken rule), so the field stays a plain object at run time."""
    description = schema.get("description")
    schema.clear()
    schema.update({"anyOf": [PROJECT_LISTS, {"type": "null"}]})
    if description:
        schema["description"] = description


def _integral(value: object) -> object:
    """257.0 is an integer to JSON Schema (and so to generated clients); 257.5 and "257" stay
    refused by the strict field."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# What the OpenAPI document promises about names: a printable first character, then
# printable ones (a safe subset of the server's rule, which takes any printable text).
_PRINTABLE = r"!-~\u00a1-\u00ac\u00ae-\u024f"
NAME_SCHEMA: dict[str, Any] = {"pattern": f"^[{_PRINTABLE}][ {_PRINTABLE}]*$"}


Inventory = Literal["rules", "full"]
INVENTORY_HELP = ("What a poll reads. rules (default): only what the compliance rules, built-in "
                  "and the tenant's custom ones, read. full: every resource type and detail "
                  "the provider knows, for a complete inventory (more API calls). A member "
                  "connector also reads everything when its organization says full.")


class ConnectorCreate(StrictBody):
    name: str = Field(min_length=1, max_length=NAME_MAX_LENGTH, json_schema_extra=NAME_SCHEMA)
    provider: ProviderName
    run_frequency_minutes: int = Field(
        default=RUN_FREQUENCY_DEFAULT,
        ge=RUN_FREQUENCY_MIN,
        le=RUN_FREQUENCY_MAX,
        strict=True,
        description=FREQUENCY_HELP,
    )
    credentials: dict[str, Any] = Field(description=CREDENTIALS_HELP)

    _frequency = field_validator("run_frequency_minutes", mode="before")(
        classmethod(lambda cls, value: _integral(value)))
    projects: dict[str, Any] | None = Field(default=None, description=PROJECTS_HELP,
                                            json_schema_extra=_projects_schema)
    organization: dict[str, Any] | None = Field(default=None, description=ORGANIZATION_HELP)
    inventory: Inventory = Field(default="rules", description=INVENTORY_HELP)


def _no_default_in_schema(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def _name_schema(schema: dict[str, Any]) -> None:
    _no_default_in_schema(schema)
    schema.update(NAME_SCHEMA)


# Left out = keep the value. The placeholder default None is never validated nor shown in
# the OpenAPI document, and ``null`` is refused: the route applies only the fields a client set.
_LEFT_OUT: Any = None


class ConnectorUpdate(StrictBody):
    """Fields left out keep their value; ``null`` is refused rather than silently ignored."""

    name: str = Field(
        _LEFT_OUT, min_length=1, max_length=NAME_MAX_LENGTH, json_schema_extra=_name_schema
    )
    run_frequency_minutes: int = Field(
        _LEFT_OUT, ge=RUN_FREQUENCY_MIN, le=RUN_FREQUENCY_MAX, strict=True,
        description=FREQUENCY_HELP, json_schema_extra=_no_default_in_schema,
    )
    credentials: dict[str, Any] = Field(
        _LEFT_OUT, description="New credentials (rotation). " + CREDENTIALS_HELP,
        json_schema_extra=_no_default_in_schema,
    )
    projects: dict[str, Any] | None = Field(
        _LEFT_OUT, description=PROJECTS_HELP + " null clears the lists.",
        json_schema_extra=_projects_schema,
    )
    organization: dict[str, Any] = Field(
        _LEFT_OUT, description="Organization connectors only: new settings. "
        + ORGANIZATION_HELP, json_schema_extra=_no_default_in_schema,
    )
    inventory: Inventory = Field(_LEFT_OUT, description=INVENTORY_HELP,
                                 json_schema_extra=_no_default_in_schema)

    @field_validator("name", "run_frequency_minutes", "credentials", "organization",
                     "inventory", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise PydanticCustomError(
                "null_refused", "must not be null (leave the field out to keep its value)"
            )
        return _integral(value)


class MembersOut(BaseModel):
    """An organization's members by status; ``gone`` ones are not in ``total``."""

    total: int
    online: int
    offline: int
    pending: int
    refreshing: int
    gone: int
    summary: str = Field(description='e.g. "41 of 43 members online (2 offline)"')

    @classmethod
    def of(cls, rollup: Rollup) -> MembersOut:
        return cls(total=rollup.total, online=rollup.online, offline=rollup.offline,
                   pending=rollup.pending, refreshing=rollup.refreshing, gone=rollup.gone,
                   summary=rollup.summary)


class ConnectorOut(BaseModel):
    id: str
    name: str
    provider: ProviderName
    run_frequency_minutes: int
    status: Status
    discovery: Discovery | None
    last_error: str | None
    warning: str | None
    last_run_at: datetime | None
    next_run_at: datetime | None
    created_at: datetime
    updated_at: datetime
    credentials: dict[str, Any] = Field(description="Non-secret parts only.")
    projects: dict[str, list[str]] | None = Field(
        default=None, description="GCP: the include/exclude project lists (null: all).")
    inventory: Inventory = Field(default="rules", description=INVENTORY_HELP)
    regions: list[str]
    vm_count: int
    asset_count: int
    kind: Literal["account", "organization"] = Field(
        default="account", description="organization: its polls keep one member connector "
        "per account, project or subscription found under its root.")
    parent_id: str | None = Field(default=None, description="A member connector's "
                                  "organization connector.")
    organization: dict[str, Any] | None = Field(
        default=None, description="An organization connector's root, member role and filters.")
    member: dict[str, Any] | None = Field(
        default=None, description="A member connector's account, name, path (container IDs "
        "from the root down), tags, active; gone_reason once gone.")
    gone_at: datetime | None = Field(default=None, description="When the member left the "
                                     "organization or was excluded; kept for its history.")
    members: MembersOut | None = Field(default=None, description="An organization "
                                       "connector's members by status.")
    refresh_requested_at: datetime | None = Field(
        default=None, description="When a Refresh was accepted; cleared when its poll ends.")
    refresh_queued: bool = Field(
        default=False, description="True while an accepted Refresh waits for a poller (the "
        "status already reads refreshing); false once a poll runs. A refresh no poller takes "
        "within the lease time goes back to the previous status, with a warning saying so.")

    @classmethod
    def of(cls, connector: Connector) -> ConnectorOut:
        return cls(
            id=connector.id,
            name=connector.name,
            provider=connector.provider,
            run_frequency_minutes=connector.run_frequency_minutes,
            status=connector.status,
            discovery=connector.discovery,
            last_error=connector.last_error,
            warning=connector.warning,
            last_run_at=connector.last_run_at,
            next_run_at=connector.next_run_at,
            created_at=connector.created_at,
            updated_at=connector.updated_at,
            credentials=connector.public_credentials,
            projects=connector.scope,
            inventory="full" if connector.inventory == "full" else "rules",
            regions=list(connector.regions),
            vm_count=connector.vm_count,
            asset_count=connector.asset_count,
            kind="organization" if connector.kind == "organization" else "account",
            parent_id=connector.parent_id,
            organization=connector.organization,
            member=connector.member,
            gone_at=connector.gone_at,
            members=MembersOut.of(connector.members) if connector.members else None,
            refresh_requested_at=connector.refresh_requested_at,
            refresh_queued=connector.refresh_queued,
        )


class ConnectorPage(BaseModel):
    items: list[ConnectorOut]
    total: int
    limit: int
    offset: int


class RefreshOut(BaseModel):
    queued: bool = Field(description="False when a poll was already running: nothing new started.")
    connector: ConnectorOut
