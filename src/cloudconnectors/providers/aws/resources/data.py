"""Data stores: RDS, EFS, QLDB, MSK, Glue, AWS Backup, Directory Service."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cloudconnectors.providers.aws.declarations import Detail, Group, ResourceType

__all__ = ["RESOURCES", "directory_type"]

_DIRECTORY_TYPES = {
    "SimpleAD": "AWS::DirectoryService::SimpleAD",
    "MicrosoftAD": "AWS::DirectoryService::MicrosoftAD",
}


def directory_type(item: Mapping[str, Any]) -> str:
    """Directory Service lists every kind in one call; CloudFormation names two of them.
    AD Connector has no CloudFormation type and is filed under Simple AD's name pattern."""
    return _DIRECTORY_TYPES.get(str(item.get("Type")), "AWS::DirectoryService::ADConnector")


def _ledger(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"Name": item["Name"]}


RESOURCES = (
    ResourceType("AWS::RDS::DBInstance", "rds", "DescribeDBInstances", "DBInstances",
                 "DBInstanceArn", "DBInstanceIdentifier"),
    # AWS Config's name; CloudFormation has no snapshot type.
    ResourceType("AWS::RDS::DBSnapshot", "rds", "DescribeDBSnapshots", "DBSnapshots",
                 "DBSnapshotArn", "DBSnapshotIdentifier", pseudo=True),
    ResourceType("AWS::EFS::FileSystem", "efs", "DescribeFileSystems", "FileSystems",
                 "FileSystemId", "Name", group=Group.CUSTOM),
    ResourceType(
        "AWS::QLDB::Ledger", "qldb", "ListLedgers", "Ledgers", "Name", "Name",
        group=Group.CUSTOM,
        details=(Detail("Description", "DescribeLedger", _ledger),),
    ),
    ResourceType("AWS::MSK::Cluster", "kafka", "ListClustersV2", "ClusterInfoList",
                 "ClusterArn", "ClusterName", group=Group.CUSTOM),
    ResourceType("AWS::Glue::Database", "glue", "GetDatabases", "DatabaseList", "Name", "Name",
                 group=Group.CUSTOM),
    ResourceType("AWS::Glue::Job", "glue", "GetJobs", "Jobs", "Name", "Name",
                 group=Group.CUSTOM),
    ResourceType("AWS::Backup::BackupVault", "backup", "ListBackupVaults", "BackupVaultList",
                 "BackupVaultArn", "BackupVaultName", group=Group.CUSTOM),
    ResourceType(
        "AWS::DirectoryService::MicrosoftAD", "ds", "DescribeDirectories",
        "DirectoryDescriptions", "DirectoryId", "Name", group=Group.CUSTOM,
        type_of=directory_type,
        variants=("AWS::DirectoryService::SimpleAD", "AWS::DirectoryService::ADConnector"),
    ),
)
