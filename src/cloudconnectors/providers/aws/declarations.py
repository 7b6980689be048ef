"""What a resource type *is*, as data: the engine (``engine.py``) does everything else.

A declaration names the CloudFormation type, the boto3 client, the list operation and where
the items and their ids are in each page (JMESPath). Per-item reads (bucket policy, key
rotation, trail status) are :class:`Detail` entries. Odd shapes (a parent/child listing, a
report to generate first) supply a small ``fetch`` function that reads only through the
:class:`Reader` it is given, so counting, throttling and error handling stay in the engine
and the operations it may call are declared up front (they build the IAM policy).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from cloudconnectors.providers.aws.permissions import iam_action

__all__ = ["Detail", "Group", "Reader", "ResourceType", "Scope", "tag"]

Item = dict[str, Any]


class Scope(StrEnum):
    REGIONAL = "regional"
    GLOBAL = "global"  # read once from the home region; assets get region ``global``


class Group(StrEnum):
    """The permission group (DESIGN section 2) that grants a type's reads."""

    SECURITY_AUDIT = "security_audit"
    EKS_FARGATE = "eks_fargate"
    CUSTOM = "custom"


class Reader(Protocol):
    """The engine's I/O seam as a ``fetch`` function sees it."""

    account_id: str

    def call(self, operation: str, **params: Any) -> dict[str, Any]: ...

    def pages(self, operation: str, **params: Any) -> Iterator[dict[str, Any]]: ...


@dataclass(frozen=True)
class Detail:
    """One per-item read merged into the asset's data under ``key``.

    ``absent`` error codes mean "not configured" (no bucket policy): the key is stored as
    ``None`` and nothing is reported. A refused or failed read is stored under
    ``data["_cc_errors"][key]`` so rules can answer MANUAL instead of guessing.
    """

    key: str
    operation: str
    params: Callable[[Mapping[str, Any]], dict[str, Any]]
    result: str | None = None  # JMESPath into the answer; None keeps it whole
    transform: Callable[[Any], Any] | None = None
    absent: frozenset[str] = frozenset()
    # The boto3 client that answers it when not the type's own: a trail's bucket logging is
    # an S3 call, made once per trail instead of once per bucket. Called in the home region.
    service: str | None = None
    # Read only for items this accepts (the item as listed, earlier details merged in);
    # an item it refuses gets ``None`` under ``key``, like an absent configuration.
    when: Callable[[Mapping[str, Any]], bool] | None = None


@dataclass(frozen=True)
class ResourceType:
    type: str  # AWS CloudFormation resource type name
    service: str  # boto3 client name
    operation: str  # list operation (API name); ignored when ``fetch`` is given
    items: str  # JMESPath from one page to its items
    id: str | None  # JMESPath from an item to its native id; None: the account id
    name: str | None = None
    scope: Scope = Scope.REGIONAL
    params: Mapping[str, Any] = field(default_factory=dict)
    details: tuple[Detail, ...] = ()
    enrich: Callable[[Item], Item] | None = None
    fetch: Callable[[Reader], Iterable[Item]] | None = None
    # When a page lists bare names/ids, each becomes ``{wrap: value}`` before details run.
    wrap: str | None = None
    # When one list call returns several kinds (Directory Service), pick each item's type;
    # ``variants`` names every type it can return, for docs and contract tests.
    type_of: Callable[[Item], str] | None = None
    variants: tuple[str, ...] = ()
    # Operations ``fetch`` calls, in addition to ``operation``.
    calls: tuple[str, ...] = ()
    # List-call error codes that mean "nothing configured": emit ``absent_item`` (or nothing).
    absent: frozenset[str] = frozenset()
    absent_item: Mapping[str, Any] | None = None
    group: Group = Group.SECURITY_AUDIT
    # True for account-level records that have no CloudFormation type; they are named in
    # the same ``AWS::Service::Thing`` pattern (as AWS Config does) and listed in docs.
    pseudo: bool = False

    def types(self) -> tuple[str, ...]:
        return (self.type, *self.variants)

    def operations(self) -> tuple[str, ...]:
        """Every API operation this type may call on its own service, list first."""
        ops = [self.operation, *self.calls,
               *(d.operation for d in self.details if d.service is None)]
        return tuple(dict.fromkeys(ops))

    def foreign_calls(self) -> tuple[tuple[str, str], ...]:
        """(service, operation) of the details another service answers."""
        return tuple(dict.fromkeys((d.service, d.operation) for d in self.details
                                   if d.service is not None))

    def actions(self) -> tuple[str, ...]:
        """The IAM actions every call of this type needs."""
        own = (iam_action(self.service, op) for op in self.operations())
        other = (iam_action(service, op) for service, op in self.foreign_calls())
        return tuple(dict.fromkeys((*own, *other)))


def tag(key: str) -> str:
    """JMESPath for an EC2-style ``Tags`` list value, e.g. the ``Name`` tag."""
    return f"Tags[?Key=='{key}'].Value | [0]"
