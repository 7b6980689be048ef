"""IAM action names for the API operations the collectors call.

An IAM action is usually ``<service prefix>:<OperationName>``; the prefix differs from the
boto3 client name for some services, and a few operations are authorised by a differently
named action. Both exceptions are tables here, so denials, diagnostics and the generated
policy all name the same permission.
"""

from __future__ import annotations

__all__ = ["iam_action", "iam_prefix"]

# boto3 client name -> IAM service prefix, where they differ.
_PREFIX: dict[str, str] = {
    "elbv2": "elasticloadbalancing",
    "elb": "elasticloadbalancing",
    "stepfunctions": "states",
    "emr": "elasticmapreduce",
    "efs": "elasticfilesystem",
    "s3control": "s3",
    "logs": "logs",
    "accessanalyzer": "access-analyzer",
}

# (client, operation) -> action, where the action is not named after the operation.
_ACTION: dict[tuple[str, str], str] = {
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("s3", "GetBucketEncryption"): "s3:GetEncryptionConfiguration",
    ("s3", "GetPublicAccessBlock"): "s3:GetBucketPublicAccessBlock",
    ("s3control", "GetPublicAccessBlock"): "s3:GetAccountPublicAccessBlock",
    ("apigateway", "GetRestApis"): "apigateway:GET",
    ("apigateway", "GetStages"): "apigateway:GET",
    ("kafka", "ListClustersV2"): "kafka:ListClustersV2",
}


def iam_prefix(service: str) -> str:
    return _PREFIX.get(service, service)


def iam_action(service: str, operation: str) -> str:
    """``iam_action("elbv2", "DescribeLoadBalancers") == "elasticloadbalancing:Describe..."``."""
    return _ACTION.get((service, operation), f"{iam_prefix(service)}:{operation}")
