"""CIS Azure 9.1, 9.2 and 9.3.9: blob and file service settings, and delete locks."""

from __future__ import annotations

from collections.abc import Iterator

from cloudconnectors.rules.azure.base import (
    account,
    account_rule,
    dig,
    label,
    lower,
    on,
    props,
    resource_rule,
)
from cloudconnectors.rules.azure.storage import STORAGE
from cloudconnectors.rules.model import (
    PASS,
    AccountVerdict,
    Context,
    Data,
    Rule,
    Severity,
    Status,
    Verdict,
    failed,
    not_applicable,
)
from cloudconnectors.rules.snapshot import SnapshotView

BLOB = "blobServiceProperties"
FILE = "fileServiceProperties"
LOCKS = "Microsoft.Authorization/locks"
LOCK_SEGMENT = "/providers/microsoft.authorization/locks/"


def _no_files(data: Data) -> bool:
    return data.get("kind") == "BlockBlobStorage"


def _no_blobs(data: Data) -> bool:
    return data.get("kind") == "FileStorage"


def _file_props(data: Data) -> dict[str, object]:
    return props(data.get(FILE) or {})


def _blob_props(data: Data) -> dict[str, object]:
    return props(data.get(BLOB) or {})


@resource_rule(
    id="azure.storage.file_share_soft_delete", title="Soft delete is on for Azure file shares",
    severity=Severity.MEDIUM, resource_type=STORAGE, needs=(FILE,),
    rationale="A deleted share can be restored within the retention period instead of being "
    "lost to a mistake or to malware.",
    remediation="Data management > Data protection > Enable soft delete for file shares (az "
    "storage account file-service-properties update --enable-delete-retention true "
    "--delete-retention-days 7).")
def file_share_soft_delete(data: Data, ctx: Context) -> Verdict:
    if _no_files(data):
        return not_applicable("block blob accounts have no file service")
    if dig(_file_props(data), "shareDeleteRetentionPolicy", "enabled") is True:
        return PASS
    return failed("shareDeleteRetentionPolicy is not enabled")


def _only(value: object, allowed: set[str]) -> tuple[bool, str]:
    found = {v.strip() for v in value.split(";") if v.strip()} if isinstance(value, str) else set()
    return (bool(found) and found <= allowed, ";".join(sorted(found)) or "not set (all allowed)")


@resource_rule(
    id="azure.storage.smb_protocol_3_1_1", title="SMB file shares accept SMB 3.1.1 only",
    severity=Severity.MEDIUM, resource_type=STORAGE, needs=(FILE,),
    rationale="SMB 3.1.1 adds pre-authentication integrity and stronger encryption; older "
    "dialects allow downgrade attacks.",
    remediation="File shares > Security > Profile: Maximum security or Customizable with SMB "
    "3.1.1 only (az storage account file-service-properties update --versions SMB3.1.1).")
def smb_protocol(data: Data, ctx: Context) -> Verdict:
    if _no_files(data):
        return not_applicable("block blob accounts have no file service")
    ok, found = _only(dig(_file_props(data), "protocolSettings", "smb", "versions"), {"SMB3.1.1"})
    return PASS if ok else failed(f"SMB versions allowed: {found}")


@resource_rule(
    id="azure.storage.smb_channel_encryption_aes256", title="SMB channel encryption is "
    "AES-256-GCM only", severity=Severity.MEDIUM, resource_type=STORAGE, needs=(FILE,),
    rationale="AES-128 modes remain negotiable while they are allowed; accepting AES-256-GCM "
    "only gives every SMB session the strongest cipher.",
    remediation="File shares > Security > SMB channel encryption = AES-256-GCM (az storage "
    "account file-service-properties update --channel-encryption AES-256-GCM).")
def smb_channel_encryption(data: Data, ctx: Context) -> Verdict:
    if _no_files(data):
        return not_applicable("block blob accounts have no file service")
    ok, found = _only(dig(_file_props(data), "protocolSettings", "smb", "channelEncryption"),
                      {"AES-256-GCM"})
    return PASS if ok else failed(f"SMB channel encryption allowed: {found}")


@resource_rule(
    id="azure.storage.blob_soft_delete", title="Soft delete is on for blobs",
    severity=Severity.MEDIUM, resource_type=STORAGE, needs=(BLOB,),
    rationale="Deleted or overwritten blobs stay recoverable for the retention period.",
    remediation="Data management > Data protection > Enable soft delete for blobs (az "
    "storage account blob-service-properties update --enable-delete-retention true "
    "--delete-retention-days 7).")
def blob_soft_delete(data: Data, ctx: Context) -> Verdict:
    if _no_blobs(data):
        return not_applicable("file storage accounts have no blob service")
    if dig(_blob_props(data), "deleteRetentionPolicy", "enabled") is True:
        return PASS
    return failed("deleteRetentionPolicy is not enabled")


@resource_rule(
    id="azure.storage.container_soft_delete", title="Soft delete is on for blob containers",
    severity=Severity.MEDIUM, resource_type=STORAGE, needs=(BLOB,),
    rationale="A deleted container, with all its blobs, stays recoverable for the retention "
    "period.",
    remediation="Data management > Data protection > Enable soft delete for containers (az "
    "storage account blob-service-properties update --enable-container-delete-retention "
    "true --container-delete-retention-days 7).")
def container_soft_delete(data: Data, ctx: Context) -> Verdict:
    if _no_blobs(data):
        return not_applicable("file storage accounts have no blob service")
    if dig(_blob_props(data), "containerDeleteRetentionPolicy", "enabled") is True:
        return PASS
    return failed("containerDeleteRetentionPolicy is not enabled")


@resource_rule(
    id="azure.storage.blob_versioning", title="Blob versioning is on", severity=Severity.LOW,
    resource_type=STORAGE, needs=(BLOB,),
    rationale="Versioning keeps each previous state of a blob, so an overwrite or a "
    "ransomware encryption can be rolled back.",
    remediation="Data management > Data protection > Enable versioning for blobs (az storage "
    "account blob-service-properties update --enable-versioning true).")
def blob_versioning(data: Data, ctx: Context) -> Verdict:
    if _no_blobs(data):
        return not_applicable("file storage accounts have no blob service")
    if _blob_props(data).get("isVersioningEnabled") is True:
        return PASS
    return failed("isVersioningEnabled is not true")


def _lock_scope(lock_id: str) -> str | None:
    at = lock_id.find(LOCK_SEGMENT)
    return lock_id[:at] if at > 0 else None


@account_rule(
    id="azure.storage.delete_lock", title="Storage accounts are protected by a delete lock",
    severity=Severity.LOW, resource_types=(STORAGE, LOCKS),
    rationale="A CanNotDelete lock stops the account, and every blob and share in it, from "
    "being deleted by a mistake or a compromised automation until the lock is removed.",
    remediation="Storage account > Settings > Locks > Add: lock type Delete (or lock the "
    "resource group or subscription) (az lock create --lock-type CanNotDelete).")
def delete_lock(view: SnapshotView) -> Iterator[AccountVerdict]:
    scopes = set()
    for lock in view.of(LOCKS):
        scope = _lock_scope(lower(lock.data.get("id") or lock.native_id))
        if scope is not None and props(lock.data).get("level") in ("CanNotDelete", "ReadOnly"):
            scopes.add(scope)
    accounts = view.of(STORAGE)
    if not accounts:
        yield account(Status.NOT_APPLICABLE, "no storage accounts")
        return
    for item in accounts:
        resource_id = lower(item.data.get("id") or item.native_id)
        parts = resource_id.split("/")
        covering = {resource_id, "/".join(parts[:3]), "/".join(parts[:5])}
        if scopes & covering:
            yield on(item, Status.PASS)
        else:
            yield on(item, Status.FAIL, f"{label(item)}: no delete lock on the account, its "
                     "resource group or the subscription")


RULES: tuple[Rule, ...] = (
    file_share_soft_delete, smb_protocol, smb_channel_encryption, blob_soft_delete,
    container_soft_delete, blob_versioning, delete_lock,
)
