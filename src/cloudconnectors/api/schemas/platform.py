"""``GET /api/v1/platform``: the platform's AWS account and what each cloud needs."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class AwsSetupOut(BaseModel):
    platform_account_id: str
    managed_policies: list[str] = Field(description="AWS-managed policies to attach to the role.")
    required_actions: list[str] = Field(description="Actions needed beyond SecurityAudit.")
    custom_policy_services: list[str]
    custom_policy: dict[str, Any] = Field(
        description="The custom read-only policy, to paste (generated from what is collected)."
    )
    eks_policy: dict[str, Any] = Field(description="The EKS Fargate read policy, to paste.")
    trust_policy: dict[str, Any] = Field(
        description="The role's trust policy; replace <external_id> with the issued one."
    )
    cloudformation_template: dict[str, Any] = Field(
        description="A CloudFormation stack creating the role (parameter ExternalId)."
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


class AzureSetupOut(BaseModel):
    role: str
    minimal_permissions: list[str] = Field(description="Enough for inventory alone.")
    steps: list[str]


class PlatformOut(BaseModel):
    platform_account_id: str = Field(description="The AWS account your role must trust.")
    aws: AwsSetupOut
    gcp: GcpSetupOut
    azure: AzureSetupOut
