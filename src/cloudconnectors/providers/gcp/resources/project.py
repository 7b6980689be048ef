"""Resource Manager (v3): the project itself, with its IAM policy and audit configs."""

from __future__ import annotations

from cloudconnectors.providers.gcp.declarations import Detail, ResourceType, Role, Shape

RESOURCES = (
    ResourceType(
        "cloudresourcemanager.googleapis.com/Project", "cloudresourcemanager",
        "v3/projects/{project}", "resourcemanager.projects.get", shape=Shape.SINGLE,
        id="projectId", name="projectId",
        details=(Detail("iamPolicy", "v3/projects/{project}:getIamPolicy",
                        "resourcemanager.projects.getIamPolicy", method="POST",
                        body={"options": {"requestedPolicyVersion": 3}},
                        role=Role.SECURITY_REVIEWER),),
    ),
)
