"""The connector's own fields and their rules (DESIGN section 2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from cloudconnectors.domain.errors import FieldProblem, ValidationFailed
from cloudconnectors.domain.organizations import Rollup
from cloudconnectors.domain.states import Discovery, Status

NAME_MAX_LENGTH = 100
RUN_FREQUENCY_MIN = 60
RUN_FREQUENCY_DEFAULT = 240
RUN_FREQUENCY_MAX = 1440
# What a poll reads: ``rules`` only what the rules (built-in and the tenant's custom ones)
# read; ``full`` every resource type and detail the provider knows, for a complete inventory.
INVENTORY_CHOICES = ("rules", "full")
INVENTORY_DEFAULT = "rules"


class ProviderName(StrEnum):
    AWS = "aws"
    GCP = "gcp"
    AZURE = "azure"


def name_problem(name: object, field: str = "name") -> FieldProblem | None:
    if not isinstance(name, str):
        return FieldProblem(field, "must be a string")
    if not name.strip():
        return FieldProblem(field, "must not be empty")
    if len(name) > NAME_MAX_LENGTH:
        return FieldProblem(field, f"must be at most {NAME_MAX_LENGTH} characters")
    if not name.isprintable():
        return FieldProblem(field, "must contain printable characters only")
    return None


def run_frequency_problem(
    value: object, field: str = "run_frequency_minutes"
) -> FieldProblem | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return FieldProblem(field, "must be a whole number of minutes")
    if value < RUN_FREQUENCY_MIN:
        return FieldProblem(field, f"minimum is {RUN_FREQUENCY_MIN}")
    if value > RUN_FREQUENCY_MAX:
        return FieldProblem(field, f"maximum is {RUN_FREQUENCY_MAX}")
    return None


def provider_problem(value: object, field: str = "provider") -> FieldProblem | None:
    allowed = ", ".join(p.value for p in ProviderName)
    if value not in {p.value for p in ProviderName}:
        return FieldProblem(field, f"must be one of {allowed}")
    return None


def inventory_problem(value: object, field: str = "inventory") -> FieldProblem | None:
    if value not in INVENTORY_CHOICES:
        return FieldProblem(field, "must be one of " + ", ".join(INVENTORY_CHOICES))
    return None


def validate_fields(**fields: object) -> None:
    """Raise one :class:`ValidationFailed` listing every broken rule among ``fields``."""
    checks = {
        "name": name_problem,
        "run_frequency_minutes": run_frequency_problem,
        "provider": provider_problem,
        "inventory": inventory_problem,
    }
    problems = [p for key, value in fields.items() if (p := checks[key](value)) is not None]
    if problems:
        raise ValidationFailed(problems)


@dataclass(frozen=True)
class Connector:
    """A connector as the services see it; credentials appear only in their public view."""

    id: str
    tenant_id: str
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
    public_credentials: dict[str, Any]
    regions: tuple[str, ...] = ()
    # {"include": [...], "exclude": [...]}: the projects read of those visible (None: all).
    scope: dict[str, list[str]] | None = None
    vm_count: int = 0
    asset_count: int = 0
    # Organizations (issue 16): "account" or "organization"; a member connector names its
    # organization connector and describes the member; ``gone_at`` once it left.
    kind: str = "account"
    parent_id: str | None = None
    organization: dict[str, Any] | None = None
    member: dict[str, Any] | None = None
    gone_at: datetime | None = None
    # An organization connector's members by status (read-time roll-up); None otherwise.
    members: Rollup | None = None
    # When a Refresh was accepted (until its poll ends), and whether it still waits for a
    # poller (status refreshing, no poll running yet).
    refresh_requested_at: datetime | None = None
    refresh_queued: bool = False
    # ``rules`` (read what the rules read) or ``full`` (everything the provider knows).
    inventory: str = INVENTORY_DEFAULT
