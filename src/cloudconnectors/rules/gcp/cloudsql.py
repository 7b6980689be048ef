"""CIS GCP 6.x: Cloud SQL database flags per engine (MySQL, PostgreSQL, SQL Server), SSL,
authorized networks, public IPs and backups.

The flag controls are data. A flag that is not set has the engine's default value, named in
each control, so an instance that never touched ``log_min_messages`` passes (the default is
``warning``) and one that never set ``log_connections`` fails (the default is ``off``).
An instance of another engine is not applicable.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from cloudconnectors.rules.gcp.base import resource_rule
from cloudconnectors.rules.gcp.shapes import SQL_INSTANCE
from cloudconnectors.rules.model import (
    PASS,
    Context,
    Data,
    ResourceRule,
    Rule,
    Severity,
    Verdict,
    failed,
    not_applicable,
)

ENGINES = {"MYSQL": "MySQL", "POSTGRES": "PostgreSQL", "SQLSERVER": "SQL Server"}
OPEN_NETWORKS = frozenset({"0.0.0.0/0", "::/0"})
NEEDS = ("databaseVersion",)


@dataclass(frozen=True)
class FlagControl:
    """``allowed`` None means the flag must not be set at all."""

    engine: str
    flag: str
    allowed: frozenset[str] | None
    default: str | None
    wanted: str  # how the title says the good value
    rationale: str
    severity: Severity = Severity.MEDIUM

    @property
    def slug(self) -> str:
        return self.flag.replace("cloudsql.", "").replace(" ", "_").replace("-", "_")


def flag_value(data: Data, flag: str) -> str | None:
    """The (lower-cased) value of one database flag, or None when it is not set."""
    for entry in (data.get("settings") or {}).get("databaseFlags") or ():
        if str(entry.get("name", "")).lower() == flag:
            return str(entry.get("value", "")).lower()
    return None


def engine_of(data: Data) -> str:
    return str(data["databaseVersion"]).split("_", 1)[0]


def check_flag(control: FlagControl, data: Data, ctx: Context) -> Verdict:
    if engine_of(data) != control.engine:
        return not_applicable(f"{data['databaseVersion']} instance")
    value = flag_value(data, control.flag.lower())
    if control.allowed is None:
        return failed(f"{control.flag} is set to {value}") if value is not None else PASS
    effective = value if value is not None else control.default
    if effective in control.allowed:
        return PASS
    shown = f"{value}" if value is not None else f"not set (default {control.default})"
    return failed(f"{control.flag} is {shown}")


def _flag_rule(control: FlagControl) -> ResourceRule:
    engine = ENGINES[control.engine]
    setting = (f"--database-flags={control.flag}={sorted(control.allowed)[0]}"
               if control.allowed else f"--clear-database-flags (drop {control.flag})")
    return resource_rule(
        id=f"gcp.cloudsql.{control.engine.lower()}_{control.slug}",
        title=f"Cloud SQL {engine} flag '{control.flag}' is {control.wanted}",
        severity=control.severity, resource_type=SQL_INSTANCE, needs=NEEDS,
        rationale=control.rationale,
        remediation=f"gcloud sql instances patch INSTANCE {setting} (patching replaces the "
        "whole flag list: repeat the flags to keep; some flags restart the instance).",
    )(partial(check_flag, control))


def _on(engine: str, flag: str, rationale: str, default: str = "off") -> FlagControl:
    return FlagControl(engine, flag, frozenset({"on"}), default, "on", rationale)


def _off(engine: str, flag: str, rationale: str, default: str = "off") -> FlagControl:
    return FlagControl(engine, flag, frozenset({"off"}), default, "off", rationale)


FLAGS: tuple[FlagControl, ...] = (
    _on("MYSQL", "skip_show_database", "SHOW DATABASES otherwise lists every database to "
        "any user, which maps the server for an attacker."),
    _off("MYSQL", "local_infile", "LOAD DATA LOCAL lets a compromised or malicious server "
         "read files from the client.", default="on"),
    FlagControl("POSTGRES", "log_error_verbosity", frozenset({"default", "terse"}), "default",
                "DEFAULT or stricter", "VERBOSE error logs fill the log with detail that "
                "hides the entries that matter.", Severity.LOW),
    _on("POSTGRES", "log_connections", "Without connection logs nobody can tell who "
        "connected, from where, or how often an attempt failed."),
    _on("POSTGRES", "log_disconnections", "Disconnection logs give session lengths, which "
        "show unusual sessions."),
    FlagControl("POSTGRES", "log_statement", frozenset({"ddl", "mod", "all"}), "none",
                "ddl (or mod, all)", "Logging schema changes is the minimum for an audit "
                "trail of what was done to the database.", Severity.LOW),
    FlagControl("POSTGRES", "log_min_messages", frozenset({"warning", "error", "log",
                                                           "fatal", "panic"}), "warning",
                "warning or higher", "Below warning the log floods with debug and notice "
                "messages; a consistent level keeps it usable.", Severity.LOW),
    FlagControl("POSTGRES", "log_min_error_statement", frozenset({"error", "log", "fatal",
                                                                  "panic"}), "error",
                "error or stricter", "Statements that cause errors are logged, so failed "
                "injection attempts show up.", Severity.LOW),
    FlagControl("POSTGRES", "log_min_duration_statement", frozenset({"-1"}), "-1",
                "-1 (disabled)", "Logging statement durations writes whole statements, "
                "sensitive values included, into the log.", Severity.LOW),
    _on("POSTGRES", "cloudsql.enable_pgaudit", "pgAudit records who ran which statement on "
        "which object, which plain logs do not."),
    _off("SQLSERVER", "external scripts enabled", "External scripts run R or Python code "
         "outside the database engine's security boundary."),
    _off("SQLSERVER", "cross db ownership chaining", "Ownership chaining across databases "
         "lets a user reach objects in another database without a permission check."),
    FlagControl("SQLSERVER", "user connections", frozenset({"0"}), "0",
                "not limiting (0)", "A connection cap lets a client exhaust the connections "
                "and lock everyone else out.", Severity.LOW),
    FlagControl("SQLSERVER", "user options", None, None, "not configured",
                "Global user options change query behaviour for every session, behind the "
                "back of application code.", Severity.LOW),
    _off("SQLSERVER", "remote access", "Remote access lets stored procedures run from and "
         "on other servers, an avenue for attacks between instances.", default="on"),
    _on("SQLSERVER", "3625", "Trace flag 3625 masks parameters in error messages sent to "
        "users who are not sysadmin, so errors leak less."),
    _off("SQLSERVER", "contained database authentication", "Contained database users "
         "authenticate inside the database, outside the server's login policies."),
)


def _settings(data: Data) -> Data:
    settings = data.get("settings")
    return settings if isinstance(settings, dict) else {}


@resource_rule(
    id="gcp.cloudsql.require_ssl", title="Cloud SQL instances require SSL for all incoming "
    "connections", severity=Severity.HIGH, resource_type=SQL_INSTANCE, needs=NEEDS,
    rationale="Unencrypted database connections expose credentials and data to anyone on "
    "the network path.",
    remediation="gcloud sql instances patch INSTANCE --ssl-mode=ENCRYPTED_ONLY (or "
    "TRUSTED_CLIENT_CERTIFICATE_REQUIRED).")
def require_ssl(data: Data, ctx: Context) -> Verdict:
    ip = _settings(data).get("ipConfiguration") or {}
    mode = ip.get("sslMode")
    if mode in ("ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED") or (
            mode is None and ip.get("requireSsl")):
        return PASS
    return failed(f"sslMode is {mode or 'ALLOW_UNENCRYPTED_AND_ENCRYPTED'}")


@resource_rule(
    id="gcp.cloudsql.no_open_authorized_networks", title="Cloud SQL instances do not allow "
    "all public addresses", severity=Severity.CRITICAL, resource_type=SQL_INSTANCE,
    needs=NEEDS,
    rationale="An authorized network of 0.0.0.0/0 lets the whole internet try the "
    "database's logins.",
    remediation="Remove 0.0.0.0/0 from the authorized networks and list only the addresses "
    "that need to connect (or use private IP and the Cloud SQL Auth Proxy).")
def no_open_networks(data: Data, ctx: Context) -> Verdict:
    ip = _settings(data).get("ipConfiguration") or {}
    open_ = [str(n.get("value")) for n in ip.get("authorizedNetworks") or []
             if n.get("value") in OPEN_NETWORKS]
    return failed("authorized network " + ", ".join(open_)) if open_ else PASS


@resource_rule(
    id="gcp.cloudsql.no_public_ip", title="Cloud SQL instances have no public IP",
    severity=Severity.HIGH, resource_type=SQL_INSTANCE, needs=NEEDS,
    rationale="A private address keeps the database off the internet entirely; a public "
    "one depends on the authorized networks being right forever.",
    remediation="Configure private IP on a VPC and turn off public IP (gcloud sql instances "
    "patch INSTANCE --no-assign-ip).")
def no_public_ip(data: Data, ctx: Context) -> Verdict:
    public = [str(a.get("ipAddress")) for a in data.get("ipAddresses") or []
              if a.get("type") == "PRIMARY"]
    if public:
        return failed("public address " + ", ".join(public))
    if (_settings(data).get("ipConfiguration") or {}).get("ipv4Enabled"):
        return failed("public IPv4 is enabled")
    return PASS


@resource_rule(
    id="gcp.cloudsql.automated_backups", title="Cloud SQL instances have automated backups",
    severity=Severity.MEDIUM, resource_type=SQL_INSTANCE, needs=NEEDS,
    rationale="Backups are what brings data back after deletion, corruption or ransomware.",
    remediation="gcloud sql instances patch INSTANCE --backup-start-time=HH:MM.")
def automated_backups(data: Data, ctx: Context) -> Verdict:
    if data.get("instanceType") == "READ_REPLICA_INSTANCE":
        return not_applicable("read replicas are backed up through their primary")
    if (_settings(data).get("backupConfiguration") or {}).get("enabled"):
        return PASS
    return failed("automated backups are off")


RULES: tuple[Rule, ...] = (
    *(_flag_rule(c) for c in FLAGS), require_ssl, no_open_networks, no_public_ip,
    automated_backups,
)
