"""Amazon Web Services provider. Collection lands with issue 3 on this seam."""

from __future__ import annotations

from cloudconnectors.domain.connector import ProviderName
from cloudconnectors.providers.aws.credentials import AwsCredentials
from cloudconnectors.providers.credentials_only import CredentialsOnlyProvider


class AwsProvider(CredentialsOnlyProvider):
    key = ProviderName.AWS
    display_name = "Amazon Web Services"
    credentials_model = AwsCredentials
    vm_types = frozenset({"AWS::EC2::Instance"})
