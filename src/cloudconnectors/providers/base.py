"""The provider plug-in seam.

A provider is: credential model -> authenticate -> discover regions -> collect -> diagnose.
All SDK I/O for a cloud lives behind its :class:`CloudSession`; everything after it (storage,
rules, reports) is provider-neutral and works on :class:`CollectedAsset` and
:class:`CollectorResult`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Protocol

from pydantic import BaseModel, ConfigDict, ValidationError

from cloudconnectors.config import Settings
from cloudconnectors.domain.assets import CollectedAsset
from cloudconnectors.domain.connector import ProviderName
from cloudconnectors.domain.errors import FieldProblem, ValidationFailed
from cloudconnectors.domain.runs import CollectorResult
from cloudconnectors.domain.validation import rule_for
from cloudconnectors.providers.organizations import Member, MemberDiscovery


class ProviderCredentials(BaseModel):
    """Base of each provider's credential model: strict, unknown fields refused."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    # The key of ``public_view()`` naming the account, project or subscription read.
    account_field: ClassVar[str]

    def public_view(self) -> dict[str, Any]:
        """The non-secret parts that the API may return and the portal may show."""
        raise NotImplementedError

    def secret_material(self) -> dict[str, Any]:
        """Everything needed to authenticate, for encryption at rest."""
        return self.model_dump(mode="json")

    def issued_external_id(self) -> str | None:
        """An identifier the platform issued and the connector must claim (AWS External ID)."""
        return None


def parse_credentials(
    model: type[ProviderCredentials],
    raw: object,
    settings: Settings,
    prefix: str = "credentials",
    *,
    stored: bool = False,
) -> ProviderCredentials:
    """Validate ``raw`` into ``model``, turning pydantic errors into field-named problems.

    ``stored`` says ``raw`` was decrypted from storage, validated in full when it was
    entered: a model may then skip checks that only cost CPU (the validation context's
    ``"stored"`` key; the GCP key's RSA consistency proof).

    Error messages never echo the submitted values, so a secret cannot leak through them.
    """
    if not isinstance(raw, dict):
        raise ValidationFailed.single(prefix, "must be an object")
    try:
        return model.model_validate(raw, context={"settings": settings, "stored": stored})
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_input=False, include_url=False):
            path = ".".join(str(p) for p in (prefix, *err["loc"]))
            problems.append(FieldProblem(path, rule_for(err)))
        raise ValidationFailed(problems) from None


# Resource type -> the detail keys the rules read on its records.
Needs = Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class PollContext:
    """Who a poll is for; passed to every provider call that needs it."""

    settings: Settings
    tenant_id: str
    connector_id: str
    # The connector's include/exclude lists of accounts it reads (GCP projects); None: all.
    scope: dict[str, list[str]] | None = None
    # Set when the connector is a member of an organization connector: that connector's name
    # and its options (the member role name), so a refusal can say which deployment fixes it.
    organization: str | None = None
    organization_options: Mapping[str, Any] | None = None
    # What the rules can read: resource type -> the detail keys read on it. A provider that
    # can narrow its reads to this skips every other listing and detail call; None: read
    # everything it knows (the full inventory).
    needs: Needs | None = None


class CollectionSink(Protocol):
    """Where a session streams what it reads; storage and progress displays implement it."""

    def regions_discovered(self, regions: Sequence[str]) -> None: ...

    def add(self, asset: CollectedAsset) -> None: ...

    def report(self, result: CollectorResult) -> None: ...


class CloudSession(ABC):
    """An authenticated conversation with one account, project or subscription."""

    @abstractmethod
    def discover_regions(self) -> list[str]:
        """Enabled regions; raise ``AuthenticationFailed`` if even this is refused."""

    @abstractmethod
    def collect(self, regions: Sequence[str], sink: CollectionSink) -> None:
        """Read every resource type in every region, streaming into ``sink``.

        A collector that fails reports its outcome and the others go on; only a failure
        that makes the whole poll meaningless raises.
        """

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release pooled connections."""


class Access(StrEnum):
    GRANTED = "granted"
    MISSING = "missing"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class DiagnosticItem:
    """One line of the setup checklist, with the exact fix when something is missing."""

    key: str
    title: str
    access: Access
    detail: str
    fix: str | None = None
    policy: dict[str, Any] | None = None
    denied: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ResourceTypeInfo:
    """What a provider collects, for contract tests and documentation."""

    type: str
    service: str
    scope: str  # "regional" or "global"; "project" for a type read once per GCP project


class Provider(ABC):
    key: ClassVar[ProviderName]
    display_name: ClassVar[str]
    credentials_model: ClassVar[type[ProviderCredentials]]
    # Asset types that count as a virtual machine for ``discovery == success``.
    vm_types: ClassVar[frozenset[str]]

    @abstractmethod
    def authenticate(self, credentials: ProviderCredentials, context: PollContext) -> CloudSession:
        """Open a session; raise ``AuthenticationFailed`` with a fix a person can act on."""

    @abstractmethod
    def diagnose(
        self,
        results: Sequence[CollectorResult],
        context: PollContext,
        public_credentials: dict[str, Any],
    ) -> list[DiagnosticItem]:
        """Judge each required permission group from what the last poll was denied."""

    @abstractmethod
    def resource_types(self) -> list[ResourceTypeInfo]:
        """Every asset type this provider collects."""

    def asset_types_of(self, resource_type: str) -> tuple[str, ...]:
        """Every asset type a collector reporting ``resource_type`` emits, so a scope it
        could not read covers all of them (carry-forward, MANUAL). Override when one listing
        yields several types."""
        return (resource_type,)

    def results_per_region(self, scope: str, needs: Needs | None = None,
                           settings: Settings | None = None) -> int | None:
        """How many collector results a poll reports per region of ``scope`` (``regional``,
        or ``global`` for the one account-wide pseudo-region) when it reads ``needs`` under
        ``settings``; None when unknown. Progress displays size their bars with it."""
        return None

    def discover_members(self, session: CloudSession, root: str) -> MemberDiscovery:
        """The members under ``root`` (an organization, folder or management group), read
        with the organization connector's own ``session``. Providers without organizations
        keep this default, which says so instead of pretending the root is empty."""
        raise OrganizationsNotSupported(self.display_name)

    def member_credentials(
        self, parent_credentials: ProviderCredentials, member: Member,
        options: Mapping[str, Any],
    ) -> ProviderCredentials:
        """The credentials a member's child connector polls with, derived from the
        organization connector's ``parent_credentials`` and its ``options`` (for AWS the
        member role name)."""
        raise OrganizationsNotSupported(self.display_name)


class OrganizationsNotSupported(NotImplementedError):
    """Raised by a provider that has no organization discovery."""

    def __init__(self, provider: str) -> None:
        super().__init__(f"organizations not supported for {provider}")
