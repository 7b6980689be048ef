"""/api/v1/rules: built-in rule metadata, and the tenant's custom rules.

Uploading or deleting custom rules re-evaluates the tenant's connectors right after the
answer is sent (a background task), so reports show the change without waiting for a poll.
"""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Response, status

from cloudconnectors.api.deps import AdminDep, ContextDep, PrincipalDep
from cloudconnectors.api.schemas.common import ErrorOut
from cloudconnectors.api.schemas.custom_rules import (
    CustomRuleList,
    CustomRuleOut,
    CustomRulesUpload,
    CustomRulesUploaded,
    RuleList,
    RuleOut,
)
from cloudconnectors.domain.connector import ProviderName
from cloudconnectors.services import compliance
from cloudconnectors.services import reports as service

router = APIRouter(
    prefix="/rules",
    tags=["rules"],
    responses={401: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)


@router.get("", response_model=RuleList)
def list_rules(principal: PrincipalDep, provider: ProviderName | None = None) -> RuleList:
    """Built-in rules with their metadata and the framework controls citing them."""
    providers = [provider.value] if provider else [p.value for p in ProviderName]
    return RuleList(items=[RuleOut.model_validate(r) for p in providers
                           for r in compliance.rule_catalog(p)])


@router.get("/custom", response_model=CustomRuleList)
def list_custom_rules(ctx: ContextDep, principal: PrincipalDep) -> CustomRuleList:
    found = service.list_custom_rules(ctx.db, principal.tenant_id)
    return CustomRuleList(items=[CustomRuleOut.of(s) for s in found])


@router.post("/custom", response_model=CustomRulesUploaded, responses={403: {"model": ErrorOut}})
def upload_custom_rules(body: CustomRulesUpload, ctx: ContextDep, principal: AdminDep,
                        background: BackgroundTasks) -> CustomRulesUploaded:
    """Add or replace (by id) rules; 422 names each bad rule and field and stores nothing."""
    stored = service.upload_custom_rules(ctx.db, principal.tenant_id, body.content, body.format)
    background.add_task(compliance.reevaluate_tenant, ctx.db, principal.tenant_id)
    return CustomRulesUploaded(items=[CustomRuleOut.of(s) for s in stored],
                               reevaluating=compliance.evaluable_count(ctx.db, principal.tenant_id))


@router.delete("/custom/{rule_id}", status_code=status.HTTP_204_NO_CONTENT,
               responses={403: {"model": ErrorOut}, 404: {"model": ErrorOut}})
def delete_custom_rule(rule_id: str, ctx: ContextDep, principal: AdminDep,
                       background: BackgroundTasks) -> Response:
    service.delete_custom_rule(ctx.db, principal.tenant_id, rule_id)
    background.add_task(compliance.reevaluate_tenant, ctx.db, principal.tenant_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
