"""The shapes a report is made of; plain dataclasses so the API, CLI and exports share them."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class FindingState(StrEnum):
    OPEN = "open"
    FIXED = "fixed"
    REOPENED = "reopened"


@dataclass(frozen=True)
class FindingView:
    """One failing (rule, resource), with its history."""

    rule_id: str
    resource_key: str
    resource_type: str
    region: str
    resource_id: str
    resource_name: str | None
    severity: str
    state: FindingState
    reason: str
    first_seen: datetime
    last_seen: datetime
    fixed_at: datetime | None = None
    reopened_at: datetime | None = None
    times_reopened: int = 0
    account: str | None = None  # the project or subscription (None: the connector itself)


@dataclass(frozen=True)
class RuleCounts:
    """How one rule answered over one snapshot."""

    passed: int = 0
    failed: int = 0
    manual: int = 0
    not_applicable: int = 0
    manual_reasons: tuple[str, ...] = ()
    # Of the manual ones: results over carried-forward data, by what they said as last read.
    carried_passed: int = 0
    carried_failed: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"pass": self.passed, "fail": self.failed, "manual": self.manual,
                "not_applicable": self.not_applicable,
                "manual_reasons": list(self.manual_reasons),
                "carried_pass": self.carried_passed, "carried_fail": self.carried_failed}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> RuleCounts:
        return cls(passed=int(raw.get("pass", 0)), failed=int(raw.get("fail", 0)),
                   manual=int(raw.get("manual", 0)),
                   not_applicable=int(raw.get("not_applicable", 0)),
                   manual_reasons=tuple(raw.get("manual_reasons", ())),
                   carried_passed=int(raw.get("carried_pass", 0)),
                   carried_failed=int(raw.get("carried_fail", 0)))


@dataclass(frozen=True)
class ControlReport:
    id: str
    title: str
    section: str
    level: int | None
    status: str  # pass | fail | not_evaluated | not_applicable (automated); manual (by design)
    automated: bool
    rules: tuple[str, ...]
    passed: int
    failed: int
    manual: int
    not_applicable: int
    notes: tuple[str, ...]  # why manual: the control's reason or the rules' manual reasons
    failing: tuple[FindingView, ...] = ()


@dataclass(frozen=True)
class TrendPoint:
    evaluated_at: datetime
    score: float | None
    snapshot_id: str | None


@dataclass(frozen=True)
class Report:
    framework: dict[str, Any]
    connector_id: str
    connector_name: str
    provider: str
    evaluated_at: datetime | None
    snapshot_id: str | None
    # passed / (passed + failed) over automated results, the carried-forward ones counted by
    # what they said as last read; None if none
    score: float | None
    results: dict[str, int]
    controls_by_status: dict[str, int]
    controls: tuple[ControlReport, ...]
    fixed: tuple[FindingView, ...] = ()
    trend: tuple[TrendPoint, ...] = field(default_factory=tuple)
    account_uid: str | None = None  # AWS account, GCP project or Azure subscription
    # The project or subscription the report is filtered to (None: the whole connector), and
    # every one the connector's latest evaluation has results for (empty: a single account).
    account: str | None = None
    accounts: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (datetimes as ISO 8601 strings)."""
        converted: dict[str, Any] = _jsonable(self)
        return converted


def _jsonable(value: Any) -> Any:
    """One pass over the report: ``dataclasses.asdict`` would deep-copy every value first,
    which was most of a JSON export's time for a report with a few thousand findings."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    return value
