"""An authenticated GCP session: the projects it reads, their regions, and collection."""

from __future__ import annotations

from collections.abc import Sequence

from cloudconnectors.domain.errors import CollectionFailed
from cloudconnectors.providers.base import CloudSession, CollectionSink
from cloudconnectors.providers.gcp.declarations import ResourceType
from cloudconnectors.providers.gcp.engine import Engine
from cloudconnectors.providers.gcp.errors import GoogleApiError
from cloudconnectors.providers.gcp.faults import classify
from cloudconnectors.providers.gcp.options import GcpOptions
from cloudconnectors.providers.gcp.projects import ProjectScope, Visible, visible_projects
from cloudconnectors.providers.gcp.resources import RESOURCES
from cloudconnectors.providers.gcp.transport import GoogleApi

__all__ = ["GcpSession"]


class GcpSession(CloudSession):
    """``discover_regions`` settles the projects (so the poll records them) and lists
    Compute regions from the first project that answers; ``collect`` reads every project."""

    def __init__(self, api: GoogleApi, home_project: str, scope: ProjectScope,
                 options: GcpOptions, resources: Sequence[ResourceType] = RESOURCES) -> None:
        self.api = api
        self.home_project = home_project
        self._scope = scope
        self._options = options
        self._resources = resources
        self._visible: Visible | None = None

    @property
    def projects(self) -> list[str]:
        return self._projects().projects

    def _projects(self) -> Visible:
        if self._visible is None:
            self._visible = visible_projects(self.api, self.home_project, self._scope)
        return self._visible

    def discover_regions(self) -> list[str]:
        visible = self._projects()
        if not visible.projects:
            raise CollectionFailed(
                f"no project is left to read: the connector's include/exclude lists rule out "
                f"every project the key can see (the key's own project is "
                f"{self.home_project}). Edit the lists, then press Refresh.")
        last: GoogleApiError | None = None
        for project in visible.projects:
            try:
                regions: set[str] = set()
                for page in self.api.pages("compute", f"compute/v1/projects/{project}/regions",
                                           page_size_param="maxResults"):
                    regions.update(str(r["name"]) for r in page.get("items") or []
                                   if isinstance(r, dict) and r.get("name")
                                   and r.get("status", "UP") == "UP")
                return sorted(regions)
            except GoogleApiError as exc:
                last = exc
        # No project lets us list regions (Compute disabled or refused everywhere): the
        # poll still reads every other API; the per-type results say what is missing.
        if last is not None and last.status >= 500:
            fault = classify(last, project=visible.projects[0],
                             service="compute.googleapis.com", permission="compute.regions.list")
            raise CollectionFailed(f"listing Compute Engine regions failed: {fault.reason}")
        return []

    def collect(self, regions: Sequence[str], sink: CollectionSink) -> None:
        visible = self._projects()
        if visible.problem is not None:
            sink.report(visible.problem)
        Engine(self.api, self._resources, self._options).run(visible.projects, sink)

    def close(self) -> None:
        self.api.close()
