"""The permissions the collectors need, grouped by the predefined role that grants them.

Derived from the declarations, so a new type's permission joins the check by itself. The
poll asks ``testIamPermissions`` about all of them once per project (at most 100 per call).
"""

from __future__ import annotations

from collections.abc import Sequence

from cloudconnectors.providers.gcp.declarations import ResourceType, Role

__all__ = ["ROLE_TITLES", "binding_command", "permissions_by_role", "role_of"]

ROLE_TITLES = {Role.VIEWER: "Viewer", Role.SECURITY_REVIEWER: "Security Reviewer"}
#: Needed by the poll itself, before any resource type.
PREFLIGHT = (("serviceusage.services.get", Role.VIEWER),
             ("resourcemanager.projects.get", Role.VIEWER))


def permissions_by_role(resources: Sequence[ResourceType]) -> dict[Role, tuple[str, ...]]:
    found: dict[Role, dict[str, None]] = {role: {} for role in Role}
    for permission, role in PREFLIGHT:
        found[role][permission] = None
    for resource in resources:
        for permission, role in resource.permissions():
            found[role].setdefault(permission, None)
    return {role: tuple(sorted(names)) for role, names in found.items()}


def role_of(permission: str, resources: Sequence[ResourceType]) -> Role:
    for role, names in permissions_by_role(resources).items():
        if permission in names:
            return role
    return Role.VIEWER


def binding_command(project: str, email: str, role: Role) -> str:
    return (f"gcloud projects add-iam-policy-binding {project} "
            f"--member=serviceAccount:{email} --role={role.value}")
