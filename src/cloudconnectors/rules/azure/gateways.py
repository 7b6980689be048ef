"""CIS Azure 7.9, 7.10 and 7.12-7.15: Application Gateway, its WAF policies and VPN gateways."""

from __future__ import annotations

from typing import Any

from cloudconnectors.rules.azure.base import dig, lower, props, resource_rule
from cloudconnectors.rules.model import (
    PASS,
    Context,
    Data,
    Rule,
    Severity,
    Verdict,
    failed,
    manual,
    not_applicable,
)

APP_GATEWAY = "Microsoft.Network/applicationGateways"
WAF_POLICY = "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies"
VPN_GATEWAY = "Microsoft.Network/virtualNetworkGateways"
#: Predefined SSL policies whose minimum protocol is TLS 1.2 or later.
TLS12_POLICIES = frozenset({"appgwsslpolicy20170401s", "appgwsslpolicy20220101",
                            "appgwsslpolicy20220101s"})
TLS12_VERSIONS = frozenset({"tlsv1_2", "tlsv1_3"})


@resource_rule(
    id="azure.network.app_gateway_waf_enabled", title="Application Gateways run a web "
    "application firewall", severity=Severity.MEDIUM, resource_type=APP_GATEWAY,
    needs=("properties",),
    rationale="A WAF in front of web apps blocks common exploits (OWASP rules, bots) before "
    "they reach the application.",
    remediation="Use the WAF_v2 tier and associate a WAF policy in Prevention mode (az network "
    "application-gateway update --set firewallPolicy.id=<policy>).")
def app_gateway_waf(data: Data, ctx: Context) -> Verdict:
    p = props(data)
    if dig(p, "firewallPolicy", "id") or dig(p, "webApplicationFirewallConfiguration",
                                              "enabled") is True:
        return PASS
    return failed(f"no WAF (tier {dig(p, 'sku', 'tier') or 'unknown'})")


@resource_rule(
    id="azure.network.app_gateway_min_tls_1_2", title="Application Gateway SSL policies "
    "require TLS 1.2 or later", severity=Severity.MEDIUM, resource_type=APP_GATEWAY,
    needs=("properties",),
    rationale="TLS 1.0 and 1.1 are deprecated and weak; the gateway's SSL policy decides what "
    "clients may negotiate.",
    remediation="Listeners > SSL settings: choose AppGwSslPolicy20220101 (or a custom policy "
    "with minimum TLSv1_2) (az network application-gateway ssl-policy set).")
def app_gateway_tls(data: Data, ctx: Context) -> Verdict:
    policy = props(data).get("sslPolicy")
    if not isinstance(policy, dict) or not policy:
        return manual("no SSL policy in the record: the effective default depends on the API "
                      "version the gateway was created with; set one explicitly")
    kind = lower(policy.get("policyType"))
    if kind == "predefined" or (not kind and policy.get("policyName")):
        name = lower(policy.get("policyName"))
        return PASS if name in TLS12_POLICIES else failed(f"SSL policy {policy.get('policyName')}"
                                                          " allows TLS below 1.2")
    version = lower(policy.get("minProtocolVersion"))
    return PASS if version in TLS12_VERSIONS else failed(
        f"minimum protocol is {policy.get('minProtocolVersion') or 'not set'}")


@resource_rule(
    id="azure.network.app_gateway_http2", title="HTTP/2 is enabled on Application Gateways",
    severity=Severity.LOW, resource_type=APP_GATEWAY, needs=("properties",),
    rationale="HTTP/2 multiplexes requests over one TLS connection, which lowers latency and "
    "connection overhead for clients.",
    remediation="Configuration > HTTP2 = Enabled (az network application-gateway update "
    "--http2 Enabled).")
def app_gateway_http2(data: Data, ctx: Context) -> Verdict:
    return PASS if props(data).get("enableHttp2") is True else failed("HTTP/2 is disabled")


def _waf_settings(data: Data) -> dict[str, Any]:
    settings = props(data).get("policySettings")
    return settings if isinstance(settings, dict) else {}


@resource_rule(
    id="azure.network.waf_request_body_inspection", title="WAF policies inspect request "
    "bodies", severity=Severity.MEDIUM, resource_type=WAF_POLICY, needs=("properties",),
    rationale="Without body inspection, injection payloads in POST bodies pass the firewall "
    "unchecked.",
    remediation="WAF policy > Policy settings > Enforce request body inspection = On (az "
    "network application-gateway waf-policy policy-setting update --request-body-check true).")
def waf_body_inspection(data: Data, ctx: Context) -> Verdict:
    if _waf_settings(data).get("requestBodyCheck") is True:
        return PASS
    return failed("requestBodyCheck is off")


@resource_rule(
    id="azure.network.waf_bot_protection", title="WAF policies enable bot protection",
    severity=Severity.LOW, resource_type=WAF_POLICY, needs=("properties",),
    rationale="The bot manager rule set blocks known malicious bots and scanners before they "
    "probe the application.",
    remediation="WAF policy > Managed rules > Assign: add Microsoft_BotManagerRuleSet (az "
    "network application-gateway waf-policy managed-rule rule-set add --type "
    "Microsoft_BotManagerRuleSet --version 1.0).")
def waf_bot_protection(data: Data, ctx: Context) -> Verdict:
    sets = dig(props(data), "managedRules", "managedRuleSets") or []
    if any(lower(s.get("ruleSetType")) == "microsoft_botmanagerruleset" for s in sets
           if isinstance(s, dict)):
        return PASS
    return failed("no Microsoft_BotManagerRuleSet")


@resource_rule(
    id="azure.network.vpn_p2s_entra_only", title="VPN gateway point-to-site connections "
    "authenticate with Microsoft Entra ID only", severity=Severity.MEDIUM,
    resource_type=VPN_GATEWAY, needs=("properties",),
    rationale="Entra ID authentication brings MFA and Conditional Access to VPN sign-ins; "
    "certificates and RADIUS secrets cannot be revoked per user as easily.",
    remediation="Point-to-site configuration > Authentication type = Azure Active Directory "
    "only (az network vnet-gateway update --vpn-auth-type AAD).")
def vpn_entra_only(data: Data, ctx: Context) -> Verdict:
    config = props(data).get("vpnClientConfiguration")
    if lower(props(data).get("gatewayType")) == "expressroute" or not config:
        return not_applicable("no point-to-site configuration")
    kinds = [lower(k) for k in config.get("vpnAuthenticationTypes") or []]
    if kinds == ["aad"]:
        return PASS
    return failed("point-to-site authentication: " + (", ".join(kinds) or "certificate"))


RULES: tuple[Rule, ...] = (
    app_gateway_waf, app_gateway_tls, app_gateway_http2, waf_body_inspection,
    waf_bot_protection, vpn_entra_only,
)
