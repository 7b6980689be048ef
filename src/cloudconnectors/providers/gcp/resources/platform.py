"""Kubernetes Engine, Cloud Functions, Cloud DNS and Cloud KMS."""

from __future__ import annotations

from cloudconnectors.providers.gcp.declarations import Detail, ResourceType, Role

KMS_LOCATIONS = ResourceType("cloudkms.googleapis.com/Location", "cloudkms",
                             "v1/projects/{project}/locations", "cloudkms.locations.list",
                             items="locations", id="name", emit=False)
KEY_RING = ResourceType("cloudkms.googleapis.com/KeyRing", "cloudkms",
                        "v1/{parent[name]}/keyRings", "cloudkms.keyRings.list",
                        items="keyRings", id="name", parent=KMS_LOCATIONS)

RESOURCES = (
    ResourceType("container.googleapis.com/Cluster", "container",
                 "v1/projects/{project}/locations/-/clusters", "container.clusters.list",
                 items="clusters", page_size_param=None),
    ResourceType("cloudfunctions.googleapis.com/CloudFunction", "cloudfunctions",
                 "v1/projects/{project}/locations/-/functions", "cloudfunctions.functions.list",
                 items="functions", id="name"),
    ResourceType("cloudfunctions.googleapis.com/Function", "cloudfunctions",
                 "v2/projects/{project}/locations/-/functions", "cloudfunctions.functions.list",
                 items="functions", id="name"),
    ResourceType("dns.googleapis.com/ManagedZone", "dns", "dns/v1/projects/{project}/managedZones",
                 "dns.managedZones.list", items="managedZones", page_size_param="maxResults"),
    ResourceType("dns.googleapis.com/Policy", "dns", "dns/v1/projects/{project}/policies",
                 "dns.policies.list", items="policies", page_size_param="maxResults"),
    KEY_RING,
    ResourceType(
        "cloudkms.googleapis.com/CryptoKey", "cloudkms", "v1/{parent[name]}/cryptoKeys",
        "cloudkms.cryptoKeys.list", items="cryptoKeys", id="name", parent=KEY_RING,
        details=(Detail("iamPolicy", "v1/{item[name]}:getIamPolicy",
                        "cloudkms.cryptoKeys.getIamPolicy", role=Role.SECURITY_REVIEWER),),
    ),
)
