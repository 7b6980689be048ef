"""Pure pieces: URL rule, Retry-After, ErrorInfo parsing and classification, regions."""

from __future__ import annotations

from datetime import UTC, datetime

from cloudconnectors.domain.runs import Outcome
from cloudconnectors.providers.gcp.endpoints import api_url
from cloudconnectors.providers.gcp.errors import parse_error
from cloudconnectors.providers.gcp.faults import classify
from cloudconnectors.providers.gcp.locations import region_of
from cloudconnectors.providers.gcp.transport import retry_after_seconds


def test_the_endpoint_rule_of_the_issue() -> None:
    base = "http://127.0.0.1:9/"
    assert api_url(base, "compute", "compute/v1/projects/p/aggregated/instances") == (
        "http://127.0.0.1:9/compute/compute/v1/projects/p/aggregated/instances")
    assert api_url(base, "cloudresourcemanager", "v3/projects:search") == (
        "http://127.0.0.1:9/cloudresourcemanager/v3/projects:search")
    assert api_url(None, "storage", "storage/v1/b") == "https://storage.googleapis.com/storage/v1/b"


def test_retry_after_as_seconds_or_a_date() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds("Thu, 01 Jan 2026 00:00:07 GMT", now) == 7.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def _error(reason: str | None, status: int = 403, **metadata: str) -> dict[str, object]:
    details = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason,
                "domain": "googleapis.com", "metadata": metadata}] if reason else []
    return {"error": {"code": status, "message": "m", "status": "PERMISSION_DENIED",
                      "details": details}}


def test_error_info_decides_not_the_message() -> None:
    disabled = parse_error(403, _error("SERVICE_DISABLED", service="dns.googleapis.com"))
    fault = classify(disabled, project="p", service="x.googleapis.com", permission="x.y.list")
    assert fault.outcome is Outcome.SKIPPED and fault.permission == "dns.googleapis.com"
    assert "gcloud services enable dns.googleapis.com --project p" in fault.reason
    denied = parse_error(403, _error("IAM_PERMISSION_DENIED", permission="dns.policies.list"))
    fault = classify(denied, project="p", service="dns.googleapis.com", permission="other.x.y")
    assert fault.outcome is Outcome.DENIED and fault.permission == "dns.policies.list"
    legacy = parse_error(403, {"error": {"code": 403, "message": "API has not been used",
                                         "errors": [{"reason": "accessNotConfigured"}]}})
    assert legacy.reason == "SERVICE_DISABLED"
    throttled = parse_error(429, _error("RATE_LIMIT_EXCEEDED", 429))
    assert classify(throttled, project="p", service="s", permission="a.b.c").outcome is (
        Outcome.THROTTLED)
    # A 403 whose message says "disabled" but whose ErrorInfo says otherwise is a denial.
    worded = parse_error(403, {"error": {"code": 403, "message": "API disabled?"}})
    assert classify(worded, project="p", service="s", permission="a.b.c").outcome is (
        Outcome.DENIED)
    assert parse_error(502, "<html>bad gateway</html>").status == 502


def test_regions_from_zones_regions_and_locations() -> None:
    zone = "https://www.googleapis.com/compute/v1/projects/p/zones/us-east1-b"
    assert region_of({"zone": zone}) == "us-east1"
    assert region_of({"region": "projects/p/regions/europe-west4"}) == "europe-west4"
    assert region_of({"location": "US"}) == "us"
    assert region_of({"name": "projects/p/locations/asia-south1/functions/f"}) == "asia-south1"
    assert region_of({"name": "keyRings/x"}, "zones/us-central1-f") == "us-central1"
    assert region_of({}) == "global"
