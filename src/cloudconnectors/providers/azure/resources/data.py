"""SQL servers (databases with TDE, auditing, firewall, Entra admin, encryption protector)
and PostgreSQL / MySQL flexible servers (configurations as ``{name: value}``, firewall)."""

from __future__ import annotations

from cloudconnectors.providers.azure.declarations import Detail, ResourceType, by_name

PROVIDERS = "/subscriptions/{subscription}/providers"
SQL = "2021-11-01"


def _flexible(namespace: str, version: str) -> ResourceType:
    return ResourceType(
        f"{namespace}/flexibleServers", "databases", f"{PROVIDERS}/{namespace}/flexibleServers",
        f"{namespace}/flexibleServers/read", version,
        details=(Detail("configurations", "configurations", version,
                        f"{namespace}/flexibleServers/configurations/read", transform=by_name),
                 Detail("firewallRules", "firewallRules", version,
                        f"{namespace}/flexibleServers/firewallRules/read")))


RESOURCES = (
    ResourceType("Microsoft.Sql/servers", "sql", f"{PROVIDERS}/Microsoft.Sql/servers",
                 "Microsoft.Sql/servers/read", SQL, details=(
                     Detail("databases", "databases", SQL, "Microsoft.Sql/servers/databases/read",
                            each=(Detail("transparentDataEncryption",
                                         "transparentDataEncryption/current", SQL,
                                         "Microsoft.Sql/servers/databases/"
                                         "transparentDataEncryption/read", many=False),)),
                     Detail("auditingSettings", "auditingSettings/default", SQL,
                            "Microsoft.Sql/servers/auditingSettings/read", many=False),
                     Detail("firewallRules", "firewallRules", SQL,
                            "Microsoft.Sql/servers/firewallRules/read"),
                     Detail("administrators", "administrators", SQL,
                            "Microsoft.Sql/servers/administrators/read"),
                     Detail("encryptionProtector", "encryptionProtector/current", SQL,
                            "Microsoft.Sql/servers/encryptionProtector/read", many=False))),
    _flexible("Microsoft.DBforPostgreSQL", "2022-12-01"),
    _flexible("Microsoft.DBforMySQL", "2023-12-30"),
)
