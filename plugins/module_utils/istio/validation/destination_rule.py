# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""istiod's admission rules for a DestinationRule (istio's ValidateDestinationRule, validateTrafficPolicy and
agent's ValidateTLS/ValidateLocalityLbSetting), plus the enums, oneOfs and CEL rules of its CRD schema.

Error paths are the camelCase API field paths (``trafficPolicy.connectionPool.tcp.maxConnections``).
"""

from __future__ import annotations

from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import InvalidOption
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.common import (
    Findings,
    check_at_most_one,
    check_duration,
    check_export_to,
    check_labels,
    check_name_and_namespace,
    check_port_number,
    fail,
    fqdn_error,
    indexed,
    is_ip_address,
    is_istio_label,
    key_path,
    parse_duration,
    wildcard_domain_error,
)

_SIMPLE_LB_POLICIES = ("UNSPECIFIED", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST")
_CLIENT_TLS_MODES = ("DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL")
_H2_UPGRADE_POLICIES = ("DEFAULT", "DO_NOT_UPGRADE", "UPGRADE")
_PROXY_PROTOCOL_VERSIONS = ("V1", "V2")
_TUNNEL_PROTOCOLS = ("", "CONNECT", "POST")
_POLICY_FIELDS = ("connectionPool", "loadBalancer", "outlierDetection", "tls")
_TRAFFIC_POLICY_FIELDS = _POLICY_FIELDS + ("portLevelSettings", "tunnel", "proxyProtocol", "retryBudget")
_HASH_KEYS = ("httpHeaderName", "httpCookie", "useSourceIp", "httpQueryParameterName")
_MAGLEV_TABLE_SIZE_LIMIT = 5000011
_TOPOLOGY_LABELS = ("topology.kubernetes.io/region", "topology.kubernetes.io/zone", "topology.istio.io/subzone")
_CONFIGMAP_CREDENTIAL = "configmap://"
_UINT32_MAX = 4294967295


def validate_destination_rule(name: str, namespace: str | None, spec: dict) -> list[InvalidOption]:
    """Every DestinationRule setting istiod (or the API server) would refuse (raised as one InvalidSpec);
    returns istiod's warnings."""
    findings = Findings()
    check_name_and_namespace(findings, "DestinationRule", name, namespace)
    error = wildcard_domain_error(spec.get("host") or "")
    if error:
        findings.error("host", error)
    _check_traffic_policy(findings, "trafficPolicy", spec.get("trafficPolicy"), namespace)
    names: dict[str, str] = {}
    for path, subset in indexed(spec.get("subsets"), "subsets"):
        if subset is None:
            findings.error(path, "subset may not be null")
            continue
        _check_subset(findings, path, subset, namespace)
        subset_name = subset.get("name") or ""
        if subset_name in names:
            findings.error(path + ".name", "duplicate subset name %r (also %s)" % (subset_name, names[subset_name]))
        names.setdefault(subset_name, path)
    selector = spec.get("workloadSelector")
    findings.check(check_export_to, "exportTo", spec.get("exportTo"), namespace, "DestinationRule")
    if selector is not None:
        findings.check(_check_export_to_with_selector, spec.get("exportTo"), namespace)
        _check_workload_selector(findings, "workloadSelector", selector)
    return findings.result()


def _check_subset(findings: Findings, path: str, subset: dict, namespace: str | None) -> None:
    """istio's validateSubset: a DNS-1123 label as name, valid labels, a valid traffic policy."""
    subset_name = subset.get("name")
    if not subset_name:
        findings.error(path + ".name", "subset name cannot be empty")
    elif not is_istio_label(subset_name):
        findings.error(path + ".name", "subset name %r is invalid: must be a DNS-1123 label" % subset_name)
    findings.check(check_labels, path + ".labels", subset.get("labels"))
    _check_traffic_policy(findings, path + ".trafficPolicy", subset.get("trafficPolicy"), namespace)


def _check_export_to_with_selector(export_to: list | None, namespace: str | None) -> None:
    """A DestinationRule with a workload selector applies to its own namespace only."""
    entries = {namespace if entry == "." else entry for entry in export_to or []}
    if not entries:
        return
    if namespace not in entries:
        fail("exportTo", "a DestinationRule with a workloadSelector cannot be exported beyond its own namespace")
    if len(entries) > 1:
        fail("exportTo", "a DestinationRule with a workloadSelector cannot have multiple entries in exportTo")


def _check_workload_selector(findings: Findings, path: str, selector: dict) -> None:
    """istio's validateWorkloadSelector and the CRD's CEL rules on matchLabels."""
    labels = selector.get("matchLabels") or {}
    for key, value in labels.items():
        label_path = key_path(path + ".matchLabels", key)
        if not key:
            findings.error(label_path, "empty key is not supported in selector")
        if "*" in key or "*" in str(value):
            findings.error(label_path, "wildcard is not supported in selector: %s=%s" % (key, value))
        if len(str(value)) > 63:
            findings.error(label_path, "label value %r is longer than 63 characters" % (value,))
    if not labels:
        findings.warn(path, "workload selector specified without labels: it selects every workload of the namespace")


# ---------------------------------------------------------------- traffic policy


def _check_traffic_policy(findings: Findings, path: str, policy: dict | None, namespace: str | None) -> None:
    """istio's validateTrafficPolicy: at least one setting, tunnel or proxyProtocol, each part checked."""
    if policy is None:
        return
    if not any(policy.get(key) is not None for key in _TRAFFIC_POLICY_FIELDS):
        findings.error(path, "a traffic policy must have at least one field")
        return
    if policy.get("tunnel") is not None and policy.get("proxyProtocol") is not None:
        findings.error(path, "tunnel and proxyProtocol must not be set together")
        return
    _check_policy(findings, path, policy, namespace)
    for port_path, port_policy in indexed(policy.get("portLevelSettings"), path + ".portLevelSettings"):
        _check_port_traffic_policy(findings, port_path, port_policy, namespace)
    if policy.get("tunnel") is not None:
        _check_tunnel(findings, path + ".tunnel", policy["tunnel"])
    version = (policy.get("proxyProtocol") or {}).get("version")
    if version is not None and version not in _PROXY_PROTOCOL_VERSIONS:
        findings.error(path + ".proxyProtocol.version", "proxy protocol version %r is invalid, expected V1 or V2"
                       % (version,))
    percent = (policy.get("retryBudget") or {}).get("percent")
    if percent is not None and not _is_number_between(percent, 0, 100):
        findings.error(path + ".retryBudget.percent", "percent %r must be between 0 and 100" % (percent,))


def _check_policy(findings: Findings, path: str, policy: dict, namespace: str | None) -> None:
    """What a traffic policy and a port traffic policy share: outlier detection, connection pool, load balancer,
    TLS."""
    outlier = policy.get("outlierDetection")
    if outlier is not None:
        _check_outlier_detection(findings, path + ".outlierDetection", outlier)
    if policy.get("connectionPool") is not None:
        _check_connection_pool(findings, path + ".connectionPool", policy["connectionPool"])
    if policy.get("loadBalancer") is not None:
        _check_load_balancer(findings, path + ".loadBalancer", policy["loadBalancer"], outlier)
    if policy.get("tls") is not None:
        _check_client_tls(findings, path + ".tls", policy["tls"], namespace)


def _check_port_traffic_policy(findings: Findings, path: str, policy: dict | None, namespace: str | None) -> None:
    if policy is None:
        findings.error(path, "a port traffic policy may not be null")
        return
    if policy.get("port") is None:
        findings.error(path + ".port", "a port traffic policy must have a port")
    else:
        findings.check(_check_uint32, path + ".port.number", policy["port"].get("number", 0))
    if not any(policy.get(key) is not None for key in _POLICY_FIELDS):
        findings.error(path, "a port traffic policy must have at least one of %s" % ", ".join(_POLICY_FIELDS))
        return
    _check_policy(findings, path, policy, namespace)


def _check_tunnel(findings: Findings, path: str, tunnel: dict) -> None:
    if tunnel.get("protocol", "") not in _TUNNEL_PROTOCOLS:
        findings.error(path + ".protocol", 'tunnel protocol must be "CONNECT" or "POST"')
    target_host = tunnel.get("targetHost") or ""
    error = fqdn_error(target_host)
    if error and not is_ip_address(target_host):
        findings.error(path + ".targetHost", "tunnel target host must be a valid FQDN or IP address: %s" % error)
    findings.check(check_port_number, path + ".targetPort", tunnel.get("targetPort"))


def _check_outlier_detection(findings: Findings, path: str, outlier: dict) -> None:
    """istio's validateOutlierDetection."""
    for key in ("baseEjectionTime", "interval"):
        if outlier.get(key) is not None:
            findings.check(check_duration, "%s.%s" % (path, key), outlier[key])
    if outlier.get("consecutiveErrors"):
        findings.warn(path + ".consecutiveErrors", "outlier detection consecutiveErrors is deprecated, use "
                                                   "consecutiveGatewayErrors or consecutive5xxErrors instead")
    for key in ("consecutive5xxErrors", "consecutiveGatewayErrors", "consecutiveLocalOriginFailures"):
        if outlier.get(key) is not None:
            findings.check(_check_uint32, "%s.%s" % (path, key), outlier[key])
    if not outlier.get("splitExternalLocalOriginErrors") and _positive(outlier.get("consecutiveLocalOriginFailures")):
        findings.error(path + ".consecutiveLocalOriginFailures", "consecutiveLocalOriginFailures is set, but "
                       "splitExternalLocalOriginErrors is false")
    for key in ("maxEjectionPercent", "minHealthPercent"):
        if outlier.get(key) is not None and not _is_number_between(outlier[key], 0, 100, integer=True):
            findings.error("%s.%s" % (path, key), "percentage %r is not in range 0..100" % (outlier[key],))


def _check_connection_pool(findings: Findings, path: str, pool: dict) -> None:
    """istio's validateConnectionPool."""
    http, tcp = pool.get("http"), pool.get("tcp")
    if http is None and tcp is None:
        findings.error(path, "a connection pool must have at least one of http and tcp")
        return
    if http is not None:
        for key in ("http1MaxPendingRequests", "http2MaxRequests", "maxRequestsPerConnection", "maxRetries",
                    "maxConcurrentStreams"):
            findings.check(_check_non_negative, "%s.http.%s" % (path, key), http.get(key))
        if http.get("idleTimeout") is not None:
            findings.check(check_duration, path + ".http.idleTimeout", http["idleTimeout"])
        policy = http.get("h2UpgradePolicy")
        if policy is not None and policy not in _H2_UPGRADE_POLICIES:
            findings.error(path + ".http.h2UpgradePolicy", "invalid value %r, expected one of %s"
                           % (policy, ", ".join(_H2_UPGRADE_POLICIES)))
        if policy == "UPGRADE" and http.get("useClientProtocol"):
            findings.error(path + ".http.useClientProtocol", "useClientProtocol must not be true when "
                                                             "h2UpgradePolicy is UPGRADE")
    if tcp is not None:
        findings.check(_check_non_negative, path + ".tcp.maxConnections", tcp.get("maxConnections"))
        for key in ("connectTimeout", "maxConnectionDuration"):
            if tcp.get(key) is not None:
                findings.check(check_duration, "%s.tcp.%s" % (path, key), tcp[key])
        if tcp.get("idleTimeout") is not None and not _is_zero_duration(tcp["idleTimeout"]):
            findings.check(check_duration, path + ".tcp.idleTimeout", tcp["idleTimeout"])  # 0s disables it
        keepalive = tcp.get("tcpKeepalive") or {}
        for key in ("time", "interval"):
            if keepalive.get(key) is not None:
                findings.check(check_duration, "%s.tcp.tcpKeepalive.%s" % (path, key), keepalive[key])
        if keepalive.get("probes") is not None:
            findings.check(_check_uint32, path + ".tcp.tcpKeepalive.probes", keepalive["probes"])


def _check_load_balancer(findings: Findings, path: str, settings: dict, outlier: dict | None) -> None:
    """istio's validateLoadBalancer, with the CRD's oneOfs (simple or consistentHash; one hash key, one
    hash algorithm)."""
    findings.check(check_at_most_one, path, settings, ("simple", "consistentHash"))
    if settings.get("simple") is not None and settings["simple"] not in _SIMPLE_LB_POLICIES:
        findings.error(path + ".simple", "invalid load balancer %r, expected one of %s"
                       % (settings["simple"], ", ".join(_SIMPLE_LB_POLICIES)))
    if settings.get("consistentHash") is not None:
        _check_consistent_hash(findings, path + ".consistentHash", settings["consistentHash"])
    if settings.get("localityLbSetting") is not None:
        _check_locality_lb_setting(findings, path + ".localityLbSetting", settings["localityLbSetting"], outlier)
    warmup = settings.get("warmup")
    if warmup is not None:
        if warmup.get("duration") is None:
            findings.error(path + ".warmup.duration", "duration is required")
        else:
            findings.check(check_duration, path + ".warmup.duration", warmup["duration"])
        minimum_percent = warmup.get("minimumPercent")
        if minimum_percent is not None and not _is_number_between(minimum_percent, 0, 100):
            findings.error(path + ".warmup.minimumPercent", "minimumPercent must be between 0 and 100")
        if warmup.get("aggression") is not None and not _positive(warmup["aggression"]):
            findings.error(path + ".warmup.aggression", "aggression must be greater than 0")
    if settings.get("warmupDurationSecs") is not None:
        findings.check(_check_crd_duration, path + ".warmupDurationSecs", settings["warmupDurationSecs"])


def _check_consistent_hash(findings: Findings, path: str, consistent_hash: dict) -> None:
    findings.check(check_at_most_one, path, consistent_hash, _HASH_KEYS)
    algorithms = findings.check(check_at_most_one, path, consistent_hash, ("ringHash", "maglev"))
    cookie = consistent_hash.get("httpCookie")
    if cookie is not None and not cookie.get("name"):
        findings.error(path + ".httpCookie.name", "name is required for httpCookie")
    if consistent_hash.get("minimumRingSize"):
        findings.warn(path + ".minimumRingSize", "minimumRingSize is deprecated, use ringHash.minimumRingSize")
        if algorithms:
            findings.error(path + ".minimumRingSize", "only one of minimumRingSize or maglev/ringHash can be set")
    maglev = consistent_hash.get("maglev")
    if maglev is not None:
        table_size = maglev.get("tableSize") or 0
        if not table_size:
            findings.error(path + ".maglev.tableSize", "tableSize must be set for maglev")
        elif table_size >= _MAGLEV_TABLE_SIZE_LIMIT:
            findings.error(path + ".maglev.tableSize", "tableSize must be less than %d for maglev"
                           % _MAGLEV_TABLE_SIZE_LIMIT)
        if table_size and not _is_prime(table_size):
            findings.error(path + ".maglev.tableSize", "tableSize must be a prime number for maglev")


def _is_prime(number: int) -> bool:
    """Envoy's Primes::isPrime (as istiod copies it)."""
    if 0 < number < 4:
        return True
    if number % 2 == 0:
        return False
    return all(number % factor for factor in range(3, int(number ** 0.5) + 1, 2))


def _check_locality_lb_setting(findings: Findings, path: str, setting: dict, outlier: dict | None) -> None:
    """agent's ValidateLocalityLbSetting: distribute or failover, weights adding up to 100, distinct regions."""
    distribute, failover = setting.get("distribute") or [], setting.get("failover") or []
    failover_priority = setting.get("failoverPriority") or []
    if distribute and failover:
        findings.error(path, "distribute and failover cannot be set together")
        return
    for label_path, label in indexed(failover_priority if failover else [], path + ".failoverPriority"):
        if label in _TOPOLOGY_LABELS:
            findings.error(label_path, "failover and the topology label %r in failoverPriority cannot be set "
                                       "together" % label)
            return
    for entry_path, entry in indexed(distribute, path + ".distribute"):
        weights = (entry.get("to") or {}).values()
        if any(not isinstance(weight, int) or not 1 <= weight <= 100 for weight in weights):
            findings.error(entry_path + ".to", "locality weights must be in range [1, 100]")
            return
        if sum(weights) != 100:
            findings.error(entry_path + ".to", "the locality weights add up to %d, not 100" % sum(weights))
            return
        findings.check(_check_localities, entry_path + ".to", list(entry.get("to") or {}))
    findings.check(_check_localities, path + ".distribute", [entry.get("from") or "" for entry in distribute])
    if (failover or failover_priority) and outlier is None:
        findings.warn(path, "failover needs an outlierDetection policy to take effect")
    for entry_path, entry in indexed(failover, path + ".failover"):
        source, target = entry.get("from") or "", entry.get("to") or ""
        if source == target:
            findings.error(entry_path, "locality failover must name different regions")
        if "/" in source or "/" in target:
            findings.error(entry_path, "locality failover names regions only (no '/')")
        if "*" in source or "*" in target:
            findings.error(entry_path, "locality failover regions cannot contain the '*' wildcard")


def _check_localities(path: str, localities: list) -> None:
    """agent's validateLocalities: ``region[/zone[/subzone]]``, a trailing ``*`` only, no overlaps."""
    zones_by_region: dict[str, dict[str, set]] = {}
    for locality in localities:
        if locality.count("*") > 1 or ("*" in locality and not locality.endswith("*")):
            fail(path, "locality %s: a '*' wildcard may only stand once, at the end" % locality)
        parts = locality.split("/", 2)
        if "*" in zones_by_region:
            fail(path, "locality %s overlaps with the ones before" % locality)
        if "" in parts:
            fail(path, "locality %s must not contain an empty region, zone or subzone" % locality)
        zones = zones_by_region.get(parts[0])
        if zones is None:
            zones_by_region[parts[0]] = {(parts + ["*"])[1]: {(parts + ["*", "*"])[2]}}
        elif len(parts) == 1 or "*" in zones:
            fail(path, "locality %s overlaps with the ones before" % locality)
        elif len(parts) == 2:
            if parts[1] in zones:
                fail(path, "locality %s overlaps with the ones before" % locality)
            zones[parts[1]] = {"*"}
        else:
            subzones = zones.setdefault(parts[1], set())
            if "*" in subzones or parts[2] in subzones:
                fail(path, "locality %s overlaps with the ones before" % locality)
            subzones.add(parts[2])


def _check_client_tls(findings: Findings, path: str, tls: dict, namespace: str | None) -> None:
    """agent's ValidateTLS for ClientTLSSettings."""
    mode = tls.get("mode", "DISABLE")
    if mode not in _CLIENT_TLS_MODES:
        findings.error(path + ".mode", "invalid mode %r, expected one of %s" % (mode, ", ".join(_CLIENT_TLS_MODES)))
    credential_name = tls.get("credentialName") or ""
    if credential_name.startswith(_CONFIGMAP_CREDENTIAL):
        findings.check(_check_configmap_credential, path + ".credentialName", credential_name, namespace)
    if tls.get("insecureSkipVerify") and mode in ("SIMPLE", "MUTUAL"):
        refused = ("caCertificates", "credentialName", "subjectAltNames") if mode == "SIMPLE" else (
            "caCertificates", "subjectAltNames")
        for key in refused:
            if tls.get(key):
                findings.error("%s.%s" % (path, key), "cannot be set when insecureSkipVerify is true")
    if mode in ("SIMPLE", "MUTUAL") and credential_name:
        for key in ("clientCertificate", "caCertificates", "privateKey", "caCrl"):
            if tls.get(key):
                findings.error("%s.%s" % (path, key), "cannot be set with credentialName (the credential holds "
                                                      "the certificates)")
        return
    if mode == "MUTUAL":
        for key in ("clientCertificate", "privateKey"):
            if not tls.get(key):
                findings.error("%s.%s" % (path, key), "MUTUAL TLS needs credentialName or clientCertificate and "
                                                      "privateKey")


def _check_configmap_credential(path: str, credential_name: str, namespace: str | None) -> None:
    """``configmap://<namespace>/<name>``, in the DestinationRule's own namespace."""
    credential_namespace, _slash, name = credential_name[len(_CONFIGMAP_CREDENTIAL):].partition("/")
    if not credential_namespace or not name:
        fail(path, "invalid configmap:// credentialName %r: expected configmap://<namespace>/<name>"
             % credential_name)
    if not namespace or credential_namespace != namespace:
        fail(path, "invalid configmap:// credentialName %r: the namespace must be the DestinationRule's (%s)"
             % (credential_name, namespace or "none given"))


# ---------------------------------------------------------------- numbers


def _check_non_negative(path: str, value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        fail(path, "must be a non-negative integer (got %r)" % (value,))


def _check_uint32(path: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _UINT32_MAX:
        fail(path, "must be an integer between 0 and %d (got %r)" % (_UINT32_MAX, value))


def _check_crd_duration(path: str, text: str) -> None:
    """The CRD's CEL rule on durations istiod does not check itself: ``duration(self) >= duration('1ms')``."""
    try:
        seconds = parse_duration(text)
    except ValueError:
        seconds = 0.0
    if seconds < 0.001:
        fail(path, "must be a valid duration greater than 1ms (got %r)" % (text,))


def _is_zero_duration(text: str) -> bool:
    """True for a duration below 1ms, which disables a timeout (istiod compares whole milliseconds)."""
    try:
        return abs(parse_duration(text)) < 0.001
    except ValueError:
        return False


def _is_number_between(value: object, low: float, high: float, integer: bool = False) -> bool:
    kinds = (int,) if integer else (int, float)
    return not isinstance(value, bool) and isinstance(value, kinds) and low <= value <= high


def _positive(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and value > 0
