"""Data services: Cloud SQL, BigQuery, Cloud Storage, Dataproc."""

from __future__ import annotations

from cloudconnectors.providers.gcp.declarations import Detail, ResourceType, Role
from cloudconnectors.providers.gcp.resources.compute import REGIONS

_BQ = "bigquery/v2/projects/{project}/datasets"

DATASET = ResourceType(
    "bigquery.googleapis.com/Dataset", "bigquery", _BQ, "bigquery.datasets.get",
    items="datasets", page_size_param="maxResults", name=None,
    details=(Detail(None, _BQ + "/{item[datasetReference][datasetId]}",
                    "bigquery.datasets.get"),),
)

RESOURCES = (
    ResourceType("sqladmin.googleapis.com/Instance", "sqladmin", "v1/projects/{project}/instances",
                 "cloudsql.instances.list", page_size_param="maxResults"),
    DATASET,
    ResourceType(
        "bigquery.googleapis.com/Table", "bigquery",
        _BQ + "/{parent[datasetReference][datasetId]}/tables", "bigquery.tables.list",
        items="tables", page_size_param="maxResults", name=None, parent=DATASET,
        details=(Detail(None, _BQ + "/{item[tableReference][datasetId]}/tables"
                        "/{item[tableReference][tableId]}", "bigquery.tables.get"),),
    ),
    ResourceType(
        "storage.googleapis.com/Bucket", "storage", "storage/v1/b", "storage.buckets.list",
        params={"project": "{project}"}, page_size_param="maxResults",
        details=(Detail("iamPolicy", "storage/v1/b/{item[name]}/iam",
                        "storage.buckets.getIamPolicy", role=Role.SECURITY_REVIEWER),),
    ),
    ResourceType(
        "dataproc.googleapis.com/Cluster", "dataproc",
        "v1/projects/{project}/regions/{parent[name]}/clusters", "dataproc.clusters.list",
        items="clusters", id="clusterUuid", name="clusterName", parent=REGIONS,
    ),
)
