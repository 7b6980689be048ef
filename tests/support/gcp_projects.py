"""A GCP connector of two projects, polled from the stand-in and evaluated for real, with the
Essential Contacts listing denied in one of them: the shared start of the per-project report
tests (service, API, CLI, portal)."""

from __future__ import annotations

from cloudconnectors.services import polling, reports
from cloudconnectors.services.connectors import create_connector
from cloudconnectors.services.context import AppContext, Principal
from tests.support.gcp_standin import HOME, ProjectSpec, gcp_lab

OTHER = "data-lake-22"
DENIED = "essentialcontacts.contacts.list"
PROJECTS = (HOME, OTHER)


def two_project_connector(ctx: AppContext, principal: Principal, name: str = "gcp-org") -> str:
    """Create, poll and evaluate; returns the connector ID. The stand-in stops afterwards:
    reports read the stored evaluation only."""
    with gcp_lab([ProjectSpec(HOME, vms=2), ProjectSpec(OTHER, vms=1)]) as lab:
        lab.world.deny(lab.key.email, OTHER, DENIED)
        settings = ctx.settings
        ctx.settings = lab.settings(settings)
        try:
            connector = create_connector(ctx, principal, name=name, provider="gcp",
                                         credentials=lab.credentials).id
            polling.poll_now(ctx, connector)
        finally:
            ctx.settings = settings
    reports.evaluate_connector(ctx.db, principal.tenant_id, connector)
    return connector
