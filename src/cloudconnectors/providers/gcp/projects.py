"""Which projects a poll reads: the key's own project plus every project the service
account can see (Resource Manager v3 ``projects:search``), narrowed by the connector's
include/exclude lists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cloudconnectors.domain.errors import FieldProblem, ValidationFailed
from cloudconnectors.domain.runs import CollectorResult, Outcome
from cloudconnectors.providers.collecting import Tally
from cloudconnectors.providers.gcp.credentials import PROJECT_ID_PATTERN
from cloudconnectors.providers.gcp.faults import classify
from cloudconnectors.providers.gcp.transport import GoogleApi

__all__ = ["PROJECT_LIST_TYPE", "ProjectScope", "Visible", "validate_scope", "visible_projects"]

MAX_LISTED = 1000

PROJECT_LIST_TYPE = "cloudresourcemanager.googleapis.com/Project"


@dataclass(frozen=True)
class ProjectScope:
    """``include`` empty: every visible project; ``exclude`` always wins."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def admits(self, project: str) -> bool:
        if project in self.exclude:
            return False
        return not self.include or project in self.include

    @classmethod
    def of(cls, raw: Mapping[str, Sequence[str]] | None) -> ProjectScope:
        if not raw:
            return cls()
        return cls(tuple(raw.get("include") or ()), tuple(raw.get("exclude") or ()))


def validate_scope(raw: object, field: str = "projects") -> dict[str, list[str]] | None:
    """The stored form of a connector's project lists; every broken rule named by field.

    ``{"include": [...], "exclude": [...]}``, both optional, each at most 1,000 project IDs;
    ``None`` or two empty lists mean "every visible project"."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ValidationFailed.single(field, 'must be an object {"include": [...], '
                                      '"exclude": [...]}')
    problems = [FieldProblem(f"{field}.{key}", "is not a known key (use include, exclude)")
                for key in raw if key not in ("include", "exclude")]
    stored: dict[str, list[str]] = {}
    for key in ("include", "exclude"):
        values = raw.get(key) or []
        if not isinstance(values, list):
            problems.append(FieldProblem(f"{field}.{key}", "must be a list of project IDs"))
            continue
        if len(values) > MAX_LISTED:
            problems.append(FieldProblem(f"{field}.{key}", f"at most {MAX_LISTED} project IDs"))
            continue
        for index, value in enumerate(values):
            if not isinstance(value, str) or not PROJECT_ID_PATTERN.match(value):
                problems.append(FieldProblem(
                    f"{field}.{key}[{index}]",
                    "must be a GCP project ID: 6-30 lowercase letters, digits, hyphens"))
        stored[key] = sorted({v for v in values if isinstance(v, str)})
    if problems:
        raise ValidationFailed(problems)
    return stored if stored.get("include") or stored.get("exclude") else None


@dataclass(frozen=True)
class Visible:
    projects: list[str]
    # Set when the listing itself failed (the poll then reads the key's project only).
    problem: CollectorResult | None = None


def visible_projects(api: GoogleApi, home: str, scope: ProjectScope) -> Visible:
    tally = Tally()
    found: list[str] = [home]
    problem = None
    try:
        with api.meter.counting(tally):
            for page in api.pages("cloudresourcemanager", "v3/projects:search",
                                  params={"query": "state:ACTIVE"}):
                for record in page.get("projects") or []:
                    project_id = record.get("projectId")
                    if (isinstance(project_id, str) and record.get("state", "ACTIVE") == "ACTIVE"
                            and project_id not in found):
                        found.append(project_id)
    except Exception as exc:
        fault = classify(exc, project=home, service="cloudresourcemanager.googleapis.com",
                         permission="resourcemanager.projects.get")
        problem = CollectorResult(
            "global", "cloudresourcemanager", PROJECT_LIST_TYPE,
            Outcome.FAILED if fault.outcome is Outcome.SKIPPED else fault.outcome,
            calls=tally.calls, error_code=fault.code, permission=fault.permission,
            account=home, reason=f"listing the projects the key can see failed, so only "
            f"{home} was read: {fault.reason}")
    ordered = [home, *sorted(p for p in found if p != home)]
    return Visible([p for p in ordered if scope.admits(p)], problem)
