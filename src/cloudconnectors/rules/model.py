"""What a rule is and what it answers.

Two shapes of rule share one set of metadata:

- ``ResourceRule`` looks at one asset's ``data`` at a time. The engine indexes these by
  resource type, so a million assets cost one dict lookup each plus the predicates that apply.
- ``AccountRule`` sees a typed view of the whole snapshot (assets indexed by type) for checks
  such as "a multi-region trail exists"; it answers for the synthetic account resource or for
  individual assets it names.

Predicates return a ``Verdict`` (status, reason). The passing verdicts are shared constants, so
the common case allocates nothing but the result row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from cloudconnectors.rules.snapshot import SnapshotView


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    MANUAL = "manual"  # the data to decide is missing or was denied: a person must look
    NOT_APPLICABLE = "not_applicable"


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFORMATIONAL = "informational"


Verdict = tuple[Status, str]
Data = dict[str, Any]

#: Where a collector records refused detail calls: ``{"Policy": "AccessDenied"}``.
ERRORS_KEY = "_cc_errors"


@dataclass(frozen=True, slots=True)
class Context:
    """What a predicate may know besides the record: the time the inventory was taken, so
    "unused for 45 days" means the same thing every time the snapshot is re-evaluated."""

    now: datetime


ResourceCheck = Callable[[Data, Context], Verdict]

#: The account-level resource a rule answers for when no single asset is to blame.
ACCOUNT_KEY = "account"
ACCOUNT_TYPE = "Account"


class InventoryItem(NamedTuple):
    """One stored asset as the engine reads it (a row of ``assets`` without the ORM).

    ``account`` is the project or subscription it lives in (None: the connector's own), so a
    report can name the project a result concerns.
    """

    key: str
    type: str
    region: str
    native_id: str
    name: str | None
    data: Data
    account: str | None = None
    # Carried forward from an earlier poll (its scope was not read this time): never judged.
    stale: bool = False


class AccountVerdict(NamedTuple):
    """An account rule's answer; ``item`` None means the account itself."""

    item: InventoryItem | None
    status: Status
    reason: str


AccountCheck = Callable[["SnapshotView"], Iterable[AccountVerdict]]


class Need(NamedTuple):
    """A detail key of ``data`` a predicate reads, and the permission of the call filling it."""

    key: str
    permission: str


class RuleResult(NamedTuple):
    """One rule's answer for one resource. A tuple, because a run makes millions of them."""

    rule_id: str
    resource_key: str
    resource_type: str
    region: str
    resource_id: str
    resource_name: str | None
    status: Status
    reason: str
    # For a MANUAL answer over carried-forward data: what the rule said of the data as it was
    # last read (PASS/FAIL), kept for the score and the history, never shown as the status.
    carried: Status | None = None
    # The project or subscription the answer is about (None: the connector as a whole), so a
    # report can be read per project and its counts add up to the connector's.
    account: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleInfo:
    """Metadata every rule carries; meta tests check that none of it is empty."""

    id: str
    title: str
    severity: Severity
    rationale: str
    remediation: str
    provider: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceRule(RuleInfo):
    """``needs`` lists the detail keys of ``data`` the predicate reads (``Policy``,
    ``CredentialReport``): when one is absent or was denied, the engine answers MANUAL naming
    the permission, so the predicate only ever sees the data it asked for."""

    resource_type: str
    check: ResourceCheck
    needs: tuple[Need, ...] = ()

    @property
    def resource_types(self) -> tuple[str, ...]:
        return (self.resource_type,)


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountRule(RuleInfo):
    """``resource_types`` are the types the check reads; a listing denial for any of them
    makes the whole answer MANUAL."""

    resource_types: tuple[str, ...]
    check: AccountCheck


Rule = ResourceRule | AccountRule


def unreadable_reason(data: Data, type_: str, key: str, permission: str,
                      denied: frozenset[tuple[str, str]] = frozenset()) -> str | None:
    """Why detail ``key`` of a record cannot be judged (refused, denied, not collected), or
    None when it is there. The one wording for every rule, built-in, account-level or custom."""
    errors = data.get(ERRORS_KEY)
    if isinstance(errors, dict) and key in errors:
        return f"the poll was refused {permission} ({errors[key]}), so {key} could not be read"
    if key in data:
        return None
    if (type_, permission) in denied:
        return f"the poll was denied {permission}, so {key} could not be read"
    return f"{key} was not collected (needs {permission})"

PASS: Verdict = (Status.PASS, "")
NOT_APPLICABLE: Verdict = (Status.NOT_APPLICABLE, "")


def passed(reason: str = "") -> Verdict:
    return (Status.PASS, reason)


def failed(reason: str) -> Verdict:
    return (Status.FAIL, reason)


def manual(reason: str) -> Verdict:
    return (Status.MANUAL, reason)


def not_applicable(reason: str) -> Verdict:
    return (Status.NOT_APPLICABLE, reason)
