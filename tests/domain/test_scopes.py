"""The scope seam: which outcomes leave a scope not read whole, and what a gap covers."""

from __future__ import annotations

from datetime import UTC, datetime

from cloudconnectors.domain.readable import readable
from cloudconnectors.domain.runs import CollectorResult, Outcome
from cloudconnectors.domain.scopes import Scope, ScopeGap, coverage_from_results, is_gap

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def result(outcome: Outcome, region: str = "eu-west-1", type_: str = "AWS::EC2::Instance",
           **extra: object) -> CollectorResult:
    return CollectorResult(region=region, service="svc", resource_type=type_,
                           outcome=outcome, **extra)  # type: ignore[arg-type]


def test_which_outcomes_are_gaps() -> None:
    assert not is_gap(result(Outcome.OK))
    assert not is_gap(result(Outcome.PARTIAL))  # only details refused: assets are fresh
    assert is_gap(result(Outcome.PARTIAL, truncated=True))
    for outcome in (Outcome.DENIED, Outcome.FAILED, Outcome.THROTTLED, Outcome.SKIPPED):
        assert is_gap(result(outcome))


def test_a_per_project_outcome_covers_every_region_of_that_project_only() -> None:
    """GCP reports a disabled API once per project, in ``global``; its assets sit in zones."""
    gap = Scope("proj-a", "global", "compute.googleapis.com/Instance")
    assert gap.covers("proj-a", "us-central1-a", "compute.googleapis.com/Instance")
    assert not gap.covers("proj-b", "us-central1-a", "compute.googleapis.com/Instance")
    assert not gap.covers("proj-a", "us-central1-a", "compute.googleapis.com/Disk")
    regional = Scope(None, "eu-west-1", "AWS::EC2::Instance")
    assert regional.covers(None, "eu-west-1", "AWS::EC2::Instance")
    assert not regional.covers(None, "us-east-1", "AWS::EC2::Instance")
    assert not regional.covers("other", "eu-west-1", "AWS::EC2::Instance")


def test_coverage_names_gaps_listed_types_and_what_was_carried() -> None:
    results = [result(Outcome.OK, "us-east-1"), result(Outcome.FAILED, reason="HTTP 500"),
               result(Outcome.SKIPPED, "global", "compute.googleapis.com/Instance",
                      account="p1", reason="Compute Engine API is disabled in p1"),
               result(Outcome.OK, "global", "AWS::DirectoryService::MicrosoftAD")]
    coverage = coverage_from_results(
        results, ["us-east-1", "eu-west-1"],
        asset_types=lambda t: (t, "AWS::DirectoryService::SimpleAD") if "Directory" in t
        else (t,),
        carried={Scope(None, "eu-west-1", "AWS::EC2::Instance"): (3, AT)})
    assert coverage.listed == {"AWS::EC2::Instance", "AWS::DirectoryService::MicrosoftAD",
                               "AWS::DirectoryService::SimpleAD"}
    vm_gap = coverage.gap_for(None, "eu-west-1", "AWS::EC2::Instance")
    assert vm_gap == ScopeGap(Scope(None, "eu-west-1", "AWS::EC2::Instance"), Outcome.FAILED,
                              "HTTP 500", None, AT, 3)
    assert coverage.gap_for(None, "us-east-1", "AWS::EC2::Instance") is None
    api = coverage.gap_for("p1", "europe-west1-b", "compute.googleapis.com/Instance")
    assert api is not None and "disabled" in api.sentence()
    assert "3 resource(s) carried forward as read at 2026-12-01T09:00:00+00:00" in \
        vm_gap.sentence()


def test_denied_gap_names_the_permission() -> None:
    gap = ScopeGap(Scope("sub-1", "global", "Microsoft.Compute/virtualMachines"),
                   Outcome.DENIED, "refused", "Microsoft.Compute/virtualMachines/read")
    assert gap.why() == "the poll was denied Microsoft.Compute/virtualMachines/read"
    assert "of sub-1" in gap.sentence()


def test_upstream_pages_become_one_readable_line() -> None:
    page = ("500: <!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n"
            "<h1>Internal Server Error</h1>\n<p>The server encountered an internal error.</p>")
    assert readable(page) == "500 Internal Server Error"
    xml = ("<?xml version='1.0'?><ErrorResponse><Error><Code>Boom</Code>"
           "<Message>It &amp; broke</Message></Error></ErrorResponse>")
    assert readable(xml) == "It & broke: Boom"
    assert readable("a  plain\nmessage with a < b") == "a plain message with a < b"
    assert readable(None) is None
    long = readable("x" * 1000)
    assert long is not None and len(long) <= 241
