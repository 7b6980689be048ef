"""An organization connector's settings, its member filters and the roll-up of its members.

Pure rules, shared by every cloud: a provider lists the members under the root; which of them
become child connectors is decided here, from the member's account, its container path (AWS
root and OU IDs, GCP organization and folder names, Azure management groups) and its tags.
Exclude always wins; an empty include list takes every member.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cloudconnectors.domain.errors import FieldProblem, ValidationFailed
from cloudconnectors.domain.states import Status

__all__ = [
    "FILTER_KEYS",
    "MemberFilter",
    "OrganizationSettings",
    "Rollup",
    "parse_organization",
]

KIND_ACCOUNT = "account"
KIND_ORGANIZATION = "organization"
FILTER_KEYS = ("accounts", "paths", "tags")
_MAX_ITEMS = 1000
_MAX_TEXT = 256
_ROLE_NAME = re.compile(r"[\w+=,.@/-]{1,512}", re.ASCII)
GONE_LEFT = "no longer in the organization"
GONE_EXCLUDED = "excluded by the organization's filters"


@dataclass(frozen=True)
class MemberFilter:
    """Member IDs, container IDs (a member matches one anywhere on its path) and tags
    (``key`` for any value, ``key=value`` for that value)."""

    accounts: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.accounts or self.paths or self.tags)

    def matches(self, account: str, path: Sequence[str], tags: Mapping[str, str]) -> bool:
        if account in self.accounts or any(p in self.paths for p in path):
            return True
        for wanted in self.tags:
            key, has_value, value = wanted.partition("=")
            if key in tags and (not has_value or tags[key] == value):
                return True
        return False

    def to_json(self) -> dict[str, list[str]]:
        return {"accounts": list(self.accounts), "paths": list(self.paths),
                "tags": list(self.tags)}


@dataclass(frozen=True)
class OrganizationSettings:
    """What an organization connector walks and how it enters each member."""

    root: str = ""  # "" is the whole organization
    member_role_name: str | None = None  # AWS: the role deployed in every member account
    include: MemberFilter = field(default_factory=MemberFilter)
    exclude: MemberFilter = field(default_factory=MemberFilter)

    def selects(self, account: str, path: Sequence[str], tags: Mapping[str, str]) -> bool:
        if self.exclude.matches(account, path, tags):
            return False
        return self.include.empty or self.include.matches(account, path, tags)

    def to_json(self) -> dict[str, Any]:
        return {"root": self.root, "member_role_name": self.member_role_name,
                "include": self.include.to_json(), "exclude": self.exclude.to_json()}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any] | None) -> OrganizationSettings:
        raw = raw or {}

        def members(part: Any) -> MemberFilter:
            part = part or {}
            return MemberFilter(*(tuple(str(v) for v in part.get(k) or ()) for k in FILTER_KEYS))

        return cls(str(raw.get("root") or ""), raw.get("member_role_name") or None,
                   members(raw.get("include")), members(raw.get("exclude")))


def _strings(value: Any, path: str, problems: list[FieldProblem]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(FieldProblem(path, "must be a list of strings"))
        return ()
    if len(value) > _MAX_ITEMS:
        problems.append(FieldProblem(path, f"must have at most {_MAX_ITEMS} items"))
        return ()
    found: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            problems.append(FieldProblem(f"{path}.{i}", "must be a non-empty string"))
        elif len(item) > _MAX_TEXT or not item.isprintable():
            problems.append(FieldProblem(f"{path}.{i}", f"must be at most {_MAX_TEXT} "
                                         "printable characters"))
        else:
            found.append(item.strip())
    return tuple(dict.fromkeys(found))


def _filter(value: Any, path: str, problems: list[FieldProblem]) -> MemberFilter:
    if value is None:
        return MemberFilter()
    if not isinstance(value, dict):
        problems.append(FieldProblem(path, "must be an object with accounts, paths, tags"))
        return MemberFilter()
    for key in value:
        if key not in FILTER_KEYS:
            problems.append(FieldProblem(f"{path}.{key}", "is not a known field (accounts, "
                                         "paths, tags)"))
    return MemberFilter(*(_strings(value.get(k), f"{path}.{k}", problems) for k in FILTER_KEYS))


def parse_organization(raw: Any, *, needs_role: bool,
                       prefix: str = "organization") -> OrganizationSettings:
    """Validate an organization connector's settings, naming every broken field."""
    if not isinstance(raw, dict):
        raise ValidationFailed.single(prefix, "must be an object")
    problems: list[FieldProblem] = []
    for key in raw:
        if key not in {"root", "member_role_name", "include", "exclude"}:
            problems.append(FieldProblem(f"{prefix}.{key}", "is not a known field (root, "
                                         "member_role_name, include, exclude)"))
    root = raw.get("root") or ""
    if not isinstance(root, str) or len(root) > _MAX_TEXT or not root.isprintable():
        problems.append(FieldProblem(f"{prefix}.root", "must be a root, OU, folder or "
                                     "management group ID (or empty for the whole organization)"))
        root = ""
    role = raw.get("member_role_name")
    if role is not None and (not isinstance(role, str) or not _ROLE_NAME.fullmatch(role)):
        problems.append(FieldProblem(f"{prefix}.member_role_name", "must be an IAM role name "
                                     "(letters, digits and +=,.@_-/), e.g. CloudConnectorsMember"))
        role = None
    if role is not None and not needs_role:
        problems.append(FieldProblem(f"{prefix}.member_role_name", "applies to AWS only"))
    include = _filter(raw.get("include"), f"{prefix}.include", problems)
    exclude = _filter(raw.get("exclude"), f"{prefix}.exclude", problems)
    if problems:
        raise ValidationFailed(problems)
    return OrganizationSettings(root.strip(), role, include, exclude)


@dataclass(frozen=True)
class Rollup:
    """How an organization's members stand; gone members are counted apart."""

    total: int = 0
    online: int = 0
    offline: int = 0
    pending: int = 0
    refreshing: int = 0
    gone: int = 0

    @classmethod
    def of(cls, statuses: Mapping[str, int], gone: int) -> Rollup:
        counts = {s.value: int(statuses.get(s.value, 0)) for s in Status}
        return cls(total=sum(counts.values()), gone=gone, **counts)

    @property
    def summary(self) -> str:
        """"41 of 43 members online" (and what the others are)."""
        text = f"{self.online} of {self.total} members online"
        rest = [f"{n} {name}" for name, n in (("offline", self.offline),
                                              ("pending", self.pending),
                                              ("refreshing", self.refreshing),
                                              ("gone", self.gone)) if n]
        return f"{text} ({', '.join(rest)})" if rest else text
