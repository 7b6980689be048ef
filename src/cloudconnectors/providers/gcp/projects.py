"""Which projects a poll reads: the key's own project plus every project the service
account can see (Resource Manager v3 ``projects:search``), narrowed by the connector's
include/exclude lists."""

from __future__ import annotations

from dataclasses import dataclass

from cloudconnectors.domain.runs import CollectorResult, Outcome
from cloudconnectors.providers.collecting import Tally
from cloudconnectors.providers.gcp.faults import classify
from cloudconnectors.providers.gcp.transport import GoogleApi

__all__ = ["PROJECT_LIST_TYPE", "ProjectScope", "Visible", "visible_projects"]

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
