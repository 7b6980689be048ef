"""Rule metadata and tenant custom rules (see docs/custom-rules.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from cloudconnectors.api.schemas.common import StrictBody


class RuleOut(BaseModel):
    id: str
    provider: str
    title: str
    severity: str
    resource_types: list[str]
    rationale: str
    remediation: str
    frameworks: dict[str, list[str]] = Field(
        default_factory=dict, description="Framework ID -> the controls citing this rule.")


class RuleList(BaseModel):
    items: list[RuleOut]


class CustomRuleOut(BaseModel):
    id: str
    title: str
    severity: str
    resource_type: str
    condition: str
    applies_if: str | None = None
    rationale: str = ""
    remediation: str = ""
    control: str | None = None

    @classmethod
    def of(cls, spec: dict[str, Any]) -> CustomRuleOut:
        return cls.model_validate(spec)


class CustomRuleList(BaseModel):
    items: list[CustomRuleOut]


class CustomRulesUpload(StrictBody):
    format: Literal["toml", "json"] = "toml"
    content: str = Field(min_length=1, max_length=900_000,
                         description="The rules document: TOML [[rules]] or JSON {rules: []}.")


class CustomRulesUploaded(BaseModel):
    items: list[CustomRuleOut] = Field(description="The rules added or replaced.")
    reevaluating: int = Field(description="Connectors re-evaluated with the new rules.")
