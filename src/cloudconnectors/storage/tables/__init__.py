"""Every table, imported here so Alembic and ``Base.metadata`` see them all."""

from cloudconnectors.storage.tables.base import Base
from cloudconnectors.storage.tables.connectors import ConnectorRow, ExternalIdRow
from cloudconnectors.storage.tables.findings import CustomRuleRow, FindingRow, ReportRunRow
from cloudconnectors.storage.tables.inventory import AssetRow, SnapshotRow
from cloudconnectors.storage.tables.runs import PollRunRow, RunResultRow, SchedulerLeaseRow
from cloudconnectors.storage.tables.sessions import WebSessionRow
from cloudconnectors.storage.tables.tenants import ApiTokenRow, TenantRow, UserRow
from cloudconnectors.storage.tables.throttle import SignInFailureRow

__all__ = [
    "ApiTokenRow",
    "AssetRow",
    "Base",
    "ConnectorRow",
    "CustomRuleRow",
    "ExternalIdRow",
    "FindingRow",
    "PollRunRow",
    "ReportRunRow",
    "RunResultRow",
    "SchedulerLeaseRow",
    "SignInFailureRow",
    "SnapshotRow",
    "TenantRow",
    "UserRow",
    "WebSessionRow",
]
