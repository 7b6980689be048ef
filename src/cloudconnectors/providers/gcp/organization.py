"""GCP organizations: walk an organization or a folder, and name how each project is entered.

The walk is breadth-first over Resource Manager v3, one level per call, exactly as Google
documents it: ``GET v3/folders?parent=<container>`` (needs ``resourcemanager.folders.list`` on
the container) and ``GET v3/projects?parent=<container>&showDeleted=true`` (needs
``resourcemanager.projects.list``), both paged with ``pageToken``. Projects pending deletion
(``DELETE_REQUESTED``) are members that are not active; their labels are the member's tags.

A container the service account cannot list is a problem on the discovery, naming the
container, the permission Google refused and the role binding that fixes it, and the
discovery is incomplete, so the core never takes the shorter list for the whole tree. Only
when the root itself cannot be listed at all does the organization connector go offline.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cloudconnectors.domain.errors import AuthenticationFailed, CollectionFailed
from cloudconnectors.domain.runs import Outcome
from cloudconnectors.providers.gcp.credentials import GcpCredentials
from cloudconnectors.providers.gcp.faults import classify
from cloudconnectors.providers.gcp.transport import GoogleApi
from cloudconnectors.providers.organizations import Member, MemberDiscovery

__all__ = ["DISCOVERY_ROLE", "ROOT_PATTERN", "binding_command", "discover", "member_credentials"]

ROOT_PATTERN = re.compile(r"^(organizations|folders)/[0-9]{1,32}$")
#: The predefined role holding both list permissions (and projects.get), bound at the root.
DISCOVERY_ROLE = "roles/browser"
FOLDERS_LIST = "resourcemanager.folders.list"
PROJECTS_LIST = "resourcemanager.projects.list"
CRM = "cloudresourcemanager.googleapis.com"
# A guard against a tree that loops (Google's never does; a broken stand-in might).
MAX_CONTAINERS = 20_000


def binding_command(container: str, email: str, role: str = DISCOVERY_ROLE) -> str:
    """The ``gcloud`` command binding ``role`` to the service account at ``container``."""
    kind, _, number = container.partition("/")
    noun = "organizations" if kind == "organizations" else "resource-manager folders"
    return (f"gcloud {noun} add-iam-policy-binding {number} "
            f"--member=serviceAccount:{email} --role={role}")


@dataclass
class _Walk:
    api: GoogleApi
    email: str
    home: str
    members: list[Member]
    problems: list[str]
    refused_at_root: int = 0

    def pages(self, kind: str, container: str) -> list[dict[str, Any]]:
        params = {"parent": container, **({"showDeleted": "true"} if kind == "projects" else {})}
        found: list[dict[str, Any]] = []
        for page in self.api.pages("cloudresourcemanager", f"v3/{kind}", params=params):
            found.extend(r for r in page.get(kind) or [] if isinstance(r, dict))
        return found

    def problem(self, exc: Exception, container: str, permission: str, root: str) -> None:
        fault = classify(exc, project=self.home, service=CRM, permission=permission)
        if fault.outcome is Outcome.DENIED and container == root:
            self.refused_at_root += 1
        if fault.outcome is Outcome.DENIED:
            needed = fault.permission or permission
            self.problems.append(
                f"{container}: listing its {_noun(permission)} was refused ({needed} is not "
                f"granted to {self.email} there), so the projects under it are not known. "
                f"Fix: bind {DISCOVERY_ROLE} (or any role with {FOLDERS_LIST} and "
                f"{PROJECTS_LIST}) to the service account at {container}: "
                f"`{binding_command(container, self.email)}`, then press Refresh.")
        elif fault.outcome is Outcome.SKIPPED:
            self.problems.append(f"{container}: {fault.reason}")
        else:
            self.problems.append(f"{container}: listing its {_noun(permission)} failed "
                                 f"({fault.reason}); press Refresh to try again.")


def _noun(permission: str) -> str:
    return "folders" if permission == FOLDERS_LIST else "projects"


def discover(api: GoogleApi, root: str, *, email: str, home: str) -> MemberDiscovery:
    """Every project under ``root`` (``organizations/N`` or ``folders/N``) with its container
    path from the root down (root included) and its labels."""
    if not ROOT_PATTERN.fullmatch(root or ""):
        raise CollectionFailed(
            f"the organization root {root!r} is not a GCP organization or folder: give "
            "organizations/<number> or folders/<number> (gcloud organizations list, gcloud "
            "resource-manager folders list) and save the connector again.")
    walk = _Walk(api, email, home, [], [])
    queue: deque[tuple[str, tuple[str, ...]]] = deque([(root, ())])
    seen = {root}
    while queue:
        container, above = queue.popleft()
        path = (*above, container)
        try:
            for folder in walk.pages("folders", container):
                name = str(folder.get("name") or "")
                if (ROOT_PATTERN.fullmatch(name) and name not in seen
                        and folder.get("state", "ACTIVE") == "ACTIVE"
                        and len(seen) < MAX_CONTAINERS):
                    seen.add(name)
                    queue.append((name, path))
        except Exception as exc:
            walk.problem(exc, container, FOLDERS_LIST, root)
        try:
            for project in walk.pages("projects", container):
                member = _member(project, path)
                if member is not None:
                    walk.members.append(member)
        except Exception as exc:
            walk.problem(exc, container, PROJECTS_LIST, root)
    if walk.refused_at_root == 2:  # neither list was allowed at the root: nothing is known
        raise AuthenticationFailed(
            f"the service account {email} may not list {root} ({FOLDERS_LIST} and "
            f"{PROJECTS_LIST} were refused). Bind {DISCOVERY_ROLE} to it at {root}: "
            f"`{binding_command(root, email)}`, and roles/viewer and "
            f"roles/iam.securityReviewer there for the member polls, then press Refresh.")
    return MemberDiscovery(tuple(walk.members), complete=not walk.problems,
                           problems=tuple(walk.problems))


def _member(record: Mapping[str, Any], path: tuple[str, ...]) -> Member | None:
    project_id = record.get("projectId")
    if not isinstance(project_id, str) or not project_id:
        return None
    labels = record.get("labels")
    tags = ({str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {})
    return Member(account=project_id, name=str(record.get("displayName") or project_id),
                  path=path, tags=tags, active=record.get("state", "ACTIVE") == "ACTIVE")


def member_credentials(parent: GcpCredentials, member: Member) -> GcpCredentials:
    """The organization's own key, pinned to the member project (and the container holding
    it, so a refusal can name the binding that fixes it)."""
    return parent.model_copy(update={"project": member.account,
                                     "container": member.path[-1] if member.path else None})
