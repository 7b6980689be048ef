"""The explicit registry of AWS resource types, in collection order.

To add a type, declare it in its service's module (copy a line of ``ec2.py``) and it is
collected, counted, documented and placed in the generated IAM policy; ``tests/providers/
aws/test_registry.py`` checks the declaration is complete.
"""

from __future__ import annotations

from cloudconnectors.providers.aws.declarations import ResourceType
from cloudconnectors.providers.aws.resources import (
    compute,
    data,
    ec2,
    iam,
    monitoring,
    network,
    s3,
    security,
)

__all__ = ["RESOURCES"]

# Slow, per-item-heavy types first so they start early and overlap everything else.
RESOURCES: tuple[ResourceType, ...] = (
    *s3.RESOURCES,
    *ec2.RESOURCES,
    *iam.RESOURCES,
    *security.RESOURCES,
    *monitoring.RESOURCES,
    *data.RESOURCES,
    *compute.RESOURCES,
    *network.RESOURCES,
)
