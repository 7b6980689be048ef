"""The explicit list of Azure rule modules. Add a module here and its ``RULES`` are live."""

from __future__ import annotations

from cloudconnectors.rules.azure import (
    conditional_access,
    databricks,
    defender,
    flowlogs,
    gateways,
    identity,
    keyvault,
    monitoring,
    network,
    rbac,
    storage,
    storage_services,
)
from cloudconnectors.rules.azure.shapes import COLLECTED_AZURE_TYPES, DETAIL_PERMISSIONS
from cloudconnectors.rules.model import Rule

RULES: tuple[Rule, ...] = (
    *databricks.RULES, *identity.RULES, *conditional_access.RULES, *rbac.RULES,
    *monitoring.RULES, *network.RULES, *flowlogs.RULES, *gateways.RULES, *defender.RULES,
    *keyvault.RULES, *storage.RULES, *storage_services.RULES,
)

COLLECTED_TYPES = COLLECTED_AZURE_TYPES

__all__ = ["COLLECTED_TYPES", "DETAIL_PERMISSIONS", "RULES"]
