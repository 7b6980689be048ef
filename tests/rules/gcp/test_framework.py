"""The CIS GCP data file: counts, levels, the benchmark's own marking, the rules it cites and
the doc page kept in sync with it."""

from __future__ import annotations

from pathlib import Path

from cloudconnectors.rules.frameworks import load_framework
from cloudconnectors.rules.gcp import shapes as t
from cloudconnectors.rules.gcp.shapes import (
    COLLECTED_GCP_TYPES,
    DETAIL_PERMISSIONS,
    LIST_PERMISSIONS,
)
from cloudconnectors.rules.model import ResourceRule
from cloudconnectors.rules.registry import provider_rules

DOC = Path(__file__).parents[3] / "docs" / "cis-gcp.md"


def test_counts_levels_and_benchmark_marking() -> None:
    cis = load_framework("cis_gcp_4_0_0")
    assert (cis.version, cis.provider) == ("4.0.0", "gcp")
    summary = cis.summary()
    assert (summary["controls"], summary["automated_controls"]) == (84, 76)
    assert {c.level for c in cis.controls} == {1, 2}
    marked = [c.assessment for c in cis.controls]
    assert (marked.count("automated"), marked.count("manual")) == (72, 12)
    # every control the benchmark calls automated has a rule here
    assert all(c.rules for c in cis.controls if c.assessment == "automated")


def test_every_gcp_rule_is_cited_and_every_citation_is_gcp() -> None:
    cis = load_framework("cis_gcp_4_0_0")
    assert cis.rule_ids == {r.id for r in provider_rules("gcp")}


def test_rules_read_collected_types_with_known_permissions() -> None:
    for rule in provider_rules("gcp"):
        assert set(rule.resource_types) <= COLLECTED_GCP_TYPES, rule.id
        if isinstance(rule, ResourceRule):
            for need in rule.needs:
                assert need.permission in (DETAIL_PERMISSIONS.get((rule.resource_type,
                                                                   need.key)),
                                           LIST_PERMISSIONS[rule.resource_type]), rule.id


def test_doc_lists_every_control_with_its_rules() -> None:
    doc = DOC.read_text()
    cis = load_framework("cis_gcp_4_0_0")
    summary = cis.summary()
    assert "v4.0.0" in doc
    assert (f"{summary['controls']} controls: {summary['automated_controls']} automated, "
            f"{summary['manual_controls']} manual") in doc
    for control in cis.controls:
        row = next((line for line in doc.splitlines()
                    if line.startswith(f"| {control.id} | ")), None)
        assert row, f"docs/cis-gcp.md lacks control {control.id}"
        assert f"| L{control.level} | {control.assessment} |" in row, control.id
        assert ("| yes |" in row) == control.automated, control.id
        assert all(f"`{r}`" in row for r in control.rules), control.id


#: Types the rules read that the collector does not store yet, and what the rules do then.
NOT_COLLECTED_YET = {t.ORGANIZATION: "1.1 answers MANUAL unless a consumer account fails it"}


def _collector_types() -> dict[str, str]:
    """Type -> the permission its list call needs, from the collector's declarations."""
    from cloudconnectors.providers.gcp.preflight import SERVICE_TYPE
    from cloudconnectors.providers.gcp.resources import RESOURCES

    found = {r.type: r.permission for r in RESOURCES if r.emit}
    found[SERVICE_TYPE] = "serviceusage.services.get"
    return found


def test_every_rule_type_is_collected_by_the_gcp_collector() -> None:
    collected = _collector_types()
    missing = COLLECTED_GCP_TYPES - set(collected)
    assert missing == set(NOT_COLLECTED_YET), sorted(missing)


def test_list_permissions_are_the_collectors() -> None:
    collected = _collector_types()
    for type_, permission in LIST_PERMISSIONS.items():
        if type_ in collected:
            assert collected[type_] == permission, type_


def test_detail_keys_are_the_collectors_sub_records() -> None:
    from cloudconnectors.providers.gcp.resources import RESOURCES

    details = {(r.type, d.key): d.permission for r in RESOURCES for d in r.details if d.key}
    assert DETAIL_PERMISSIONS.items() <= details.items()
