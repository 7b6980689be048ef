"""Microsoft Entra ID's v2.0 endpoints: OpenID configuration and client-credentials tokens."""

from __future__ import annotations

from urllib.parse import parse_qs

from cloudconnectors.demo.azure_sandbox.answers import Answer, aad_error, ok
from cloudconnectors.demo.azure_sandbox.world import World

__all__ = ["handle_login"]


def handle_login(world: World, base: str, method: str, path: str, body: bytes) -> Answer:
    parts = [p for p in path.split("?", 1)[0].split("/") if p]
    if len(parts) < 2:
        return aad_error(404, "invalid_request", 900561, "The endpoint does not exist.")
    tenant = parts[0].lower()
    if tenant not in world.tenants:
        return aad_error(400, "invalid_tenant", 90002, f"Tenant '{parts[0]}' not found. Check to "
                         "make sure you have the correct tenant ID and are signing into the "
                         "correct cloud.")
    rest = "/".join(parts[1:])
    if method == "GET" and rest == "v2.0/.well-known/openid-configuration":
        return ok(_openid(base, tenant))
    if method == "POST" and rest == "oauth2/v2.0/token":
        return _token(world, tenant, body)
    return aad_error(404, "invalid_request", 900561, "The endpoint does not exist.")


def _openid(base: str, tenant: str) -> dict[str, object]:
    root = f"{base}/{tenant}"
    return {
        "token_endpoint": f"{root}/oauth2/v2.0/token",
        "authorization_endpoint": f"{root}/oauth2/v2.0/authorize",
        "device_authorization_endpoint": f"{root}/oauth2/v2.0/devicecode",
        "issuer": f"{base}/{tenant}/v2.0",
        "jwks_uri": f"{root}/discovery/v2.0/keys",
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt",
                                                  "client_secret_basic"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "tenant_region_scope": "EU",
    }


def _token(world: World, tenant: str, body: bytes) -> Answer:
    form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
    if form.get("grant_type") != "client_credentials":
        return aad_error(400, "unsupported_grant_type", 70003,
                         "The app requested an unsupported grant type.")
    client_id = form.get("client_id", "").lower()
    app = world.tenants[tenant].get(client_id)
    if app is None:
        return aad_error(400, "unauthorized_client", 700016,
                         f"Application with identifier '{client_id}' was not found in the "
                         f"directory '{tenant}'. This can happen if the application has not "
                         "been installed by the administrator of the tenant or consented to "
                         "by any user in the tenant. You may have sent your authentication "
                         "request to the wrong tenant.")
    if form.get("client_secret") != app.secret:
        return aad_error(401, "invalid_client", 7000215,
                         "Invalid client secret provided. Ensure the secret being sent in the "
                         "request is the client secret value, not the client secret ID, for a "
                         f"secret added to app '{client_id}'.")
    if app.expired:
        return aad_error(401, "invalid_client", 7000222,
                         f"The provided client secret keys for app '{client_id}' are expired. "
                         "Visit the Azure portal to create new keys for your app: "
                         "https://aka.ms/NewClientSecret, or consider using certificate "
                         "credentials for added security: https://aka.ms/certCreds.")
    scope = form.get("scope", "")
    audience = scope.removesuffix("/.default")
    if not scope.endswith("/.default") or not audience:
        return aad_error(400, "invalid_scope", 1002012,
                         f"The provided value for scope {scope} is not valid. Client "
                         "credential flows must have a scope value with /.default suffixed "
                         "to the resource identifier (application ID URI).")
    token = world.issue_token(tenant, client_id, audience.rstrip("/"))
    return Answer(200, {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                        "access_token": token})
