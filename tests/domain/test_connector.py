"""The connector's field rules and the messages people read when they break one."""

from __future__ import annotations

import pytest

from cloudconnectors.domain.connector import (
    name_problem,
    provider_problem,
    run_frequency_problem,
    validate_fields,
)
from cloudconnectors.domain.errors import FieldProblem, ValidationFailed


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        (None, "must be a string"),
        (42, "must be a string"),
        ("", "must not be empty"),
        ("   ", "must not be empty"),
        ("x" * 101, "must be at most 100 characters"),
        ("tab\there", "must contain printable characters only"),
        ("new\nline", "must contain printable characters only"),
    ],
)
def test_name_rules(value: object, rule: str) -> None:
    assert name_problem(value) == FieldProblem("name", rule)


@pytest.mark.parametrize("value", ["p", "prod eu-west", "x" * 100, "Produktion Ost-1"])
def test_good_names(value: str) -> None:
    assert name_problem(value) is None


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        (59, "minimum is 60"),
        (0, "minimum is 60"),
        (-240, "minimum is 60"),
        (1441, "maximum is 1440"),
        (240.0, "must be a whole number of minutes"),
        ("240", "must be a whole number of minutes"),
        (True, "must be a whole number of minutes"),
        (None, "must be a whole number of minutes"),
    ],
)
def test_run_frequency_rules(value: object, rule: str) -> None:
    assert run_frequency_problem(value) == FieldProblem("run_frequency_minutes", rule)


@pytest.mark.parametrize("value", [60, 240, 1440])
def test_good_frequencies(value: int) -> None:
    assert run_frequency_problem(value) is None


def test_provider_rule_lists_the_choices() -> None:
    assert provider_problem("oracle") == FieldProblem(
        "provider", "must be one of aws, gcp, azure")
    assert provider_problem("gcp") is None


def test_custom_field_names_appear_in_problems() -> None:
    assert name_problem("", field="connectors[3].name") == FieldProblem(
        "connectors[3].name", "must not be empty")


def test_validate_fields_reports_every_problem_at_once() -> None:
    with pytest.raises(ValidationFailed) as caught:
        validate_fields(name="", run_frequency_minutes=30, provider="oracle")
    assert str(caught.value) == (
        "name: must not be empty; run_frequency_minutes: minimum is 60; "
        "provider: must be one of aws, gcp, azure"
    )
    validate_fields(name="ok", run_frequency_minutes=240, provider="aws")
