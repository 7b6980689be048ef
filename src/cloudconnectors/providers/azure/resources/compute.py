"""Resource groups, virtual machines (with their extensions) and managed disks."""

from __future__ import annotations

from cloudconnectors.providers.azure.declarations import Detail, ResourceType

SUB = "/subscriptions/{subscription}"

RESOURCES = (
    ResourceType("Microsoft.Compute/virtualMachines", "compute",
                 f"{SUB}/providers/Microsoft.Compute/virtualMachines",
                 "Microsoft.Compute/virtualMachines/read", "2024-07-01", inventory=True,
                 details=(Detail("extensions", "extensions", "2024-07-01",
                                 "Microsoft.Compute/virtualMachines/extensions/read"),)),
    ResourceType("Microsoft.Resources/resourceGroups", "resources", f"{SUB}/resourcegroups",
                 "Microsoft.Resources/subscriptions/resourceGroups/read", "2022-09-01",
                 inventory=True),
    ResourceType("Microsoft.Compute/disks", "compute",
                 f"{SUB}/providers/Microsoft.Compute/disks",
                 "Microsoft.Compute/disks/read", "2024-03-02"),
)
