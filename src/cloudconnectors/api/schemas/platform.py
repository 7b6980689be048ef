"""``GET /api/v1/platform``: the platform's AWS account and what each cloud needs."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class AwsSetupOut(BaseModel):
    available: bool = Field(
        description="False when the platform has no AWS identity of its own: no External ID "
        "can be issued until it has one (see unavailable_reason).")
    unavailable_reason: str | None = Field(description="Why, and how to fix it.")
    platform_account_id: str | None
    managed_policies: list[str] = Field(description="AWS-managed policies to attach to the role.")
    required_actions: list[str] = Field(description="Actions needed beyond SecurityAudit.")
    custom_policy_services: list[str]
    custom_policy: dict[str, Any] = Field(
        description="The custom read-only policy, to paste (generated from what is collected)."
    )
    eks_policy: dict[str, Any] = Field(description="The EKS Fargate read policy, to paste.")
    trust_policy: dict[str, Any] | None = Field(
        description="The role's trust policy; replace <external_id> with the issued one "
        "(null while the platform's account is unknown)."
    )
    cloudformation_template: dict[str, Any] | None = Field(
        description="A CloudFormation stack creating the role (parameter ExternalId; null "
        "while the platform's account is unknown)."
    )
    artifacts: list[str] = Field(
        description="Download paths of the setup files (fill in the issued External ID)."
    )
    steps: list[str]


class GcpRoleOut(BaseModel):
    role: str
    title: str
    permissions: list[str] = Field(description="What the collectors need from this role.")


class GcpApiOut(BaseModel):
    service: str
    title: str
    required: bool


class GcpSetupOut(BaseModel):
    roles: list[GcpRoleOut]
    apis: list[GcpApiOut] = Field(description="APIs to enable in every onboarded project.")
    optional_apis: list[GcpApiOut] = Field(
        description="Read by the CIS benchmark; without them those checks answer MANUAL.")
    gcloud: list[str] = Field(
        description="Commands preparing a project (replace <PROJECT_ID>).")
    terraform: str = Field(description="The same as a Terraform snippet.")
    steps: list[str]


class AzureGraphPermissionOut(BaseModel):
    permission: str
    reads: str = Field(description="What the connector reads with it.")
    optional: bool


class AzureCommandsOut(BaseModel):
    reader: str = Field(description="az command assigning Reader (full posture).")
    inventory_only: list[str] = Field(
        description="az commands creating and assigning the six-action inventory role.")
    graph: list[str] = Field(description="az commands adding the Graph permissions and "
                                         "granting admin consent.")


class AzureSetupOut(BaseModel):
    role: str
    reader_role_id: str
    minimal_permissions: list[str] = Field(description="Enough for inventory alone.")
    graph_permissions: list[AzureGraphPermissionOut] = Field(
        description="Optional Microsoft Graph application permissions (identity controls).")
    steps: list[str]
    commands: AzureCommandsOut
    custom_role: dict[str, Any] = Field(description="The inventory-only role definition.")
    bicep: str = Field(description="A Bicep file assigning Reader on the subscription.")


class PlatformOut(BaseModel):
    platform_account_id: str | None = Field(
        description="The AWS account your role must trust (null: see aws.unavailable_reason).")
    aws: AwsSetupOut
    gcp: GcpSetupOut
    azure: AzureSetupOut
