"""CIS 3.x logging rules: CloudTrail, KMS key rotation, AWS Config, S3 object-level logging."""

from __future__ import annotations

from collections.abc import Iterator

from cloudconnectors.rules.aws.base import (
    account,
    account_rule,
    detail_missing,
    on,
    regions_lacking,
    resource_rule,
)
from cloudconnectors.rules.model import (
    PASS,
    AccountVerdict,
    Context,
    Data,
    InventoryItem,
    Severity,
    Status,
    Verdict,
    failed,
    not_applicable,
)
from cloudconnectors.rules.snapshot import SnapshotView

TRAIL = "AWS::CloudTrail::Trail"
BUCKET = "AWS::S3::Bucket"
RECORDER = "AWS::Config::ConfigurationRecorder"


def unique_trails(view: SnapshotView) -> list[InventoryItem]:
    """DescribeTrails lists a multi-region trail in every region; keep one per ARN."""
    seen: dict[str, InventoryItem] = {}
    for item in view.of(TRAIL):
        seen.setdefault(str(item.data.get("TrailARN") or item.native_id), item)
    return list(seen.values())


def selectors(data: Data) -> tuple[list[Data], list[Data]]:
    """(basic, advanced) event selectors, whether stored as the response or as the list."""
    raw = data.get("EventSelectors")
    if isinstance(raw, dict):
        return list(raw.get("EventSelectors") or []), list(raw.get("AdvancedEventSelectors") or [])
    return list(raw or []), list(data.get("AdvancedEventSelectors") or [])


def _field_values(selector: Data) -> dict[str, list[str]]:
    return {str(f.get("Field")): list(f.get("Equals") or []) for f in
            selector.get("FieldSelectors") or []}


def logs_all_management_events(data: Data) -> bool:
    basic, advanced = selectors(data)
    if any(s.get("IncludeManagementEvents", True) and s.get("ReadWriteType", "All") == "All"
           for s in basic):
        return True
    return any(_field_values(s).get("eventCategory") == ["Management"]
               and "readOnly" not in _field_values(s) for s in advanced)


def is_logging(data: Data) -> bool:
    return bool((data.get("Status") or {}).get("IsLogging"))


def active_multi_region_trails(view: SnapshotView) -> list[InventoryItem]:
    return [t for t in unique_trails(view) if t.data.get("IsMultiRegionTrail")
            and is_logging(t.data) and logs_all_management_events(t.data)]


@account_rule(
    id="aws.cloudtrail.multi_region_management_events", title="CloudTrail is enabled in all "
    "regions with read and write management events", severity=Severity.HIGH,
    resource_types=(TRAIL,),
    rationale="One multi-region trail records API activity everywhere, including regions "
    "nobody uses (where attackers like to work).",
    remediation="Create a trail with 'Apply trail to all regions', management events Read and "
    "Write, and start logging.")
def multi_region_trail(view: SnapshotView) -> Iterator[AccountVerdict]:
    trails = unique_trails(view)
    unreadable = [m for t in trails for m in (detail_missing(t, "Status"),
                                              detail_missing(t, "EventSelectors")) if m]
    good = active_multi_region_trails(view)
    if good:
        yield account(Status.PASS, "multi-region trail " + str(good[0].name or good[0].native_id))
    elif unreadable:
        yield account(Status.MANUAL, unreadable[0])
    else:
        yield account(Status.FAIL, "no logging multi-region trail records all management "
                      "events")


@resource_rule(
    id="aws.cloudtrail.log_file_validation", title="CloudTrail log file validation is enabled",
    severity=Severity.MEDIUM, resource_type=TRAIL, needs=("LogFileValidationEnabled",),
    rationale="Digest files prove whether delivered logs were changed or deleted.",
    remediation="aws cloudtrail update-trail --name TRAIL --enable-log-file-validation")
def log_file_validation(data: Data, ctx: Context) -> Verdict:
    if data.get("LogFileValidationEnabled") is True:
        return PASS
    return failed("log file validation is off")


@resource_rule(
    id="aws.cloudtrail.kms_encrypted", title="CloudTrail logs are encrypted with a KMS key",
    severity=Severity.MEDIUM, resource_type=TRAIL,
    rationale="SSE-KMS adds a key policy between the logs and anyone who can read the bucket.",
    remediation="aws cloudtrail update-trail --name TRAIL --kms-key-id KEY (the key policy "
    "must let CloudTrail encrypt).")
def trail_kms(data: Data, ctx: Context) -> Verdict:
    return PASS if data.get("KmsKeyId") else failed("trail logs are not encrypted with KMS")


@account_rule(
    id="aws.cloudtrail.bucket_access_logging", title="S3 access logging is on for the "
    "CloudTrail bucket", severity=Severity.LOW, resource_types=(TRAIL, BUCKET),
    rationale="Access logs show who read or tampered with the audit trail itself.",
    remediation="Enable server access logging on the bucket CloudTrail delivers to, targeting "
    "a separate bucket.")
def trail_bucket_logging(view: SnapshotView) -> Iterator[AccountVerdict]:
    buckets = {str(b.data.get("Name") or b.native_id): b for b in view.of(BUCKET)}
    for trail in unique_trails(view):
        name = str(trail.data.get("S3BucketName") or "")
        bucket = buckets.get(name)
        subject = bucket or trail  # a bucket of another account is not in this inventory
        trail_name = str(trail.name or trail.native_id)
        if not name:
            yield on(trail, Status.MANUAL, "the trail names no S3 bucket")
            continue
        missing = detail_missing(trail, "BucketLogging")
        if missing:
            yield on(subject, Status.MANUAL, f"bucket {name} of trail {missing}")
        elif (trail.data["BucketLogging"] or {}).get("LoggingEnabled"):
            yield on(subject, Status.PASS, f"trail bucket of {trail_name}")
        else:
            yield on(subject, Status.FAIL, f"access logging off on bucket {name} of trail "
                     + trail_name)


def _covers_bucket(values: list[str], bucket: str) -> bool:
    return any(v in ("arn:aws:s3", "arn:aws:s3:::") or v.startswith(f"arn:aws:s3:::{bucket}/")
               or v == f"arn:aws:s3:::{bucket}" for v in values)


def _logs_data_events(trail: Data, bucket: str, want: str) -> bool:
    """Does the trail log object-level ``want`` ("WriteOnly"/"ReadOnly") events of bucket?"""
    basic, advanced = selectors(trail)
    for s in basic:
        if s.get("ReadWriteType", "All") not in ("All", want):
            continue
        for resource in s.get("DataResources") or []:
            if resource.get("Type") == "AWS::S3::Object" and _covers_bucket(
                    list(resource.get("Values") or []), bucket):
                return True
    read_only = "true" if want == "ReadOnly" else "false"
    for s in advanced:
        fields = _field_values(s)
        if fields.get("eventCategory") != ["Data"] or fields.get("resources.type") != [
                "AWS::S3::Object"]:
            continue
        if "readOnly" in fields and fields["readOnly"] != [read_only]:
            continue
        arns = [f for f in s.get("FieldSelectors") or [] if f.get("Field") == "resources.ARN"]
        if not arns or any(_covers_bucket(list(f.get("StartsWith") or f.get("Equals") or []),
                                          bucket) for f in arns):
            return True
    return False


def _object_logging(view: SnapshotView, want: str) -> Iterator[AccountVerdict]:
    trails = [t for t in unique_trails(view) if is_logging(t.data)]
    unreadable = [m for t in trails if (m := detail_missing(t, "EventSelectors"))]
    for bucket in view.of(BUCKET):
        name = str(bucket.data.get("Name") or bucket.native_id)
        if any(_logs_data_events(t.data, name, want) for t in trails):
            yield on(bucket, Status.PASS)
        elif unreadable:
            yield on(bucket, Status.MANUAL, unreadable[0])
        else:
            kind = "write" if want == "WriteOnly" else "read"
            yield on(bucket, Status.FAIL, f"no logging trail records object-level {kind} "
                     "events for this bucket")


@account_rule(
    id="aws.cloudtrail.s3_object_write_logging", title="Object-level logging for write events "
    "is enabled for S3 buckets", severity=Severity.LOW, resource_types=(TRAIL, BUCKET),
    rationale="Data events show who changed or deleted which object.",
    remediation="Add an S3 data event selector (write or all) covering the bucket to a trail.")
def s3_write_logging(view: SnapshotView) -> Iterator[AccountVerdict]:
    return _object_logging(view, "WriteOnly")


@account_rule(
    id="aws.cloudtrail.s3_object_read_logging", title="Object-level logging for read events "
    "is enabled for S3 buckets", severity=Severity.LOW, resource_types=(TRAIL, BUCKET),
    rationale="Data events show who read which object, the trace of an exfiltration.",
    remediation="Add an S3 data event selector (read or all) covering the bucket to a trail.")
def s3_read_logging(view: SnapshotView) -> Iterator[AccountVerdict]:
    return _object_logging(view, "ReadOnly")


@resource_rule(
    id="aws.kms.customer_key_rotation", title="Rotation is enabled for customer-created "
    "symmetric KMS keys", severity=Severity.MEDIUM, resource_type="AWS::KMS::Key",
    needs=("KeyMetadata", "KeyRotationEnabled"),
    rationale="Rotation limits how much data one key version protects.",
    remediation="aws kms enable-key-rotation --key-id KEY")
def kms_rotation(data: Data, ctx: Context) -> Verdict:
    meta = data["KeyMetadata"] or {}
    if meta.get("KeyManager") != "CUSTOMER":
        return not_applicable("AWS managed key")
    spec = meta.get("KeySpec") or meta.get("CustomerMasterKeySpec")
    if spec != "SYMMETRIC_DEFAULT" or meta.get("Origin", "AWS_KMS") != "AWS_KMS":
        return not_applicable(f"{spec} key cannot rotate automatically")
    if meta.get("KeyState") != "Enabled":
        return not_applicable(f"key is {meta.get('KeyState')}")
    return PASS if data["KeyRotationEnabled"] is True else failed("automatic rotation is off")


def _recording(item: InventoryItem) -> bool:
    group = item.data.get("recordingGroup") or {}
    status = item.data.get("Status") or {}
    return (bool(group.get("allSupported")) and bool(status.get("recording"))
            and status.get("lastStatus", "SUCCESS") != "FAILURE")


@account_rule(
    id="aws.config.enabled_all_regions", title="AWS Config records all resources in every "
    "region", severity=Severity.MEDIUM, resource_types=(RECORDER,),
    rationale="Config keeps the history of every resource's configuration: what changed, "
    "when, and the relationships between resources.",
    remediation="Set up AWS Config in each region recording all supported resources "
    "(including global resources in one region) and start the recorder.")
def config_all_regions(view: SnapshotView) -> Iterator[AccountVerdict]:
    if not view.regions:
        yield account(Status.MANUAL, "no region was covered by the poll")
        return
    unreadable = [m for r in view.of(RECORDER) if (m := detail_missing(r, "Status"))]
    lacking = regions_lacking(view, RECORDER, _recording)
    if not lacking:
        global_ok = any((r.data.get("recordingGroup") or {}).get("includeGlobalResourceTypes")
                        for r in view.of(RECORDER))
        yield account(Status.PASS if global_ok else Status.FAIL,
                      "" if global_ok else "no recorder includes global resource types")
    elif unreadable:
        yield account(Status.MANUAL, unreadable[0])
    else:
        yield account(Status.FAIL, "no recorder recording all resources in "
                      + ", ".join(lacking))


RULES = (multi_region_trail, log_file_validation, trail_bucket_logging, trail_kms,
         kms_rotation, config_all_regions, s3_write_logging, s3_read_logging)
