"""A local stand-in for Microsoft Entra ID, Azure Resource Manager and Microsoft Graph.

It speaks the documented REST shapes over HTTPS with a certificate from a CA made at run time
(``trustme``), so the real ``azure-identity`` and ``azure-core`` clients talk to it exactly as
they talk to Azure: OpenID configuration and the client-credentials token endpoint (with the
AADSTS errors), ARM list endpoints with absolute ``nextLink`` paging and a required
``api-version``, ARM error bodies, effective permissions, throttling with ``Retry-After``, and
Graph with ``@odata.nextLink``. ``make demo``, the tests and the benchmark all run it.

Installed with the ``[demo]`` extra; the production server never imports it.
"""

from cloudconnectors.demo.azure_sandbox.server import AzureSandbox
from cloudconnectors.demo.azure_sandbox.world import App, Fault, Role, World

__all__ = ["App", "AzureSandbox", "Fault", "Role", "World"]
