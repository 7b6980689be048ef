"""S3: buckets with their security settings, and the account-level public access block."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from cloudconnectors.providers.aws.declarations import Detail, ResourceType, Scope

__all__ = ["RESOURCES", "bucket_region", "policy_document"]


def _bucket(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"Bucket": item["Name"]}


def bucket_region(constraint: Any) -> str:
    """GetBucketLocation answers None for us-east-1 and the legacy ``EU`` for eu-west-1."""
    if not constraint:
        return "us-east-1"
    return "eu-west-1" if constraint == "EU" else str(constraint)


def policy_document(raw: Any) -> Any:
    """Bucket policies arrive as a JSON string; rules want the document."""
    try:
        return json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return raw


RESOURCES = (
    ResourceType(
        "AWS::S3::Bucket", "s3", "ListBuckets", "Buckets", "Name", "Name", scope=Scope.GLOBAL,
        details=(
            Detail("BucketRegion", "GetBucketLocation", _bucket, "LocationConstraint",
                   transform=bucket_region),
            Detail("Policy", "GetBucketPolicy", _bucket, "Policy", transform=policy_document,
                   absent=frozenset({"NoSuchBucketPolicy"})),
            Detail("Acl", "GetBucketAcl", _bucket),
            Detail("PublicAccessBlock", "GetPublicAccessBlock", _bucket,
                   "PublicAccessBlockConfiguration",
                   absent=frozenset({"NoSuchPublicAccessBlockConfiguration"})),
            Detail("Encryption", "GetBucketEncryption", _bucket,
                   "ServerSideEncryptionConfiguration",
                   absent=frozenset({"ServerSideEncryptionConfigurationNotFoundError"})),
            Detail("Versioning", "GetBucketVersioning", _bucket),
            Detail("Logging", "GetBucketLogging", _bucket),
        ),
    ),
    # AWS Config's name for it; CloudFormation has no account-level type.
    ResourceType(
        "AWS::S3::AccountPublicAccessBlock", "s3control", "GetPublicAccessBlock",
        "[PublicAccessBlockConfiguration]", None, scope=Scope.GLOBAL,
        params={"AccountId": "{account_id}"},
        absent=frozenset({"NoSuchPublicAccessBlockConfiguration"}),
        absent_item={"Configured": False}, pseudo=True,
    ),
)
