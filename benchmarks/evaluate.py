"""Benchmark: every built-in rule of a provider (AWS, GCP or Azure) over N synthetic assets.

    /work/main/.venv/bin/python benchmarks/evaluate.py              # AWS, 1,000,000 assets
    /work/main/.venv/bin/python benchmarks/evaluate.py --assets 200000 --stream
    /work/main/.venv/bin/python benchmarks/evaluate.py --provider gcp   # CIS GCP rules
    /work/main/.venv/bin/python benchmarks/evaluate.py --provider azure   # CIS Azure rules
    /work/main/.venv/bin/python benchmarks/evaluate.py --provider azure --heavy

Assets are generated in-process (never stored): a pool of varied records per type (instances,
security groups, buckets, users, NACLs, VPCs, RDS, KMS keys, volumes, ENIs...) is built first
and cycled with fresh keys, so the timing is the engine's. ``--provider azure`` uses the ARM and
Graph records of ``benchmarks/azure_inventory.py`` (NSGs, VNets, storage accounts, key vaults,
web apps, flow logs, role assignments, Entra users...) instead. The result stream is folded by the
same ``ResultTally`` the service uses. Reports assets/s, (asset x applicable rule) evaluations
per second, and peak RSS. ``--stream`` generates items lazily while evaluating (generation
time then counts too, memory stays flat). ``--provider gcp`` runs the GCP rules over the
records of ``benchmarks/gcp_assets.py`` (500 projects, project-level rules once per project).
``--stored N`` instead measures the whole service
path on a temporary SQLite file: N assets stored as one snapshot, then ``evaluate_connector``
(read + JSON decode, rules, findings history, run record) twice, and an HTML export.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import shutil
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from cloudconnectors.reports.tally import ResultTally
from cloudconnectors.rules.model import InventoryItem, ResourceRule
from cloudconnectors.rules.registry import engine_for

NOW = datetime(2026, 11, 1, tzinfo=UTC)
REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-south-1"]
POOL = 500  # distinct records per type

# (type, share of assets)
MIX: list[tuple[str, float]] = [
    ("AWS::EC2::Instance", 0.30), ("AWS::EC2::SecurityGroup", 0.14),
    ("AWS::EC2::Volume", 0.12), ("AWS::EC2::NetworkInterface", 0.10),
    ("AWS::S3::Bucket", 0.08), ("AWS::IAM::User", 0.05), ("AWS::EC2::NetworkAcl", 0.04),
    ("AWS::EC2::VPC", 0.03), ("AWS::RDS::DBInstance", 0.04), ("AWS::KMS::Key", 0.03),
    ("AWS::EC2::Snapshot", 0.03), ("AWS::CloudTrail::Trail", 0.0005),
    ("AWS::Logs::MetricFilter", 0.0015), ("AWS::CloudWatch::Alarm", 0.002),
    ("AWS::EFS::FileSystem", 0.016),
]


def _iso(days: int) -> str:
    return (NOW - timedelta(days=days)).isoformat()


def _tags(r: random.Random) -> list[dict[str, str]]:
    return [{"Key": k, "Value": f"v{r.randint(0, 99)}"}
            for k in r.sample(["Name", "owner", "env", "team", "cost-center"], r.randint(0, 4))]


def _instance(r: random.Random, i: int) -> dict[str, Any]:
    return {
        "InstanceId": f"i-{i:017x}", "ImageId": f"ami-{i:08x}", "InstanceType": "m5.large",
        "State": {"Code": 16, "Name": r.choice(["running"] * 8 + ["stopped", "terminated"])},
        "PrivateIpAddress": f"10.{i % 255}.{r.randint(0, 255)}.{r.randint(1, 254)}",
        "SubnetId": f"subnet-{i:08x}", "VpcId": f"vpc-{i % 50:08x}",
        "LaunchTime": _iso(r.randint(0, 900)), "Architecture": "x86_64",
        "MetadataOptions": {"State": "applied", "HttpTokens": r.choice(["required", "optional"]),
                            "HttpPutResponseHopLimit": 2, "HttpEndpoint": "enabled"},
        "IamInstanceProfile": {"Arn": "arn:aws:iam::1:instance-profile/app"} if r.random() < .7
        else None,
        "SecurityGroups": [{"GroupId": f"sg-{r.randint(0, 999):08x}", "GroupName": "app"}],
        "NetworkInterfaces": [{"NetworkInterfaceId": f"eni-{i:08x}", "Status": "in-use"}],
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvda",
                                 "Ebs": {"VolumeId": f"vol-{i:08x}", "Status": "attached"}}],
        "Tags": _tags(r),
    }


def _security_group(r: random.Random, i: int) -> dict[str, Any]:
    perms = []
    for _ in range(r.randint(0, 6)):
        port = r.choice([22, 80, 443, 3389, 5432, 8080])
        perms.append({"IpProtocol": r.choice(["tcp", "tcp", "tcp", "-1", "udp"]),
                      "FromPort": port, "ToPort": port,
                      "IpRanges": [{"CidrIp": r.choice(["0.0.0.0/0", "10.0.0.0/8"])}],
                      "Ipv6Ranges": [{"CidrIpv6": "::/0"}] if r.random() < .2 else []})
    return {"GroupId": f"sg-{i:08x}", "GroupName": "default" if r.random() < .1 else f"g{i}",
            "VpcId": f"vpc-{i % 50:08x}", "Description": "app", "IpPermissions": perms,
            "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
            "Tags": _tags(r)}


def _bucket(r: random.Random, i: int) -> dict[str, Any]:
    statement = {"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                 "Resource": [f"arn:aws:s3:::b{i}/*"],
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    data: dict[str, Any] = {
        "Name": f"bucket-{i}", "CreationDate": _iso(r.randint(0, 2000)),
        "Region": r.choice(REGIONS),
        "Policy": {"Version": "2012-10-17", "Statement": [statement]} if r.random() < .5
        else None,
        "Acl": {"Owner": {"ID": "x"}, "Grants": []},
        "PublicAccessBlock": {"BlockPublicAcls": True, "IgnorePublicAcls": True,
                              "BlockPublicPolicy": r.random() < .8,
                              "RestrictPublicBuckets": True},
        "Encryption": {"Rules": [{"ApplyServerSideEncryptionByDefault":
                                  {"SSEAlgorithm": "AES256"}}]},
        "Versioning": {"Status": "Enabled", "MFADelete": r.choice(["Enabled", "Disabled"])},
        "Logging": {},
    }
    if r.random() < .05:
        data.pop("Policy")
        data["_cc_errors"] = {"Policy": "AccessDenied"}
    return data


def _user(r: random.Random, i: int) -> dict[str, Any]:
    name = f"user{i}"
    return {
        "UserName": name, "UserId": f"AID{i:016d}", "Arn": f"arn:aws:iam::1:user/{name}",
        "CreateDate": _iso(500), "Path": "/",
        "CredentialReport": {
            "user": name, "password_enabled": r.choice(["true", "false"]),
            "password_last_used": _iso(r.randint(0, 120)), "mfa_active": r.choice(["true",
                                                                                   "false"]),
            "access_key_1_active": "true", "access_key_1_last_used_date": _iso(r.randint(0, 90)),
            "access_key_1_last_rotated": _iso(r.randint(0, 200)), "access_key_2_active": "false",
            "access_key_2_last_used_date": "N/A", "access_key_2_last_rotated": "N/A"},
        "AttachedPolicies": [{"PolicyName": "ReadOnly"}] if r.random() < .3 else [],
        "Policies": [], "MFADevices": [],
        "AccessKeys": [{"AccessKeyId": f"AKIA{i:016d}", "Status": "Active",
                        "CreateDate": _iso(r.randint(0, 200))}],
    }


def _nacl(r: random.Random, i: int) -> dict[str, Any]:
    return {"NetworkAclId": f"acl-{i:08x}", "VpcId": f"vpc-{i % 50:08x}", "IsDefault": False,
            "Entries": [
                {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": False,
                 "CidrBlock": r.choice(["0.0.0.0/0", "10.0.0.0/8"])},
                {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": True,
                 "CidrBlock": "0.0.0.0/0"},
                {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": False,
                 "CidrBlock": "0.0.0.0/0"}]}


def _vpc(r: random.Random, i: int) -> dict[str, Any]:
    logs = [{"FlowLogId": f"fl-{i}", "FlowLogStatus": "ACTIVE", "TrafficType": "ALL"}]
    return {"VpcId": f"vpc-{i:08x}", "CidrBlock": "10.0.0.0/16", "IsDefault": False,
            "State": "available", "FlowLogs": logs if r.random() < .6 else []}


def _rds(r: random.Random, i: int) -> dict[str, Any]:
    return {"DBInstanceIdentifier": f"db{i}", "Engine": "postgres", "DBInstanceClass":
            "db.t3.medium", "StorageEncrypted": r.random() < .8,
            "AutoMinorVersionUpgrade": r.random() < .9, "PubliclyAccessible": r.random() < .1,
            "MultiAZ": False, "Endpoint": {"Address": f"db{i}.x.rds.amazonaws.com"}}


def _key(r: random.Random, i: int) -> dict[str, Any]:
    return {"KeyId": f"k{i}", "KeyArn": f"arn:aws:kms:us-east-1:1:key/k{i}",
            "KeyRotationEnabled": r.random() < .5,
            "KeyMetadata": {"KeyManager": r.choice(["CUSTOMER", "AWS"]), "KeyState": "Enabled",
                            "KeySpec": "SYMMETRIC_DEFAULT", "Origin": "AWS_KMS"}}


def _plain(prefix: str) -> Any:
    def make(r: random.Random, i: int) -> dict[str, Any]:
        return {"Id": f"{prefix}-{i:08x}", "Size": r.randint(8, 500), "State": "available",
                "Encrypted": r.random() < .7, "Tags": _tags(r)}
    return make


MAKERS: dict[str, Any] = {
    "AWS::EC2::Instance": _instance, "AWS::EC2::SecurityGroup": _security_group,
    "AWS::S3::Bucket": _bucket, "AWS::IAM::User": _user, "AWS::EC2::NetworkAcl": _nacl,
    "AWS::EC2::VPC": _vpc, "AWS::RDS::DBInstance": _rds, "AWS::KMS::Key": _key,
    "AWS::EC2::Volume": _plain("vol"), "AWS::EC2::NetworkInterface": _plain("eni"),
    "AWS::EC2::Snapshot": _plain("snap"), "AWS::CloudTrail::Trail": _plain("trail"),
    "AWS::Logs::MetricFilter": _plain("mf"), "AWS::CloudWatch::Alarm": _plain("alarm"),
    "AWS::EFS::FileSystem": _plain("fs"),
}


def generate(total: int, seed: int = 7, provider: str = "aws",
             heavy: bool = False) -> Iterator[InventoryItem]:
    mix, regions, make = MIX, REGIONS, MAKERS.__getitem__
    if provider == "azure":
        import azure_inventory

        mix = azure_inventory.HEAVY_MIX if heavy else azure_inventory.MIX
        regions, make = azure_inventory.REGIONS, azure_inventory.maker
    r = random.Random(seed)
    pools = {t: [make(t)(r, i) for i in range(POOL)] for t, _ in mix}
    weights = [w for _, w in mix]
    types = r.choices([t for t, _ in mix], weights=weights, k=10_000)
    for n in range(total):
        type_ = types[n % 10_000]
        data = pools[type_][n % POOL]
        region = "global" if type_.startswith(("Microsoft.Graph/", "Microsoft.Authorization/",
                                               "Microsoft.Security/")) \
            else regions[n % len(regions)]
        yield InventoryItem(f"{n:032x}", type_, region, f"id-{n}", None, data)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stored(total: int) -> None:
    import tempfile

    import sqlalchemy

    from cloudconnectors.services import reports as service
    from cloudconnectors.storage.db import Database
    from cloudconnectors.storage.tables import (
        AssetRow,
        ConnectorRow,
        PollRunRow,
        SnapshotRow,
        TenantRow,
    )

    folder = tempfile.mkdtemp(prefix="cc-bench-")
    db = Database(f"sqlite:///{folder}/bench.db")
    db.migrate()
    with db.write() as s:
        tenant = TenantRow(name="bench")
        s.add(tenant)
        s.flush()
        connector = ConnectorRow(tenant_id=tenant.id, name="bench", provider="aws",
                                 run_frequency_minutes=240, status="online",
                                 credentials_public={}, credentials_sealed="-")
        s.add(connector)
        s.flush()
        run = PollRunRow(tenant_id=tenant.id, connector_id=connector.id, trigger="cli",
                         state="succeeded", regions=REGIONS)
        s.add(run)
        s.flush()
        snap = SnapshotRow(tenant_id=tenant.id, connector_id=connector.id, run_id=run.id,
                           state="complete", completed_at=NOW)
        s.add(snap)
        s.flush()
        connector.current_snapshot_id = snap.id
        tenant_id, connector_id, snapshot_id = tenant.id, connector.id, snap.id
    with db.write() as s:
        s.execute(sqlalchemy.insert(AssetRow), [
            {"snapshot_id": snapshot_id, "key": i.key, "tenant_id": tenant_id,
             "connector_id": connector_id, "type": i.type, "region": i.region,
             "native_id": i.native_id, "name": None, "data": i.data}
            for i in generate(total)])
    for label in ("first evaluation", "re-evaluation"):
        t0, c0 = time.perf_counter(), time.process_time()
        summary = service.evaluate_connector(db, tenant_id, connector_id)
        print(f"{label} of {total:,} stored assets: {time.perf_counter() - t0:.2f}s wall, "
              f"{time.process_time() - c0:.2f}s CPU; {summary.result_count:,} results, "
              f"history {summary.history}")
    t0 = time.perf_counter()
    html = service.export_report(db, tenant_id, connector_id, "cis_aws_3_0_0", "html")
    print(f"html export: {time.perf_counter() - t0:.2f}s, {len(html.content) / 1e6:.1f} MB")
    print(f"peak RSS: {peak_rss_mb():,.0f} MB")
    db.dispose()
    shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=1_000_000)
    parser.add_argument("--provider", choices=("aws", "gcp", "azure"), default="aws")
    parser.add_argument("--stream", action="store_true",
                        help="generate while evaluating instead of materializing first")
    parser.add_argument("--heavy", action="store_true",
                        help="azure: leave out VMs, disks, NICs and public IPs (no CIS rule "
                        "reads them), so nearly every asset meets several rules")
    parser.add_argument("--stored", type=int, metavar="N",
                        help="measure the service path over N assets stored in SQLite")
    args = parser.parse_args()
    if args.stored:
        stored(args.stored)
        return

    engine = engine_for(args.provider)
    make: Any = generate
    regions: Any = REGIONS
    if args.provider == "gcp":
        import gcp_assets

        make, regions = gcp_assets.generate, gcp_assets.REGIONS
    elif args.provider == "azure":
        def make(total: int) -> Iterator[InventoryItem]:
            return generate(total, provider="azure", heavy=args.heavy)
        regions = ()  # Azure: regions in use come from the inventory
    resource_rules = sum(isinstance(r, ResourceRule) for r in engine.rules)
    t0 = time.perf_counter()
    items: Any = make(args.assets) if args.stream else list(make(args.assets))
    generated = time.perf_counter() - t0

    gc.collect()
    gc.disable()  # results are short-lived tuples; the cycle collector only adds pauses
    tally = ResultTally()
    t1, c1 = time.perf_counter(), time.process_time()
    tally.add_all(engine.evaluate(items, now=NOW, regions=regions))  # as the service folds
    elapsed, cpu = time.perf_counter() - t1, time.process_time() - c1
    gc.enable()

    counts = tally.rule_counts()
    failures = sum(c.failed for c in counts.values())
    print(f"provider: {args.provider}{' (heavy mix)' if args.heavy else ''}")
    print(f"rules: {len(engine.rules)} ({resource_rules} per-resource, "
          f"{len(engine.rules) - resource_rules} account-level)")
    print(f"assets: {args.assets:,} ({'streamed' if args.stream else 'pre-generated'} "
          f"in {generated:.2f}s)")
    print(f"results: {tally.results:,} ({failures:,} failing)")
    print(f"evaluate: {elapsed:.2f}s wall, {cpu:.2f}s CPU (one core; wall above CPU means "
          "the machine was busy)")
    print(f"per CPU second: {args.assets / cpu:,.0f} assets/s, "
          f"{tally.results / cpu:,.0f} rule evaluations/s, "
          f"{args.assets * len(engine.rules) / cpu:,.0f} assets x rules/s")
    print(f"peak RSS: {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
