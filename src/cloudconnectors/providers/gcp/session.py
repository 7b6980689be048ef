"""An authenticated GCP session: the projects it reads, their regions, and collection."""

from __future__ import annotations

from collections.abc import Sequence

from cloudconnectors.domain.errors import AuthenticationFailed, CollectionFailed
from cloudconnectors.domain.runs import Outcome
from cloudconnectors.providers.base import CloudSession, CollectionSink
from cloudconnectors.providers.collecting import CallMeter
from cloudconnectors.providers.gcp.declarations import ResourceType
from cloudconnectors.providers.gcp.engine import Engine
from cloudconnectors.providers.gcp.errors import GoogleApiError
from cloudconnectors.providers.gcp.faults import classify
from cloudconnectors.providers.gcp.options import GcpOptions
from cloudconnectors.providers.gcp.organization import binding_command
from cloudconnectors.providers.gcp.projects import ProjectScope, Visible, visible_projects
from cloudconnectors.providers.gcp.resources import RESOURCES
from cloudconnectors.providers.gcp.transport import GoogleApi

__all__ = ["GcpSession"]


class GcpSession(CloudSession):
    """``discover_regions`` settles the projects (so the poll records them) and lists
    Compute regions from the first project that answers; ``collect`` reads every project.

    A member of an organization connector is *pinned* to its one project: no project
    search, and a project the service account cannot enter at all stops the poll with the
    binding that fixes it (instead of a run of refusals)."""

    def __init__(self, api: GoogleApi, home_project: str, scope: ProjectScope,
                 options: GcpOptions, resources: Sequence[ResourceType] = RESOURCES, *,
                 email: str = "", pinned: bool = False, container: str | None = None) -> None:
        self.api = api
        self.home_project = home_project
        self.email = email
        self._scope = scope
        self._options = options
        self._resources = resources
        self._pinned = pinned
        self._container = container
        self._visible: Visible | None = Visible([home_project]) if pinned else None

    @property
    def meter(self) -> CallMeter:
        return self.api.meter

    @property
    def projects(self) -> list[str]:
        return self._projects().projects

    def _projects(self) -> Visible:
        if self._visible is None:
            self._visible = visible_projects(self.api, self.home_project, self._scope)
        return self._visible

    def _enter_member(self) -> None:
        """``projects.get`` on the pinned project: refused means nothing can be read."""
        project = self.home_project
        try:
            self.api.get("cloudresourcemanager", f"v3/projects/{project}")
        except GoogleApiError as exc:
            fault = classify(exc, project=project, service="cloudresourcemanager.googleapis.com",
                             permission="resourcemanager.projects.get")
            if fault.outcome is not Outcome.DENIED:
                return  # a disabled API or a blip: the per-type results say what is missing
            where = self._container or f"projects/{project}"
            commands = "; ".join(
                binding_command(where, self.email, role) if where != f"projects/{project}"
                else f"gcloud projects add-iam-policy-binding {project} "
                     f"--member=serviceAccount:{self.email} --role={role}"
                for role in ("roles/viewer", "roles/iam.securityReviewer"))
            raise AuthenticationFailed(
                f"the service account {self.email} cannot enter project {project} "
                f"({fault.reason}). Fix: bind roles/viewer and roles/iam.securityReviewer to "
                f"it at {where} (the container holding the project), or at the organization "
                f"connector's root: `{commands}`, then press Refresh on the organization."
            ) from None

    def discover_regions(self) -> list[str]:
        if self._pinned:
            self._enter_member()
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
