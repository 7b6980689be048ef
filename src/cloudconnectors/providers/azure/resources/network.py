"""Network interfaces, public IPs, virtual networks (subnets inline), NSGs (rules inline),
network watchers and their flow logs."""

from __future__ import annotations

from cloudconnectors.providers.azure.declarations import ResourceType

NET = "/subscriptions/{subscription}/providers/Microsoft.Network"
VERSION = "2024-05-01"

RESOURCES = (
    ResourceType("Microsoft.Network/networkInterfaces", "network", f"{NET}/networkInterfaces",
                 "Microsoft.Network/networkInterfaces/read", VERSION, inventory=True),
    ResourceType("Microsoft.Network/publicIPAddresses", "network", f"{NET}/publicIPAddresses",
                 "Microsoft.Network/publicIPAddresses/read", VERSION, inventory=True),
    ResourceType("Microsoft.Network/virtualNetworks", "network", f"{NET}/virtualNetworks",
                 "Microsoft.Network/virtualNetworks/read", VERSION, inventory=True),
    ResourceType("Microsoft.Network/networkSecurityGroups", "network",
                 f"{NET}/networkSecurityGroups",
                 "Microsoft.Network/networkSecurityGroups/read", VERSION, inventory=True),
    ResourceType("Microsoft.Network/networkWatchers", "network", f"{NET}/networkWatchers",
                 "Microsoft.Network/networkWatchers/read", VERSION),
    ResourceType("Microsoft.Network/networkWatchers/flowLogs", "network", "flowLogs",
                 "Microsoft.Network/networkWatchers/flowLogs/read", VERSION,
                 parent=f"{NET}/networkWatchers",
                 parent_permission="Microsoft.Network/networkWatchers/read"),
)
