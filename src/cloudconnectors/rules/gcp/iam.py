"""CIS GCP 1.x: corporate identities, service accounts and their keys, separation of
duties, KMS keys, API keys and essential contacts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from cloudconnectors.rules.gcp.base import (
    Projects,
    account_rule,
    bindings,
    names,
    on,
    parse_time,
    per_project,
    project_of,
    project_policy,
    public_members,
    resource_rule,
    roles_by_member,
)
from cloudconnectors.rules.gcp.shapes import (
    API_KEY,
    CONTACT,
    CRYPTO_KEY,
    IAM_POLICY,
    ORGANIZATION,
    PROJECT,
    SERVICE_ACCOUNT,
    SERVICE_ACCOUNT_KEY,
)
from cloudconnectors.rules.model import (
    PASS,
    AccountVerdict,
    Context,
    Data,
    InventoryItem,
    Rule,
    Severity,
    Status,
    Verdict,
    failed,
    manual,
    not_applicable,
    passed,
)
from cloudconnectors.rules.snapshot import SnapshotView

NINETY_DAYS = timedelta(days=90)
CONSUMER_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
SA_USER_ROLES = ("roles/iam.serviceAccountUser", "roles/iam.serviceAccountTokenCreator")
KMS_USE_ROLES = frozenset({"roles/cloudkms.cryptoKeyEncrypterDecrypter",
                           "roles/cloudkms.cryptoKeyEncrypter",
                           "roles/cloudkms.cryptoKeyDecrypter"})
CONTACT_CATEGORIES = ("LEGAL", "SECURITY", "SUSPENSION", "TECHNICAL", "TECHNICAL_INCIDENTS")
OPEN_IPS = frozenset({"0.0.0.0/0", "::/0"})


# --- 1.1 corporate login credentials ----------------------------------------------------------

def _org_domains(view: SnapshotView) -> set[str]:
    return {str(o.data.get("displayName", "")).lower() for o in view.of(ORGANIZATION)
            if o.data.get("displayName")}


def _corporate(project: InventoryItem, projects: Projects) -> Verdict:
    policy, why = project_policy(project)
    if why:
        return manual(why)
    users = sorted({m.split(":", 1)[1].lower() for _r, members in bindings(policy)
                    for m in members if m.startswith("user:")})
    consumer = [u for u in users if u.rsplit("@", 1)[-1] in CONSUMER_DOMAINS]
    if consumer:
        return failed("consumer accounts hold roles: " + ", ".join(consumer[:5]))
    if not users:
        return passed("no user accounts in the project's IAM policy")
    domains = _org_domains(projects.view)
    if not domains:
        return manual("the organization's domain was not read (needs "
                      "resourcemanager.organizations.get); users: " + ", ".join(users[:5]))
    outside = [u for u in users if u.rsplit("@", 1)[-1] not in domains]
    if outside:
        return failed("accounts outside " + ", ".join(sorted(domains)) + ": "
                      + ", ".join(outside[:5]))
    return PASS


@account_rule(
    id="gcp.iam.corporate_login_credentials", title="Only corporate accounts hold roles in "
    "the project", severity=Severity.HIGH, resource_types=(PROJECT, ORGANIZATION),
    rationale="Accounts of the organization's own domain are managed, audited and removed "
    "when people leave; a personal address is outside all of that.",
    remediation="Replace personal accounts in the IAM policy with accounts of the "
    "organization's domain, and set the Domain Restricted Sharing organization policy "
    "(iam.allowedPolicyMemberDomains).")
def corporate_login(view: SnapshotView) -> Iterator[AccountVerdict]:
    return per_project(view, _corporate)


# --- 1.4 / 1.7 service account keys ------------------------------------------------------------

def _user_managed(data: Data) -> bool:
    return bool(data["keyType"] == "USER_MANAGED")


@resource_rule(
    id="gcp.iam.sa_no_user_managed_keys", title="Service accounts have only Google-managed "
    "keys", severity=Severity.HIGH, resource_type=SERVICE_ACCOUNT_KEY, needs=("keyType",),
    rationale="A downloadable key works from anywhere until it is deleted, and keys leak "
    "through source code, laptops and tickets; Google-managed keys never leave Google.",
    remediation="Delete user-managed keys (gcloud iam service-accounts keys delete) and let "
    "workloads use attached service accounts or Workload Identity Federation; enforce the "
    "iam.disableServiceAccountKeyCreation organization policy.")
def sa_no_user_managed_keys(data: Data, ctx: Context) -> Verdict:
    if _user_managed(data):
        return failed("user-managed key" + (" (disabled)" if data.get("disabled") else ""))
    return PASS


@resource_rule(
    id="gcp.iam.sa_key_rotated_90_days", title="User-managed service account keys are "
    "rotated within 90 days", severity=Severity.MEDIUM, resource_type=SERVICE_ACCOUNT_KEY,
    needs=("keyType",),
    rationale="The older a key, the more places it has been copied to; rotation bounds how "
    "long a leaked key stays useful.",
    remediation="Create a new key, move the workload to it, then delete the old key.")
def sa_key_rotated(data: Data, ctx: Context) -> Verdict:
    if not _user_managed(data):
        return not_applicable("Google-managed key (rotated by Google)")
    created = parse_time(data.get("validAfterTime"))
    if created is None:
        return manual("validAfterTime was not collected (needs iam.serviceAccountKeys.list)")
    age = (ctx.now - created).days
    if ctx.now - created > NINETY_DAYS:
        return failed(f"key is {age} days old")
    return passed(f"key is {age} days old")


# --- 1.5 service accounts without admin roles --------------------------------------------------

def _is_admin_role(role: str) -> bool:
    return role in ("roles/owner", "roles/editor") or "admin" in role.lower()


@account_rule(
    id="gcp.iam.sa_no_admin_privileges", title="Service accounts hold no admin, owner or "
    "editor role", severity=Severity.HIGH, resource_types=(PROJECT, SERVICE_ACCOUNT),
    rationale="Whoever can act as a service account inherits its roles without a person "
    "in the loop; an admin role there turns one leaked key or one compromised VM into full "
    "control.",
    remediation="Remove roles/owner, roles/editor and *Admin roles from service accounts in "
    "the project's IAM policy and grant the narrow roles the workload needs.")
def sa_no_admin(view: SnapshotView) -> Iterator[AccountVerdict]:
    admin_roles: dict[str, set[str]] = {}
    unread: list[str] = []
    for project in view.of(PROJECT):
        policy, why = project_policy(project)
        if why:
            unread.append(f"{project.name or project.native_id}: {why}")
            continue
        for member, roles in roles_by_member(policy).items():
            if member.startswith("serviceAccount:"):
                admin_roles.setdefault(member.split(":", 1)[1].lower(), set()).update(
                    r for r in roles if _is_admin_role(r))
    for sa in view.of(SERVICE_ACCOUNT):
        email = str(sa.data.get("email", sa.native_id)).lower()
        held = sorted(admin_roles.get(email, ()))
        if held:
            yield on(sa, Status.FAIL, "holds " + ", ".join(held))
        elif unread:
            yield on(sa, Status.MANUAL, unread[0])
        else:
            yield on(sa, Status.PASS)


# --- 1.6 / 1.8 / 1.11 project IAM policy ---------------------------------------------------------

def _no_sa_user_roles(project: InventoryItem, projects: Projects) -> Verdict:
    policy, why = project_policy(project)
    if why:
        return manual(why)
    granted = sorted(f"{role}: {', '.join(members[:3])}" for role, members in bindings(policy)
                     if role in SA_USER_ROLES and members)
    return failed("granted at project level: " + "; ".join(granted)) if granted else PASS


@account_rule(
    id="gcp.iam.no_sa_user_roles_at_project_level", title="Service Account User and Token "
    "Creator are not granted at project level", severity=Severity.HIGH,
    resource_types=(PROJECT,),
    rationale="Granted on the project, these roles let a member act as every service "
    "account in it, including ones far more privileged than the member.",
    remediation="Remove the project-level bindings and grant the roles on the individual "
    "service accounts that need them.")
def no_sa_user_roles(view: SnapshotView) -> Iterator[AccountVerdict]:
    return per_project(view, _no_sa_user_roles)


def _separation(project: InventoryItem, admin: str, uses: frozenset[str]) -> Verdict:
    policy, why = project_policy(project)
    if why:
        return manual(why)
    both = sorted(m for m, roles in roles_by_member(policy).items()
                  if admin in roles and roles & uses)
    if both:
        return failed(f"{admin} together with a usage role: " + ", ".join(both[:5]))
    return PASS


@account_rule(
    id="gcp.iam.sa_separation_of_duties", title="No member is both Service Account Admin "
    "and Service Account User", severity=Severity.MEDIUM, resource_types=(PROJECT,),
    rationale="A member who can create service accounts and also act as them can grant "
    "itself any permission through a new account; splitting the roles needs two people.",
    remediation="Give roles/iam.serviceAccountAdmin and roles/iam.serviceAccountUser to "
    "different members.")
def sa_separation(view: SnapshotView) -> Iterator[AccountVerdict]:
    return per_project(view, lambda p, _v: _separation(
        p, "roles/iam.serviceAccountAdmin", frozenset({"roles/iam.serviceAccountUser"})))


@account_rule(
    id="gcp.iam.kms_separation_of_duties", title="No member is both Cloud KMS Admin and a "
    "key user", severity=Severity.MEDIUM, resource_types=(PROJECT,),
    rationale="Managing keys and using them to decrypt are different duties; one member "
    "with both can read protected data and cover the traces.",
    remediation="Give roles/cloudkms.admin and the CryptoKey Encrypter/Decrypter roles to "
    "different members.")
def kms_separation(view: SnapshotView) -> Iterator[AccountVerdict]:
    return per_project(view, lambda p, _v: _separation(p, "roles/cloudkms.admin",
                                                       KMS_USE_ROLES))


# --- 1.9 / 1.10 KMS keys ------------------------------------------------------------------------

@resource_rule(
    id="gcp.kms.key_not_public", title="Cloud KMS keys are not anonymously or publicly "
    "accessible", severity=Severity.CRITICAL, resource_type=CRYPTO_KEY, needs=(IAM_POLICY,),
    rationale="A key bound to allUsers or allAuthenticatedUsers can be used by anyone on "
    "the internet to decrypt what it protects.",
    remediation="Remove allUsers and allAuthenticatedUsers from the key's IAM policy.")
def kms_key_not_public(data: Data, ctx: Context) -> Verdict:
    public = public_members(data[IAM_POLICY])
    return failed("public bindings: " + ", ".join(public)) if public else PASS


@resource_rule(
    id="gcp.kms.key_rotation_90_days", title="Cloud KMS keys rotate within 90 days",
    severity=Severity.MEDIUM, resource_type=CRYPTO_KEY, needs=("purpose",),
    rationale="Rotation limits how much data one key version protects and how long a "
    "compromised version stays useful.",
    remediation="Set a rotation period of 90 days or less and a next rotation time "
    "(gcloud kms keys update --rotation-period=90d --next-rotation-time=...).")
def kms_key_rotation(data: Data, ctx: Context) -> Verdict:
    if data["purpose"] != "ENCRYPT_DECRYPT":
        return not_applicable(f"{data['purpose']} keys do not rotate automatically")
    period = str(data.get("rotationPeriod") or "")
    if not period:
        return failed("no rotation period")
    seconds = float(period.rstrip("s"))
    if seconds > NINETY_DAYS.total_seconds():
        return failed(f"rotation period is {seconds / 86400:g} days")
    next_time = parse_time(data.get("nextRotationTime"))
    if next_time is None or next_time - ctx.now > NINETY_DAYS:
        return failed("no next rotation within 90 days")
    return passed(f"rotates every {seconds / 86400:g} days")


# --- 1.12 - 1.15 API keys ------------------------------------------------------------------------

def _no_api_keys(project: InventoryItem, projects: Projects) -> Verdict:
    keys = projects.of(API_KEY, project_of(project))
    return failed(f"{len(keys)} API key(s): {names(keys)}") if keys else PASS


@account_rule(
    id="gcp.apikeys.none_in_project", title="No API keys exist in the project",
    severity=Severity.MEDIUM, resource_types=(PROJECT, API_KEY),
    rationale="An API key is a bearer secret with no identity behind it, often embedded in "
    "apps and web pages; service accounts and OAuth are safer for almost every use.",
    remediation="Delete keys that are not needed (gcloud services api-keys delete) and move "
    "callers to service accounts or OAuth.")
def no_api_keys(view: SnapshotView) -> Iterator[AccountVerdict]:
    return per_project(view, _no_api_keys)


@resource_rule(
    id="gcp.apikeys.restricted_to_hosts_and_apps", title="API keys are restricted to "
    "specified hosts and apps", severity=Severity.MEDIUM, resource_type=API_KEY,
    rationale="An unrestricted key works from any site, server or app that gets hold of it.",
    remediation="Add an application restriction (HTTP referrers, IP addresses, Android or "
    "iOS apps) that names only the callers that need the key.")
def api_key_hosts(data: Data, ctx: Context) -> Verdict:
    restrictions = data.get("restrictions") or {}
    browser = restrictions.get("browserKeyRestrictions")
    server = restrictions.get("serverKeyRestrictions")
    if not any(restrictions.get(k) for k in ("browserKeyRestrictions", "serverKeyRestrictions",
                                             "androidKeyRestrictions",
                                             "iosKeyRestrictions")):
        return failed("no application restriction")
    referrers = (browser or {}).get("allowedReferrers") or []
    if any(r.strip() in ("*", "*.*", "*/*") for r in referrers):
        return failed("referrer restriction allows any site")
    if OPEN_IPS & set((server or {}).get("allowedIps") or []):
        return failed("IP restriction allows any address")
    return PASS


@resource_rule(
    id="gcp.apikeys.restricted_to_apis", title="API keys are restricted to the APIs they "
    "need", severity=Severity.MEDIUM, resource_type=API_KEY,
    rationale="A key limited to one API cannot be used to call every other enabled API of "
    "the project.",
    remediation="Add API restrictions to the key listing only the services it calls.")
def api_key_apis(data: Data, ctx: Context) -> Verdict:
    targets = (data.get("restrictions") or {}).get("apiTargets") or []
    services = [str(t.get("service", "")) for t in targets]
    if not services:
        return failed("no API restriction")
    if "cloudapis.googleapis.com" in services:
        return failed("restricted to cloudapis.googleapis.com, which is every API")
    return passed("limited to " + ", ".join(services))


@resource_rule(
    id="gcp.apikeys.rotated_90_days", title="API keys are rotated within 90 days",
    severity=Severity.MEDIUM, resource_type=API_KEY, needs=("createTime",),
    rationale="Keys end up in code and logs; replacing them regularly limits how long a "
    "leaked key works.",
    remediation="Create a replacement key, switch the callers, delete the old key.")
def api_key_rotated(data: Data, ctx: Context) -> Verdict:
    created = parse_time(data["createTime"])
    if created is None:
        return manual(f"unreadable createTime {data['createTime']!r}")
    age = (ctx.now - created).days
    return failed(f"key is {age} days old") if ctx.now - created > NINETY_DAYS else passed(
        f"key is {age} days old")


# --- 1.16 essential contacts --------------------------------------------------------------------

def _contacts(project: InventoryItem, projects: Projects) -> Verdict:
    pid = project_of(project)
    covered: set[str] = set()
    # the project's own contacts, and organization or folder contacts stored without one
    for contact in (*projects.of(CONTACT, pid), *projects.of(CONTACT, "")):
        if project_of(contact) == pid or str(contact.data.get("name", "")).startswith(
                ("organizations/", "folders/")):
            covered.update(contact.data.get("notificationCategorySubscriptions") or [])
    if "ALL" in covered:
        return passed("a contact subscribes to all categories")
    missing = [c for c in CONTACT_CATEGORIES if c not in covered]
    if missing:
        return failed("no essential contact for " + ", ".join(missing))
    return PASS


@account_rule(
    id="gcp.essentialcontacts.configured", title="Essential Contacts are configured",
    severity=Severity.MEDIUM, resource_types=(PROJECT, CONTACT),
    rationale="Google sends security, legal, suspension and outage notices to these "
    "contacts; without them the notices reach whoever happens to hold a role, or nobody.",
    remediation="Add essential contacts on the organization for the Legal, Security, "
    "Suspension, Technical and Technical incidents categories (or All).")
def essential_contacts(view: SnapshotView) -> Iterator[AccountVerdict]:
    return per_project(view, _contacts)


RULES: tuple[Rule, ...] = (corporate_login, sa_no_user_managed_keys, sa_no_admin, no_sa_user_roles,
         sa_key_rotated, sa_separation, kms_key_not_public, kms_key_rotation, kms_separation,
         no_api_keys, api_key_hosts, api_key_apis, api_key_rotated, essential_contacts)

