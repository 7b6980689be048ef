"""CIS GCP 4.x: Compute Engine VMs (service accounts, SSH keys, OS Login, serial port, IP
forwarding, disks, Shielded VM, public IPs, Confidential Computing).

The benchmark excludes VMs that GKE creates for its node pools from the service-account,
SSH-key, forwarding and public-IP checks: GKE manages those settings itself.
"""

from __future__ import annotations

from collections.abc import Iterator

from cloudconnectors.rules.gcp.base import (
    account_rule,
    by_project,
    is_true,
    metadata_value,
    names,
    on,
    project_of,
    resource_rule,
)
from cloudconnectors.rules.gcp.shapes import COMPUTE_PROJECT, DISK, INSTANCE
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

DEFAULT_SA_SUFFIX = "-compute@developer.gserviceaccount.com"
FULL_ACCESS = "https://www.googleapis.com/auth/cloud-platform"


def is_gke_node(data: Data) -> bool:
    labels = data.get("labels")
    if labels and "goog-gke-node" in labels:
        return True
    name = data.get("name")
    return isinstance(name, str) and name.startswith("gke-")


_GKE_NODE = not_applicable("GKE node")  # one shared answer: most checks of a VM start here


def _emails(data: Data) -> list[tuple[str, list[str]]]:
    return [(str(sa.get("email", "")), list(sa.get("scopes") or []))
            for sa in data.get("serviceAccounts") or []]


@resource_rule(
    id="gcp.compute.instance_no_default_service_account", title="VMs do not use the default "
    "Compute Engine service account", severity=Severity.MEDIUM, resource_type=INSTANCE,
    rationale="The default service account holds Editor on the project, so any process on "
    "the VM can change almost anything in it.",
    remediation="Stop the VM, give it a dedicated service account with only the roles it "
    "needs (gcloud compute instances set-service-account), and start it again.")
def no_default_sa(data: Data, ctx: Context) -> Verdict:
    if is_gke_node(data):
        return _GKE_NODE
    default = [e for e, _s in _emails(data) if e.endswith(DEFAULT_SA_SUFFIX)]
    return failed(f"runs as {default[0]}") if default else PASS


@resource_rule(
    id="gcp.compute.instance_default_sa_no_full_access", title="VMs do not use the default "
    "service account with full access to all Cloud APIs", severity=Severity.HIGH,
    resource_type=INSTANCE,
    rationale="The default account with the cloud-platform scope lets every process on the "
    "VM use all of the account's Editor rights through the metadata server.",
    remediation="Stop the VM and either switch to a dedicated service account or limit the "
    "access scopes; then start it again.")
def default_sa_full_access(data: Data, ctx: Context) -> Verdict:
    if is_gke_node(data):
        return _GKE_NODE
    for email, scopes in _emails(data):
        if email.endswith(DEFAULT_SA_SUFFIX) and FULL_ACCESS in scopes:
            return failed(f"{email} with the cloud-platform scope")
    return PASS


@resource_rule(
    id="gcp.compute.instance_block_project_ssh_keys", title="VMs block project-wide SSH "
    "keys", severity=Severity.MEDIUM, resource_type=INSTANCE,
    rationale="A project-wide key opens every VM of the project; one leaked key is then "
    "access to all of them.",
    remediation="Set the instance metadata block-project-ssh-keys=TRUE (or use OS Login).")
def block_project_keys(data: Data, ctx: Context) -> Verdict:
    if is_gke_node(data):
        return _GKE_NODE
    if is_true(metadata_value(data, "block-project-ssh-keys")):
        return PASS
    return failed("project-wide SSH keys are accepted")


@account_rule(
    id="gcp.compute.project_os_login_enabled", title="OS Login is enabled for the project",
    severity=Severity.MEDIUM, resource_types=(COMPUTE_PROJECT, INSTANCE),
    rationale="With OS Login, SSH access follows IAM: removing a user's role or account "
    "removes their access to every VM, and two-factor rules apply.",
    remediation="Set the project metadata enable-oslogin=TRUE and remove instance-level "
    "enable-oslogin=FALSE overrides.")
def os_login(view: SnapshotView) -> Iterator[AccountVerdict]:
    projects = view.of(COMPUTE_PROJECT)
    if not projects:
        yield AccountVerdict(None, Status.MANUAL, f"no {COMPUTE_PROJECT} in the inventory "
                             "(needs compute.projects.get)")
        return
    instances = by_project(view.of(INSTANCE))
    for project in projects:
        if not is_true(metadata_value(project.data, "enable-oslogin",
                                      "commonInstanceMetadata")):
            yield on(project, Status.FAIL, "project metadata does not set enable-oslogin=TRUE")
            continue
        overrides = [i for i in instances.get(project_of(project), ())
                     if (value := metadata_value(i.data, "enable-oslogin")) is not None
                     and not is_true(value)]
        if overrides:
            yield on(project, Status.FAIL, "VMs turn OS Login off: " + names(overrides))
        else:
            yield on(project, Status.PASS)


@resource_rule(
    id="gcp.compute.instance_serial_port_disabled", title="Connecting to serial ports is "
    "off for VMs", severity=Severity.MEDIUM, resource_type=INSTANCE,
    rationale="The interactive serial console accepts connections from any address and "
    "is not covered by firewall rules.",
    remediation="Set the instance metadata serial-port-enable=FALSE (or remove it).")
def serial_port(data: Data, ctx: Context) -> Verdict:
    if is_true(metadata_value(data, "serial-port-enable")):
        return failed("serial-port-enable is on")
    return PASS


@resource_rule(
    id="gcp.compute.instance_no_ip_forwarding", title="IP forwarding is off for VMs",
    severity=Severity.MEDIUM, resource_type=INSTANCE,
    rationale="A forwarding VM can send and receive packets for addresses that are not its "
    "own, which lets it route around network controls.",
    remediation="IP forwarding is set at creation: recreate the VM without "
    "--can-ip-forward (unless it is a deliberate network appliance).")
def no_ip_forwarding(data: Data, ctx: Context) -> Verdict:
    if is_gke_node(data):
        return _GKE_NODE
    return failed("canIpForward is true") if data.get("canIpForward") else PASS


@resource_rule(
    id="gcp.compute.disk_csek_encryption", title="VM disks are encrypted with "
    "customer-supplied keys (CSEK)", severity=Severity.LOW, resource_type=DISK,
    rationale="With a customer-supplied key Google cannot read the disk without the key the "
    "customer provides at each start; a copy of the disk alone is useless.",
    remediation="Create the disk with --csek-key-file (existing disks must be recreated "
    "from a snapshot with the key).")
def disk_csek(data: Data, ctx: Context) -> Verdict:
    if (data.get("diskEncryptionKey") or {}).get("sha256"):
        return PASS
    if (data.get("diskEncryptionKey") or {}).get("kmsKeyName"):
        return failed("encrypted with a Cloud KMS key, not a customer-supplied one")
    return failed("encrypted with a Google-managed key")


@resource_rule(
    id="gcp.compute.instance_shielded_vm", title="VMs run with Shielded VM (vTPM and "
    "integrity monitoring)", severity=Severity.MEDIUM, resource_type=INSTANCE,
    rationale="Shielded VM measures the boot chain, so a rootkit or a tampered kernel is "
    "detected instead of running unnoticed.",
    remediation="Stop the VM, enable vTPM and integrity monitoring (and Secure Boot) under "
    "Shielded VM, start it again; the image must support Shielded VM.")
def shielded_vm(data: Data, ctx: Context) -> Verdict:
    config = data.get("shieldedInstanceConfig") or {}
    missing = [k for k in ("enableVtpm", "enableIntegrityMonitoring") if not config.get(k)]
    return failed("Shielded VM lacks " + ", ".join(missing)) if missing else PASS


@resource_rule(
    id="gcp.compute.instance_no_public_ip", title="VMs have no public IP address",
    severity=Severity.HIGH, resource_type=INSTANCE,
    rationale="A public address puts the VM on the internet, one firewall mistake away "
    "from attack; load balancers, IAP and Cloud NAT cover the usual needs.",
    remediation="Remove the access configs of the network interfaces (gcloud compute "
    "instances delete-access-config) and use Cloud NAT or a load balancer.")
def no_public_ip(data: Data, ctx: Context) -> Verdict:
    if is_gke_node(data):
        return _GKE_NODE
    public = [str(c.get("natIP") or "ephemeral") for nic in data.get("networkInterfaces") or []
              for c in nic.get("accessConfigs") or []]
    public += [str(c.get("externalIpv6") or "IPv6") for nic in data.get("networkInterfaces")
               or [] for c in nic.get("ipv6AccessConfigs") or []]
    return failed("public address " + ", ".join(public)) if public else PASS


@resource_rule(
    id="gcp.compute.instance_confidential_computing", title="VMs have Confidential "
    "Computing enabled", severity=Severity.LOW, resource_type=INSTANCE,
    rationale="Confidential VMs keep memory encrypted with a key the host cannot read, so "
    "data in use is protected too.",
    remediation="Recreate the VM on a supported machine type (N2D, C2D, C3...) with "
    "--confidential-compute.")
def confidential(data: Data, ctx: Context) -> Verdict:
    config = data.get("confidentialInstanceConfig") or {}
    if config.get("enableConfidentialCompute") or config.get("confidentialInstanceType"):
        return PASS
    return failed("Confidential Computing is off")


RULES: tuple[Rule, ...] = (
    no_default_sa, default_sa_full_access, block_project_keys, os_login, serial_port,
    no_ip_forwarding, disk_csek, shielded_vm, no_public_ip, confidential,
)
