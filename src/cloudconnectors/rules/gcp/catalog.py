"""The explicit list of GCP rule modules. Add a module here and its ``RULES`` are live."""

from __future__ import annotations

from cloudconnectors.rules.gcp import (
    bigquery,
    cloudsql,
    compute,
    iam,
    logging,
    network,
    storage,
)
from cloudconnectors.rules.gcp.shapes import COLLECTED_GCP_TYPES, DETAIL_PERMISSIONS
from cloudconnectors.rules.model import Rule

RULES: tuple[Rule, ...] = (
    *iam.RULES,
    *logging.RULES,
    *network.RULES,
    *compute.RULES,
    *storage.RULES,
    *cloudsql.RULES,
    *bigquery.RULES,
)

COLLECTED_TYPES = COLLECTED_GCP_TYPES

__all__ = ["COLLECTED_TYPES", "DETAIL_PERMISSIONS", "RULES"]
