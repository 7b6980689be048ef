"""Our words for pydantic's validation errors, shared by the API and the credential models.

A refusal names the field and the rule ("minimum is 60"), never pydantic's own sentence
and never the submitted value, which may be a secret.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["rule_for"]

RULES: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda c: "is required",
    "extra_forbidden": lambda c: "is not a known field",
    "greater_than_equal": lambda c: f"minimum is {c.get('ge')}",
    "less_than_equal": lambda c: f"maximum is {c.get('le')}",
    "greater_than": lambda c: f"must be greater than {c.get('gt')}",
    "less_than": lambda c: f"must be less than {c.get('lt')}",
    "string_too_short": lambda c: "must not be empty"
    if c.get("min_length") == 1
    else f"must be at least {c.get('min_length')} characters",
    "string_too_long": lambda c: f"must be at most {c.get('max_length')} characters",
    "int_type": lambda c: "must be an integer",
    "int_parsing": lambda c: "must be an integer",
    "int_from_float": lambda c: "must be a whole number",
    "string_type": lambda c: "must be a string",
    "dict_type": lambda c: "must be an object",
    "model_type": lambda c: "must be an object",
    "model_attributes_type": lambda c: "must be a JSON object",
    "list_type": lambda c: "must be a list",
    "float_type": lambda c: "must be a number",
    "float_parsing": lambda c: "must be a number",
    "string_unicode": lambda c: "must be valid UTF-8 text",
    "missing_argument": lambda c: "is required",
    "bool_type": lambda c: "must be true or false",
    "bool_parsing": lambda c: "must be true or false",
    "literal_error": lambda c: f"must be one of {c.get('expected')}",
    "enum": lambda c: f"must be one of {c.get('expected')}",
    "json_invalid": lambda c: "is not valid JSON",
    "string_pattern_mismatch": lambda c: ("must not contain NUL characters"
                                          if c.get("pattern") == NO_NUL_PATTERN
                                          else "has characters that are not allowed"),
}

NO_NUL_PATTERN = r"^[^\x00]*$"
"""The pattern free-text query parameters declare (the API's ``NO_NUL``)."""


def rule_for(error: Mapping[str, Any]) -> str:
    """The rule an error dict (as ``ValidationError.errors()`` gives them) says was broken."""
    rule = RULES.get(str(error.get("type", "")))
    text = rule(error.get("ctx") or {}) if rule else str(error.get("msg", "is not valid"))
    return text.removeprefix("Value error, ")
