"""Storage accounts (with the blob service's properties) and key vaults (with the ARM
records of their keys and secrets: attributes only, never a value)."""

from __future__ import annotations

from cloudconnectors.providers.azure.declarations import Detail, ResourceType

PROVIDERS = "/subscriptions/{subscription}/providers"
DIAGNOSTICS = Detail("diagnosticSettings", "providers/Microsoft.Insights/diagnosticSettings",
                     "2021-05-01-preview", "Microsoft.Insights/diagnosticSettings/read")

RESOURCES = (
    ResourceType("Microsoft.Storage/storageAccounts", "storage",
                 f"{PROVIDERS}/Microsoft.Storage/storageAccounts",
                 "Microsoft.Storage/storageAccounts/read", "2023-05-01",
                 details=(Detail("blobServiceProperties", "blobServices/default", "2023-05-01",
                                 "Microsoft.Storage/storageAccounts/blobServices/read",
                                 many=False),
                          Detail("fileServiceProperties", "fileServices/default", "2023-05-01",
                                 "Microsoft.Storage/storageAccounts/fileServices/read",
                                 many=False))),
    ResourceType("Microsoft.KeyVault/vaults", "keyvault",
                 f"{PROVIDERS}/Microsoft.KeyVault/vaults",
                 "Microsoft.KeyVault/vaults/read", "2023-07-01",
                 details=(Detail("keys", "keys", "2023-07-01",
                                 "Microsoft.KeyVault/vaults/keys/read"),
                          Detail("secrets", "secrets", "2023-07-01",
                                 "Microsoft.KeyVault/vaults/secrets/read"),
                          DIAGNOSTICS)),
)
