"""EC2 and EBS: instances, networking, volumes, snapshots and images the account owns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cloudconnectors.providers.aws.declarations import Detail, Group, ResourceType, tag

__all__ = ["RESOURCES"]


def _vpc_flow_logs(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"Filter": [{"Name": "resource-id", "Values": [item["VpcId"]]}]}

RESOURCES = (
    ResourceType("AWS::EC2::Instance", "ec2", "DescribeInstances",
                 "Reservations[].Instances[]", "InstanceId", tag("Name")),
    # FlowLogs per VPC (CIS 3.7); the account's flow logs are also listed as their own type.
    ResourceType("AWS::EC2::VPC", "ec2", "DescribeVpcs", "Vpcs", "VpcId", tag("Name"),
                 details=(Detail("FlowLogs", "DescribeFlowLogs", _vpc_flow_logs, "FlowLogs"),)),
    ResourceType("AWS::EC2::Subnet", "ec2", "DescribeSubnets", "Subnets", "SubnetId",
                 tag("Name")),
    ResourceType("AWS::EC2::SecurityGroup", "ec2", "DescribeSecurityGroups",
                 "SecurityGroups", "GroupId", "GroupName"),
    ResourceType("AWS::EC2::NetworkAcl", "ec2", "DescribeNetworkAcls", "NetworkAcls",
                 "NetworkAclId", tag("Name")),
    ResourceType("AWS::EC2::NetworkInterface", "ec2", "DescribeNetworkInterfaces",
                 "NetworkInterfaces", "NetworkInterfaceId", tag("Name")),
    ResourceType("AWS::EC2::FlowLog", "ec2", "DescribeFlowLogs", "FlowLogs", "FlowLogId"),
    ResourceType("AWS::EC2::Volume", "ec2", "DescribeVolumes", "Volumes", "VolumeId",
                 tag("Name")),
    # Snapshots and images have no CloudFormation type; named as AWS Config would.
    ResourceType("AWS::EC2::Snapshot", "ec2", "DescribeSnapshots", "Snapshots", "SnapshotId",
                 tag("Name"), params={"OwnerIds": ["self"]}, pseudo=True),
    ResourceType("AWS::EC2::Image", "ec2", "DescribeImages", "Images", "ImageId", "Name",
                 params={"Owners": ["self"]}, pseudo=True),
    # Account-and-region setting read by CIS "EBS encryption by default".
    ResourceType("AWS::EC2::EBSEncryptionByDefault", "ec2", "GetEbsEncryptionByDefault",
                 "[@]", None, group=Group.CUSTOM, pseudo=True),
)
