"""The per-project setup checklist, judged from what the last poll was told.

For every project the poll read: one line per API (enabled, disabled with the exact
``gcloud services enable`` command and console link, or unknown) and one per role
(Viewer, Security Reviewer: held, or missing with the exact ``gcloud projects
add-iam-policy-binding`` command and the permissions that were refused). Before the
first poll the lines are about the key's own project and say "unknown".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from cloudconnectors.domain.runs import CollectorResult, Outcome
from cloudconnectors.providers.base import Access, DiagnosticItem
from cloudconnectors.providers.gcp.apis import ALL_APIS, Api, console_url
from cloudconnectors.providers.gcp.declarations import Role
from cloudconnectors.providers.gcp.faults import SERVICE_DISABLED, enable_command
from cloudconnectors.providers.gcp.resources import RESOURCES
from cloudconnectors.providers.gcp.roles import (
    ROLE_TITLES,
    binding_command,
    permissions_by_role,
    role_of,
)

__all__ = ["diagnose"]

_TYPE_API = {r.type: r.service for r in RESOURCES}
_TYPE_API["serviceusage.googleapis.com/Service"] = "serviceusage.googleapis.com"


def diagnose(results: Sequence[CollectorResult],
             public_credentials: dict[str, Any]) -> list[DiagnosticItem]:
    email = str(public_credentials.get("client_email") or "<service-account-email>")
    home = str(public_credentials.get("project_id") or "<project-id>")
    by_project: dict[str, list[CollectorResult]] = defaultdict(list)
    for result in results:
        by_project[result.account or home].append(result)
    if not by_project:
        by_project[home] = []
    items: list[DiagnosticItem] = []
    for project in [home, *sorted(p for p in by_project if p != home)]:
        if project not in by_project:
            continue
        mine = by_project[project]
        items.extend(_api_item(project, api, mine) for api in ALL_APIS)
        items.extend(_role_item(project, email, role, mine) for role in Role)
    return items


def _api_item(project: str, api: Api, results: list[CollectorResult]) -> DiagnosticItem:
    mine = [r for r in results if _TYPE_API.get(r.resource_type) == api.service]
    disabled = any(r.error_code == SERVICE_DISABLED for r in mine)
    need = "required" if api.required else "optional (read by the CIS benchmark)"
    if disabled:
        access = Access.MISSING
    elif any(r.outcome is not Outcome.SKIPPED for r in mine):
        access = Access.GRANTED
    else:
        access = Access.UNKNOWN
    fix = None
    if access is not Access.GRANTED:
        fix = (f"{enable_command(api.service, project)} (or enable {api.title} in the "
               f"console: {console_url(api.service, project)})")
    state = {Access.MISSING: "disabled: its resources were not read",
             Access.GRANTED: "enabled",
             Access.UNKNOWN: "not checked yet"}[access]
    return DiagnosticItem(
        key=f"{project}:api:{api.service}", title=f"{api.title} in {project}", access=access,
        detail=f"{api.service}, {need}: {state}", fix=fix,
        policy={"project": project, "service": api.service, "required": api.required})


def _role_item(project: str, email: str, role: Role,
               results: list[CollectorResult]) -> DiagnosticItem:
    denied = sorted({r.permission for r in results
                     if r.permission and r.error_code != SERVICE_DISABLED
                     and r.outcome in (Outcome.DENIED, Outcome.PARTIAL)
                     and role_of(r.permission, RESOURCES) is role})
    read = any(r.outcome in (Outcome.OK, Outcome.PARTIAL) for r in results)
    access = Access.MISSING if denied else Access.GRANTED if read else Access.UNKNOWN
    title = ROLE_TITLES[role]
    detail = (f"{title} ({role.value}) for {email}: "
              + (f"refused {', '.join(denied)}" if denied else
                 "every permission the collectors need was granted" if read else
                 "not checked yet"))
    return DiagnosticItem(
        key=f"{project}:role:{role.value}", title=f"{title} role in {project}", access=access,
        detail=detail,
        fix=None if access is Access.GRANTED else binding_command(project, email, role),
        policy={"project": project, "role": role.value,
                "permissions": list(permissions_by_role(RESOURCES)[role])},
        denied=tuple(denied))
