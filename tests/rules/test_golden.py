"""Golden results: every rule over a small mixed account, compared to a reviewed file.

Regenerate after a deliberate change with ``CC_UPDATE_GOLDEN=1 pytest tests/rules`` and review
the diff like code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.rules.breakers import BREAKERS
from tests.rules.fixtures import drop, edit, good_account
from tests.rules.helpers import run

GOLDEN = Path(__file__).with_name("golden") / "mixed_account.json"
BROKEN = ("aws.iam.root_mfa_enabled", "aws.iam.user_console_mfa", "aws.s3.bucket_deny_http",
          "aws.ec2.sg_no_admin_ingress_ipv4", "aws.cloudwatch.alarm_root_usage",
          "aws.ec2.instance_imdsv2_required", "aws.config.enabled_all_regions")


def mixed_account() -> list:
    items = good_account()
    for rule_id in BROKEN:
        items = BREAKERS[rule_id](items)
    items = drop("AWS::SecurityHub::Hub")(items)

    def refuse(d: dict) -> None:
        d.pop("Versioning")
        d["_cc_errors"] = {"Versioning": "AccessDenied"}

    return edit("AWS::S3::Bucket", refuse, native_id="data")(items)


def results_table() -> list[list[str]]:
    denied = {("AWS::EFS::FileSystem", "elasticfilesystem:DescribeFileSystems")}
    return sorted([r.rule_id, r.resource_type, r.region, r.resource_id, r.status.value,
                   r.reason] for r in run(mixed_account(), denied=denied))


def test_golden_results() -> None:
    table = results_table()
    if os.environ.get("CC_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(table, indent=1) + "\n")
    assert table == json.loads(GOLDEN.read_text())
