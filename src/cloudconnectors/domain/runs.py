"""What a poll reports: one outcome per (region, collector), as data (STYLE habit 5)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    OK = "ok"
    PARTIAL = "partial"  # read something, but some calls failed
    DENIED = "denied"  # the cloud refused the permission
    THROTTLED = "throttled"  # retries ran out under throttling
    FAILED = "failed"  # timeout, 5xx, not implemented, unexpected answer
    SKIPPED = "skipped"  # not attempted (region disabled, API not enabled)


class RunState(StrEnum):
    QUEUED = "queued"  # claimed by the scale-out tick, waiting for a Celery worker
    RUNNING = "running"
    SUCCEEDED = "succeeded"  # everything read
    PARTIAL = "partial"  # online, with a warning listing what was skipped
    FAILED = "failed"  # nothing could be read; connector offline


class Trigger(StrEnum):
    SCHEDULE = "schedule"
    REFRESH = "refresh"
    CLI = "cli"


@dataclass(frozen=True, slots=True)
class CollectorResult:
    """The outcome of one collector in one region.

    ``permission`` names the cloud permission a denial concerns (``s3:GetBucketPolicy``),
    so diagnostics and rules can say exactly what is missing. ``account`` is the project or
    subscription the outcome belongs to (None: the connector's own account).
    """

    region: str
    service: str
    resource_type: str
    outcome: Outcome
    count: int = 0
    calls: int = 0
    reason: str | None = None
    error_code: str | None = None
    permission: str | None = None
    account: str | None = None

    @property
    def is_problem(self) -> bool:
        return self.outcome is not Outcome.OK
