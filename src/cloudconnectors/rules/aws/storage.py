"""CIS 2.2-2.4 rules: EBS default encryption, RDS instances, EFS file systems."""

from __future__ import annotations

from collections.abc import Iterator

from cloudconnectors.rules.aws.base import account, account_rule, on, resource_rule
from cloudconnectors.rules.model import (
    PASS,
    AccountVerdict,
    Context,
    Data,
    Severity,
    Status,
    Verdict,
    failed,
)
from cloudconnectors.rules.snapshot import SnapshotView

EBS_DEFAULT = "AWS::EC2::EBSEncryptionByDefault"
RDS = "AWS::RDS::DBInstance"


@account_rule(
    id="aws.ec2.ebs_encryption_by_default", title="EBS volume encryption by default is on in "
    "every region", severity=Severity.MEDIUM, resource_types=(EBS_DEFAULT,),
    rationale="With the default on, no new volume or snapshot copy can be created "
    "unencrypted by mistake.",
    remediation="EC2 > Settings > EBS encryption > Always encrypt new EBS volumes, in each "
    "region (aws ec2 enable-ebs-encryption-by-default).")
def ebs_encryption_by_default(view: SnapshotView) -> Iterator[AccountVerdict]:
    seen: set[str] = set()
    for item in view.of(EBS_DEFAULT):
        seen.add(item.region)
        if item.data.get("EbsEncryptionByDefault") is True:
            yield on(item, Status.PASS)
        else:
            yield on(item, Status.FAIL, f"encryption by default is off in {item.region}")
    missing = sorted(view.regions - seen)
    if missing:
        yield account(Status.MANUAL, "EBS default encryption setting not collected for "
                      + ", ".join(missing) + " (needs ec2:GetEbsEncryptionByDefault)")


@resource_rule(
    id="aws.rds.instance_storage_encrypted", title="RDS instances are encrypted at rest",
    severity=Severity.MEDIUM, resource_type=RDS, needs=("StorageEncrypted",),
    rationale="Encryption at rest protects data, backups and snapshots from storage-level "
    "access.",
    remediation="Encryption cannot be turned on in place: snapshot, copy the snapshot with "
    "encryption, restore, and switch over.")
def rds_encrypted(data: Data, ctx: Context) -> Verdict:
    return PASS if data.get("StorageEncrypted") is True else failed("storage not encrypted")


@resource_rule(
    id="aws.rds.instance_auto_minor_upgrade", title="Auto minor version upgrade is on for RDS "
    "instances", severity=Severity.LOW, resource_type=RDS,
    needs=("AutoMinorVersionUpgrade",),
    rationale="Minor versions carry security fixes; applying them in the maintenance window "
    "keeps the engine patched.",
    remediation="Modify the instance and enable Auto minor version upgrade.")
def rds_auto_minor_upgrade(data: Data, ctx: Context) -> Verdict:
    if data.get("AutoMinorVersionUpgrade") is True:
        return PASS
    return failed("auto minor version upgrade is off")


@resource_rule(
    id="aws.rds.instance_not_public", title="RDS instances are not publicly accessible",
    severity=Severity.HIGH, resource_type=RDS, needs=("PubliclyAccessible",),
    rationale="A publicly accessible instance gets a public DNS name and IP; the database is "
    "one security group away from the internet.",
    remediation="Modify the instance: Publicly accessible = No.")
def rds_not_public(data: Data, ctx: Context) -> Verdict:
    if data.get("PubliclyAccessible") is True:
        return failed("PubliclyAccessible is true")
    return PASS


@resource_rule(
    id="aws.efs.file_system_encrypted", title="EFS file systems are encrypted at rest",
    severity=Severity.MEDIUM, resource_type="AWS::EFS::FileSystem", needs=("Encrypted",),
    rationale="Encryption at rest protects file data from storage-level access.",
    remediation="Encryption is chosen at creation: create an encrypted file system and copy "
    "the data over (AWS DataSync), then delete the old one.")
def efs_encrypted(data: Data, ctx: Context) -> Verdict:
    return PASS if data.get("Encrypted") is True else failed("file system not encrypted")


RULES = (ebs_encryption_by_default, rds_encrypted, rds_auto_minor_upgrade, rds_not_public,
         efs_encrypted)
