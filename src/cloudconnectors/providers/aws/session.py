"""An assumed-role session on one customer account: region discovery and collection."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from cloudconnectors.config import Settings
from cloudconnectors.domain.errors import AuthenticationFailed, CollectionFailed
from cloudconnectors.providers.aws.declarations import ResourceType
from cloudconnectors.providers.aws.engine import Engine
from cloudconnectors.providers.aws.faults import classify
from cloudconnectors.providers.aws.metering import Meter
from cloudconnectors.providers.aws.options import AwsOptions
from cloudconnectors.providers.aws.platform import make_client
from cloudconnectors.providers.aws.resources import RESOURCES
from cloudconnectors.providers.base import CloudSession, CollectionSink

__all__ = ["AwsSession", "partition_of"]

# Region prefixes of the partitions other than ``aws``; one role lives in one partition, so
# regions of another (which emulators and some SDK data list) are never polled or reported.
_PARTITIONS = (("cn-", "aws-cn"), ("us-gov-", "aws-us-gov"), ("us-isob-", "aws-iso-b"),
               ("us-isof-", "aws-iso-f"), ("eu-isoe-", "aws-iso-e"), ("us-iso-", "aws-iso"))


def partition_of(region: str) -> str:
    """``cn-north-1`` -> ``aws-cn``; ``eu-west-1`` -> ``aws``."""
    return next((name for prefix, name in _PARTITIONS if region.startswith(prefix)), "aws")


class AwsSession(CloudSession):
    """Owns the clients (one per service and region, built once, shared by threads) and the
    call meter. ``collect`` does not call ``sink.regions_discovered``: the poll does, with
    what ``discover_regions`` returned."""

    def __init__(
        self,
        session: boto3.Session,
        settings: Settings,
        options: AwsOptions,
        account_id: str,
        role_arn: str,
        resources: Sequence[ResourceType] = RESOURCES,
    ) -> None:
        self._session = session
        self._settings = settings
        self._options = options
        self.account_id = account_id
        self._role_arn = role_arn
        self._resources = resources
        self._clients: dict[tuple[str, str], Any] = {}
        self._offered: dict[str, frozenset[str] | None] = {}
        self._lock = threading.Lock()
        self.meter = Meter()

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        client = self._clients.get(key)  # a built client needs no lock: threads share it
        if client is not None:
            return client
        with self._lock:  # boto3.Session is not thread-safe; clients are
            client = self._clients.get(key)
            if client is None:
                client = make_client(self._session, service, region, self._settings,
                                     self._options)
                self.meter.attach(client)
                self._clients[key] = client
            return client

    @property
    def home_region(self) -> str:
        """Where account-wide APIs (STS, IAM, Organizations) are called."""
        return self._options.home_region

    def offered_regions(self, service: str) -> frozenset[str] | None:
        """Regions where AWS offers ``service``, from botocore's endpoint data; None when
        the installed SDK does not know the service at all."""
        with self._lock:
            if service not in self._offered:
                if service not in self._session.get_available_services():
                    self._offered[service] = None
                else:
                    regions = self._session.get_available_regions(service)
                    self._offered[service] = frozenset(regions)
            return self._offered[service]

    def discover_regions(self) -> list[str]:
        ec2 = self.client("ec2", self._options.home_region)
        try:
            answer = ec2.describe_regions(AllRegions=True)
        except (ClientError, BotoCoreError) as exc:
            fault = classify(exc, "ec2")
            message = (
                f"listing regions with ec2:DescribeRegions as {self._role_arn} failed: "
                f"{fault.reason}. Attach the AWS-managed SecurityAudit policy to the role "
                "(it allows ec2:DescribeRegions), then press Refresh."
            )
            if fault.permission:
                raise AuthenticationFailed(message) from None
            raise CollectionFailed(message) from None
        partition = partition_of(self._options.home_region)
        enabled = sorted(
            r["RegionName"] for r in answer.get("Regions", [])
            if r.get("OptInStatus") != "not-opted-in"
            and partition_of(str(r["RegionName"])) == partition
        )
        if self._options.regions:
            wanted = set(self._options.regions)
            enabled = [r for r in enabled if r in wanted]
        return enabled

    def collect(self, regions: Sequence[str], sink: CollectionSink) -> None:
        engine = Engine(self._resources, self.client, self.account_id, self._options,
                        self.meter, self.offered_regions)
        engine.run(list(regions), sink)

    def close(self) -> None:
        with self._lock:
            clients = list(self._clients.values())
            self._clients.clear()
        for client in clients:
            client.close()
