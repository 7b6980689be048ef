"""The explicit list of AWS rule modules. Add a module here and its ``RULES`` are live."""

from __future__ import annotations

from cloudconnectors.rules.aws import (
    iam_account,
    iam_users,
    logging,
    monitoring,
    network,
    s3,
    storage,
)
from cloudconnectors.rules.aws.shapes import (
    COLLECTED_AWS_TYPES,
    CUSTOM_ONLY_DETAILS,
    DETAIL_PERMISSIONS,
)
from cloudconnectors.rules.model import Rule

RULES: tuple[Rule, ...] = (
    *iam_account.RULES,
    *iam_users.RULES,
    *s3.RULES,
    *storage.RULES,
    *logging.RULES,
    *monitoring.RULES,
    *network.RULES,
)

COLLECTED_TYPES = COLLECTED_AWS_TYPES

__all__ = ["COLLECTED_TYPES", "CUSTOM_ONLY_DETAILS", "DETAIL_PERMISSIONS", "RULES"]
