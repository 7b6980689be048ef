"""Tenant rules without code: a declarative spec whose condition is a JMESPath expression.

A spec (TOML ``[[rules]]`` tables or JSON ``{"rules": [...]}``)::

    [[rules]]
    id = "custom.s3.versioning_on"          # must start with "custom."
    title = "Buckets keep object versions"
    severity = "medium"                     # critical | high | medium | low | informational
    resource_type = "AWS::S3::Bucket"
    condition = "Versioning.Status == 'Enabled'"   # truthy = pass, falsy = fail
    applies_if = "Name != 'scratch'"        # optional; falsy = not applicable
    rationale = "..."                       # optional
    remediation = "..."                     # optional

Truthiness is JMESPath's: false, null, "", [] and {} fail; everything else (0 too) passes.
Detail keys the expression reads (``Policy``, ``Versioning``...) become the rule's ``needs``,
so a refused detail answers MANUAL naming the permission, as for built-in rules.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any, Literal

import jmespath
from jmespath import exceptions as jp_errors
from jmespath import functions as jp_functions
from jmespath.parser import ParsedResult

from cloudconnectors.domain.errors import FieldProblem, ValidationFailed
from cloudconnectors.domain.nesting import json_problem, toml_problem
from cloudconnectors.rules.aws.shapes import COLLECTED_AWS_TYPES, DETAIL_PERMISSIONS
from cloudconnectors.rules.frameworks import CUSTOM_FRAMEWORK_ID, Control, Framework
from cloudconnectors.rules.model import (
    NOT_APPLICABLE,
    PASS,
    Context,
    Data,
    Need,
    ResourceCheck,
    ResourceRule,
    Severity,
    Verdict,
    failed,
    manual,
)

ID_PATTERN = re.compile(r"^custom\.[a-z0-9_][a-z0-9_.-]{0,92}$")
FIELDS = frozenset({"id", "title", "severity", "resource_type", "condition", "applies_if",
                    "rationale", "remediation", "control"})
REQUIRED = ("id", "title", "severity", "resource_type", "condition")
MAX_RULES = 500
MAX_TEXT = 2000
MAX_DOCUMENT_CHARS = 1024 * 1024
_KNOWN_FUNCTIONS = frozenset(jp_functions.Functions().FUNCTION_TABLE)
Format = Literal["toml", "json"]


@dataclass(frozen=True)
class CustomRuleSpec:
    id: str
    title: str
    severity: str
    resource_type: str
    condition: str
    applies_if: str | None = None
    rationale: str = ""
    remediation: str = ""
    control: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @property
    def provider(self) -> str:
        return provider_of(self.resource_type) or "unknown"


def provider_of(resource_type: str) -> str | None:
    if resource_type.startswith("AWS::"):
        return "aws"
    if ".googleapis.com/" in resource_type:
        return "gcp"
    if resource_type.startswith("Microsoft."):
        return "azure"
    return None


def _jmespath_problem(expression: str) -> str | None:
    try:
        parsed = jmespath.compile(expression)
    except jp_errors.JMESPathError as exc:
        position = getattr(exc, "lex_position", None)
        message = str(exc).splitlines()[0]
        where = f" at position {position}" if isinstance(position, int) else ""
        return f"is not valid JMESPath: {message}{where}"
    unknown = sorted(set(_function_names(parsed.parsed)) - _KNOWN_FUNCTIONS)
    if unknown:
        return "is not valid JMESPath: unknown function " + ", ".join(unknown)
    return None


def _walk(node: Any) -> Iterator[Any]:
    yield node
    for child in node.get("children") or ():
        if isinstance(child, dict):
            yield from _walk(child)


def _function_names(ast: Any) -> Iterator[str]:
    return (str(n["value"]) for n in _walk(ast) if n.get("type") == "function_expression")


def _field_names(ast: Any) -> set[str]:
    return {str(n["value"]) for n in _walk(ast) if n.get("type") == "field"}


def _check_one(raw: object, where: str) -> tuple[CustomRuleSpec | None, list[FieldProblem]]:
    if not isinstance(raw, dict):
        return None, [FieldProblem(where, "must be a table/object of rule fields")]
    label = f"{where} ({raw['id']})" if isinstance(raw.get("id"), str) else where
    problems = [FieldProblem(f"{label}.{k}", "is not a known field; known: "
                             + ", ".join(sorted(FIELDS))) for k in sorted(set(raw) - FIELDS)]
    problems += [FieldProblem(f"{label}.{k}", "is required") for k in REQUIRED if k not in raw]
    for key in FIELDS & set(raw):
        value = raw[key]
        if not isinstance(value, str) or (key in REQUIRED and not value.strip()):
            problems.append(FieldProblem(f"{label}.{key}", "must be a non-empty string"))
        elif len(value) > MAX_TEXT:
            problems.append(FieldProblem(f"{label}.{key}", f"must be at most {MAX_TEXT} "
                                         "characters"))
    if problems:
        return None, problems
    if not ID_PATTERN.match(raw["id"]):
        problems.append(FieldProblem(f"{label}.id", "must start with 'custom.' followed by "
                                     "lowercase letters, digits, '_', '.', '-' (max 100)"))
    if raw["severity"] not in {s.value for s in Severity}:
        problems.append(FieldProblem(f"{label}.severity", "must be one of "
                                     + ", ".join(s.value for s in Severity)))
    resource_type = raw["resource_type"]
    provider = provider_of(resource_type)
    if provider is None:
        problems.append(FieldProblem(f"{label}.resource_type", "must be a cloud resource type "
                                     "such as AWS::S3::Bucket"))
    elif provider == "aws" and resource_type not in COLLECTED_AWS_TYPES:
        problems.append(FieldProblem(f"{label}.resource_type", "is not collected; known AWS "
                                     "types: " + ", ".join(sorted(COLLECTED_AWS_TYPES))))
    for key in ("condition", "applies_if"):
        if key in raw and (problem := _jmespath_problem(raw[key])):
            problems.append(FieldProblem(f"{label}.{key}", problem))
    if problems:
        return None, problems
    return CustomRuleSpec(**raw), []


def parse_custom_rules(text: str, fmt: Format = "toml",
                       field: str = "content") -> list[CustomRuleSpec]:
    """Parse and validate a rules document; raise ``ValidationFailed`` naming every bad field
    as ``rules[i] (custom.id).field``, and ``field`` when the text itself is refused."""
    if len(text) > MAX_DOCUMENT_CHARS:
        raise ValidationFailed.single(field, f"must be at most {MAX_DOCUMENT_CHARS} characters")
    bound = toml_problem(text) if fmt == "toml" else json_problem(text)
    if bound is not None:
        raise ValidationFailed.single(field, bound)
    try:
        document = tomllib.loads(text) if fmt == "toml" else json.loads(text)
    except (ValueError, RecursionError) as exc:  # the decode errors are ValueErrors
        raise ValidationFailed.single(field, f"is not valid {fmt.upper()}: {exc}") from exc
    rules = document.get("rules") if isinstance(document, dict) else None
    if not isinstance(rules, list) or not rules:
        raise ValidationFailed.single("rules", "must be a non-empty list of rules "
                                      "([[rules]] in TOML, {\"rules\": [...]} in JSON)")
    if len(rules) > MAX_RULES:
        raise ValidationFailed.single("rules", f"at most {MAX_RULES} rules per document")
    return validate_specs(rules)


def validate_specs(rules: list[Any]) -> list[CustomRuleSpec]:
    specs: list[CustomRuleSpec] = []
    problems: list[FieldProblem] = []
    for index, raw in enumerate(rules):
        spec, found = _check_one(raw, f"rules[{index}]")
        problems += found
        if spec is not None:
            specs.append(spec)
    seen: set[str] = set()
    for spec in specs:
        if spec.id in seen:
            problems.append(FieldProblem(f"rules ({spec.id}).id", "is used more than once"))
        seen.add(spec.id)
    if problems:
        raise ValidationFailed(problems)
    return specs


def _truthy(value: object) -> bool:
    return value is not None and value is not False and value not in ("", [], {})


def _make_check(condition: ParsedResult, applies_if: ParsedResult | None,
                text: str) -> ResourceCheck:
    def check(data: Data, ctx: Context) -> Verdict:
        try:
            if applies_if is not None and not _truthy(applies_if.search(data)):
                return NOT_APPLICABLE
            if _truthy(condition.search(data)):
                return PASS
        except jp_errors.JMESPathError as exc:
            return manual(f"condition could not be evaluated: {exc}")
        return failed(f"condition is false: {text}")
    return check


def compile_custom_rule(spec: CustomRuleSpec) -> ResourceRule:
    """A validated spec as a rule the engine runs like any built-in one."""
    condition = jmespath.compile(spec.condition)
    applies_if = jmespath.compile(spec.applies_if) if spec.applies_if else None
    fields = _field_names(condition.parsed)
    if applies_if is not None:
        fields |= _field_names(applies_if.parsed)
    needs = tuple(Need(f, DETAIL_PERMISSIONS[(spec.resource_type, f)]) for f in sorted(fields)
                  if (spec.resource_type, f) in DETAIL_PERMISSIONS)
    return ResourceRule(
        id=spec.id, title=spec.title, severity=Severity(spec.severity),
        rationale=spec.rationale or "Tenant rule.", remediation=spec.remediation or "See the "
        "rule's condition.", provider=spec.provider, resource_type=spec.resource_type,
        check=_make_check(condition, applies_if, spec.condition), needs=needs)


def custom_framework(specs: list[CustomRuleSpec]) -> Framework:
    """The tenant's "custom" framework: one control per rule, or grouped by ``control``."""
    grouped: dict[str, list[CustomRuleSpec]] = {}
    for spec in sorted(specs, key=lambda s: s.id):
        grouped.setdefault(spec.control or spec.id, []).append(spec)
    controls = tuple(
        Control(id=cid, title=members[0].title if len(members) == 1 else cid,
                section="Custom", rules=tuple(s.id for s in members))
        for cid, members in grouped.items())
    return Framework(id=CUSTOM_FRAMEWORK_ID, name="Custom rules", version="tenant",
                     provider=None, description="The tenant's own declarative rules.",
                     controls=controls)
