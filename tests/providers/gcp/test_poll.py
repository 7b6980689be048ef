"""The real GCP provider (google-auth + AuthorizedSession) against the stand-in."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudconnectors.config import load_settings
from cloudconnectors.domain.errors import AuthenticationFailed
from cloudconnectors.domain.runs import Outcome
from cloudconnectors.providers.base import PollContext
from cloudconnectors.providers.gcp.credentials import GcpCredentials
from cloudconnectors.providers.gcp.provider import GcpProvider
from cloudconnectors.providers.gcp.resources import RESOURCES
from tests.support.gcp_standin import HOME, GcpLab, ProjectSpec, gcp_lab
from tests.support.sinks import MemorySink

VM = "compute.googleapis.com/Instance"


def poll(lab: GcpLab, tmp_path: Path,
         scope: dict[str, list[str]] | None = None) -> tuple[MemorySink, list[str]]:
    settings = lab.settings(load_settings(data_dir=tmp_path))
    context = PollContext(settings, tenant_id="t", connector_id="c", scope=scope)
    credentials = GcpCredentials.model_validate(lab.credentials,
                                                context={"settings": settings})
    session = GcpProvider().authenticate(credentials, context)
    sink = MemorySink()
    try:
        regions = session.discover_regions()
        session.collect(regions, sink)
    finally:
        session.close()
    return sink, regions


def test_one_project_reads_every_type(tmp_path: Path) -> None:
    with gcp_lab([ProjectSpec(HOME, vms=7, each=2)]) as lab:
        sink, regions = poll(lab, tmp_path)
    assert regions == ["europe-west1", "us-central1"]
    assert not sink.problems(), sink.problems()
    vms = sink.of_type(VM)
    # 7 VMs over pages of 3 (aggregated, with per-scope warnings): all read, once each.
    assert sorted(a.name or "" for a in vms) == [f"vm-{i}" for i in range(7)]
    assert {a.region for a in vms} == {"us-central1", "europe-west1"}
    assert {a.account for a in sink.assets} == {HOME}
    emitted = {r.type for r in RESOURCES if r.emit}
    assert emitted <= {a.type for a in sink.assets}
    [project] = sink.of_type("cloudresourcemanager.googleapis.com/Project")
    assert project.data["iamPolicy"]["auditConfigs"][0]["service"] == "allServices"
    buckets = sink.of_type("storage.googleapis.com/Bucket")
    assert all("bindings" in b.data["iamPolicy"] for b in buckets) and len(buckets) == 2
    keys = sink.of_type("cloudkms.googleapis.com/CryptoKey")
    assert len(keys) == 4 and all(k.data["iamPolicy"]["etag"] == "BwX2" for k in keys)
    tables = sink.of_type("bigquery.googleapis.com/Table")
    assert len(tables) == 4 and all(t.data["location"] == "US" for t in tables)  # tables.get
    [cluster, _] = sink.of_type("container.googleapis.com/Cluster")
    assert cluster.data["nodePools"][0]["name"] == "default-pool"
    ok = [r for r in sink.results if r.resource_type == VM]
    assert ok[0].outcome is Outcome.OK and ok[0].count == 7 and ok[0].calls == 3


def test_a_bad_signature_is_refused_with_a_new_key_fix(tmp_path: Path) -> None:
    with gcp_lab() as lab:
        other = GcpLab(lab.world, lab.server, lab.key)
        forged = other.credentials
        from cloudconnectors.demo.gcp_sandbox import make_key_pair

        forged["service_account_key"]["private_key"] = make_key_pair("x@y.z", HOME).private_pem
        settings = lab.settings(load_settings(data_dir=tmp_path))
        credentials = GcpCredentials.model_validate(forged, context={"settings": settings})
        with pytest.raises(AuthenticationFailed) as refused:
            GcpProvider().authenticate(credentials, PollContext(settings, "t", "c"))
    message = str(refused.value)
    assert "invalid_grant" in message and "Invalid JWT Signature" in message
    assert "Create a new JSON key" in message and lab.key.email in message


def test_several_projects_each_recorded_and_one_api_disabled(tmp_path: Path) -> None:
    specs = [ProjectSpec(HOME, vms=1), ProjectSpec("data-lake-22", vms=2,
                                                   disabled=["sqladmin.googleapis.com"]),
             ProjectSpec("hidden-project-3", vms=5)]
    with gcp_lab(specs, visible=[HOME, "data-lake-22"]) as lab:
        sink, _ = poll(lab, tmp_path)
        calls_to_sql = lab.server.by_label.get("sqladmin", 0)
    assert {a.account for a in sink.of_type(VM)} == {HOME, "data-lake-22"}
    assert len(sink.of_type(VM)) == 3  # the project the key cannot see is not read
    [skipped] = sink.problems()
    assert skipped.account == "data-lake-22" and skipped.outcome is Outcome.SKIPPED
    assert skipped.resource_type == "sqladmin.googleapis.com/Instance"
    assert skipped.error_code == "SERVICE_DISABLED"
    assert skipped.permission == "sqladmin.googleapis.com"
    assert "gcloud services enable sqladmin.googleapis.com --project data-lake-22" in (
        skipped.reason or "")
    assert calls_to_sql == 1  # only the enabled project was asked; the disabled one never
    sql = [r for r in sink.results if r.resource_type == skipped.resource_type]
    assert {(r.account, r.outcome) for r in sql} == {(HOME, Outcome.OK),
                                                     ("data-lake-22", Outcome.SKIPPED)}


def test_a_missing_role_is_named_per_permission(tmp_path: Path) -> None:
    with gcp_lab([ProjectSpec(HOME, each=2)]) as lab:
        lab.world.deny(lab.key.email, HOME, "storage.buckets.getIamPolicy",
                       "resourcemanager.projects.getIamPolicy", "cloudkms.cryptoKeys.getIamPolicy")
        sink, _ = poll(lab, tmp_path)
    problems = {r.resource_type: r for r in sink.problems()}
    assert set(problems) == {"storage.googleapis.com/Bucket",
                             "cloudresourcemanager.googleapis.com/Project",
                             "cloudkms.googleapis.com/CryptoKey"}
    bucket = problems["storage.googleapis.com/Bucket"]
    assert bucket.outcome is Outcome.PARTIAL and bucket.count == 2
    assert bucket.permission == "storage.buckets.getIamPolicy"
    for asset in sink.of_type("storage.googleapis.com/Bucket"):
        assert "iamPolicy" not in asset.data
        assert asset.data["_cc_errors"]["iamPolicy"]["permission"] == (
            "storage.buckets.getIamPolicy")


def test_a_list_permission_missing_is_denied_without_a_call(tmp_path: Path) -> None:
    with gcp_lab() as lab:
        lab.world.deny(lab.key.email, HOME, "compute.instances.list")
        sink, _ = poll(lab, tmp_path)
    [denied] = sink.problems()
    assert denied.resource_type == VM and denied.outcome is Outcome.DENIED
    assert denied.permission == "compute.instances.list" and denied.calls == 0
    assert "Viewer" in (denied.reason or "")


def test_throttling_is_retried_honouring_retry_after(tmp_path: Path) -> None:
    from cloudconnectors.demo.gcp_sandbox import Fault

    with gcp_lab([ProjectSpec(HOME, vms=4)]) as lab:
        lab.world.faults.append(Fault("aggregated/instances", 429, times=2, retry_after="0"))
        lab.world.faults.append(Fault("global/firewalls", 503, times=50, retry_after=None))
        sink, _ = poll(lab, tmp_path)
    result = next(r for r in sink.results if r.resource_type == VM)
    assert result.outcome is Outcome.OK and result.count == 4
    assert "2 throttled answers were retried" in (result.reason or "")
    assert result.calls == 4  # two pages, two refusals
    [failed] = sink.problems()
    assert failed.resource_type == "compute.googleapis.com/Firewall"
    assert failed.outcome is Outcome.FAILED and "HTTP 503 after 5 attempts" in (
        failed.reason or "")


def test_regions_without_vms(tmp_path: Path) -> None:
    with gcp_lab([ProjectSpec(HOME, vms=0)]) as lab:
        sink, regions = poll(lab, tmp_path)
    assert regions and not sink.of_type(VM) and not sink.problems()


@pytest.mark.parametrize(("scope", "read"), [
    ({"include": ["data-lake-22", "dev-sandbox-3"]}, {"data-lake-22", "dev-sandbox-3"}),
    ({"exclude": ["data-lake-22"]}, {HOME, "dev-sandbox-3"}),
    ({"include": [HOME, "data-lake-22"], "exclude": [HOME]}, {"data-lake-22"}),
])
def test_include_and_exclude_lists(tmp_path: Path, scope: dict[str, list[str]],
                                   read: set[str]) -> None:
    specs = [ProjectSpec(p, vms=1, each=0) for p in (HOME, "data-lake-22", "dev-sandbox-3")]
    with gcp_lab(specs) as lab:
        sink, _ = poll(lab, tmp_path, scope)
    assert {a.account for a in sink.of_type(VM)} == read
    assert {r.account for r in sink.results} == read


def test_a_call_that_times_out_is_retried_then_failed(tmp_path: Path) -> None:
    from dataclasses import replace

    from cloudconnectors.demo.gcp_sandbox import Fault

    with gcp_lab() as lab:
        lab.world.faults.append(Fault("dns/v1/projects", 200, times=6, delay=0.6))
        base = lab.settings
        lab.settings = lambda s: replace(  # type: ignore[method-assign]
            base(s), extra={**base(s).extra, "gcp_timeout_seconds": "0.2",
                            "gcp_max_attempts": "2"})
        sink, _ = poll(lab, tmp_path)
    failed = {r.resource_type: r for r in sink.problems()}
    assert set(failed) == {"dns.googleapis.com/ManagedZone", "dns.googleapis.com/Policy"}
    zone = failed["dns.googleapis.com/ManagedZone"]
    assert zone.outcome is Outcome.FAILED and zone.error_code == "TIMEOUT"
    assert "after 2 attempts" in (zone.reason or "") and zone.calls == 2


def test_a_listing_that_fails_on_a_later_page_is_marked_truncated(tmp_path: Path) -> None:
    from cloudconnectors.demo.gcp_sandbox import Fault
    from cloudconnectors.domain.scopes import is_gap

    with gcp_lab([ProjectSpec(HOME, vms=4)]) as lab:  # pages of three: the second fails
        lab.world.faults.append(Fault("aggregated/instances", 503, times=50, after=1,
                                      retry_after=None))
        sink, _ = poll(lab, tmp_path)
    result = next(r for r in sink.results if r.resource_type == VM)
    assert result.outcome is Outcome.PARTIAL and result.truncated and result.count == 3
    assert (result.reason or "").startswith("stopped after 3 items")
    assert is_gap(result)  # its assets are carried forward, its rules read not evaluated
    firewalls = next(r for r in sink.results if r.resource_type.endswith("/Firewall"))
    assert not firewalls.truncated
