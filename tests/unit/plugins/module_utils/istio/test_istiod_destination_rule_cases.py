# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""istiod's own DestinationRule validation cases, run through ``validate_destination_rule`` (format: istiod_cases.py).

Ported: TestValidateDestinationRule, TestValidateTrafficPolicy, TestValidateConnectionPool,
TestValidateLoadBalancer, TestValidateOutlierDetection and Test_validateExportTo (validation_test.go);
TestValidateTLS, TestValidateLocalityLbSetting and TestValidateLocalities (agent/validation_test.go). Each case
becomes a whole DestinationRule spec, as istiod's callers would see it. Not ported: TestValidateZoneAwareLbSetting
(loadBalancer.zoneAwareLbSetting is newer than the pinned Istio 1.30 CRD schema, which prunes it).
"""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.destination_rule import (
    validate_destination_rule,
)
from ansible_collections.meshsmith.istio.tests.unit.plugins.module_utils.istio.istiod_cases import (
    ERROR,
    ERROR_QUIET,
    VALID,
    VALID_QUIET,
    VALID_WARNED,
    assert_istiod_verdict,
    istiod,
    skip_unported,
)

V1_V2 = [{"name": "v1", "labels": {"version": "v1"}}, {"name": "v2", "labels": {"version": "v2"}}]
ROUND_ROBIN = {"simple": "ROUND_ROBIN"}
POOL = {"tcp": {"maxConnections": 7}, "http": {"http2MaxRequests": 11}}
HOUR = "3600s"


def good_policy(min_health_percent: int = 20) -> dict:
    """The valid traffic policy istio's tests repeat."""
    return {"loadBalancer": ROUND_ROBIN, "connectionPool": POOL, "outlierDetection": {"minHealthPercent": min_health_percent}}


def tls_policy(**tls) -> dict:
    return {"host": "reviews", "trafficPolicy": {"tls": tls}}


def distribute_from(localities: list) -> dict:
    """validateLocalities runs on the ``from`` localities of localityLbSetting.distribute."""
    distribute = [{"from": locality, "to": {"region/zone": 100}} for locality in localities]
    return {"loadBalancer": {"localityLbSetting": {"distribute": distribute}}, "outlierDetection": {}}


def with_outlier(policy: dict, outlier) -> dict:
    return dict(policy, outlierDetection=outlier) if outlier is not None else policy


SPEC_BUILDERS = {
    "TestValidateDestinationRule": lambda **case: case["in"],
    "TestValidateTrafficPolicy": lambda **case: {"host": "reviews", "trafficPolicy": case["in"]},
    "TestValidateConnectionPool": lambda **case: {"host": "reviews", "trafficPolicy": {"connectionPool": case["in"]}},
    "TestValidateLoadBalancer": lambda **case: {"host": "reviews", "trafficPolicy": {"loadBalancer": case["in"]}},
    "TestValidateOutlierDetection": lambda **case: {"host": "reviews", "trafficPolicy": {"outlierDetection": case["in"]}},
    "Test_validateExportTo": lambda **case: dict(
        {"host": "reviews", "exportTo": case["exportTo"]},
        **({"workloadSelector": {"matchLabels": {"app": "reviews"}}} if case.get("selector") else {}),
    ),
    "TestValidateTLS": lambda **case: tls_policy(**case["tls"]),
    "TestValidateLocalityLbSetting": lambda **case: {"host": "reviews", "trafficPolicy": with_outlier(
        {"loadBalancer": {"localityLbSetting": case["in"]}}, case["outlier"])},
    "TestValidateLocalities": lambda **case: {"host": "reviews", "trafficPolicy": distribute_from(case["localities"])},
}
NAMESPACE_BY_TEST = {"Test_validateExportTo": "ns5"}

NOT_IN_CRD = "the field is newer than the pinned Istio 1.30 CRD schema, which prunes it: the collection does not expose it"
SERVICE_ENTRY_ONLY = "ServiceEntry semantics (exportTo '~'); not a DestinationRule case"
SKIPPED = {
    "TestValidateLoadBalancer/invalid: localityLbSetting and zoneAwareLbSetting both set": NOT_IN_CRD,
    "TestValidateLoadBalancer/valid: zoneAwareLbSetting only": NOT_IN_CRD,
    "TestValidateLoadBalancer/invalid load balancer with consistentHash load balancing and duplicate cookie attribute names":
        NOT_IN_CRD + " (httpCookie.attributes)",
    "TestValidateLoadBalancer/invalid load balancer with consistentHash load balancing and empty cookie attribute name":
        NOT_IN_CRD + " (httpCookie.attributes)",
    "TestValidateConnectionPool/valid connection pool, http2 keepalive": NOT_IN_CRD + " (http.http2KeepAlive)",
    "TestValidateConnectionPool/invalid connection pool, http2 keepalive without interval": NOT_IN_CRD,
    "TestValidateConnectionPool/invalid connection pool, http2 keepalive without timeout": NOT_IN_CRD,
    "TestValidateConnectionPool/invalid connection pool, bad http2 keepalive interval": NOT_IN_CRD,
    "Test_validateExportTo/~ is allowed for service entry configs": SERVICE_ENTRY_ONLY,
    "Test_validateExportTo/duplicate none in service entry exportTo is not okay": SERVICE_ENTRY_ONLY,
    "Test_validateExportTo/none and other namespaces cannot be combined in service entry exportTo": SERVICE_ENTRY_ONLY,
}

CASES = [
    # ---------------------------------------------------------------- TestValidateDestinationRule
    istiod("TestValidateDestinationRule/simple destination rule", {"in": {"host": "reviews", "subsets": V1_V2}}, VALID_QUIET),
    istiod(
        "TestValidateDestinationRule/simple destination rule with empty selector labels",
        {"in": {"host": "reviews", "subsets": V1_V2, "workloadSelector": {}}},
        VALID_WARNED,
    ),
    istiod("TestValidateDestinationRule/missing destination name", {"in": {"host": "", "subsets": V1_V2}}, ERROR_QUIET),
    istiod(
        "TestValidateDestinationRule/missing subset name",
        {"in": {"host": "reviews", "subsets": [{"name": "", "labels": {"version": "v1"}}, V1_V2[1]]}},
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateDestinationRule/duplicate subset names",
        {"in": {"host": "reviews", "subsets": [{"name": "foo", "labels": {"version": "v1"}},
                                               {"name": "foo", "labels": {"version": "v2"}}]}},
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateDestinationRule/valid traffic policy, top level",
        {"in": {"host": "reviews", "trafficPolicy": good_policy(), "subsets": V1_V2}},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateDestinationRule/invalid traffic policy, top level",
        {"in": {"host": "reviews", "trafficPolicy": dict(good_policy(), connectionPool={}), "subsets": V1_V2}},
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateDestinationRule/valid traffic policy, subset level",
        {"in": {"host": "reviews", "subsets": [dict(V1_V2[0], trafficPolicy=good_policy()), V1_V2[1]]}},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateDestinationRule/invalid traffic policy, subset level",
        {"in": {"host": "reviews", "subsets": [dict(V1_V2[0], trafficPolicy=dict(good_policy(), connectionPool={})),
                                               V1_V2[1]]}},
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateDestinationRule/valid traffic policy, both levels",
        {"in": {"host": "reviews", "trafficPolicy": good_policy(),
                "subsets": [dict(V1_V2[0], trafficPolicy=good_policy(30)), V1_V2[1]]}},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateDestinationRule/InsecureSkipVerify is not specified with tls mode simple, and the ca cert is "
        "specified by CaCertificates",
        {"in": tls_policy(mode="SIMPLE", caCertificates="test", subjectAltNames=["reviews.default.svc"])},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateDestinationRule/InsecureSkipVerify is not specified with tls mode simple, and the ca cert is "
        "specified by CredentialName",
        {"in": tls_policy(mode="SIMPLE", credentialName="test", subjectAltNames=["reviews.default.svc"])},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateDestinationRule/InsecureSkipVerify is set false with tls mode simple, and the ca cert is "
        "specified by CaCertificates",
        {"in": tls_policy(mode="SIMPLE", caCertificates="test", subjectAltNames=["reviews.default.svc"],
                          insecureSkipVerify=False)},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateDestinationRule/InsecureSkipVerify is set false with tls mode simple, and the ca cert is "
        "specified by CredentialName",
        {"in": tls_policy(mode="SIMPLE", credentialName="test", subjectAltNames=["reviews.default.svc"],
                          insecureSkipVerify=False)},
        VALID_QUIET,
    ),
    # The next two Go case names swap CaCertificates and CredentialName; the fields are the Go fields.
    istiod(
        "TestValidateDestinationRule/InsecureSkipVerify is set true with tls mode simple, and the ca cert is "
        "specified by CaCertificates",
        {"in": tls_policy(mode="SIMPLE", credentialName="test", insecureSkipVerify=True)},
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateDestinationRule/InsecureSkipVerify is set true with tls mode simple, and the ca cert is "
        "specified by CredentialName",
        {"in": tls_policy(mode="SIMPLE", caCertificates="test", insecureSkipVerify=True)},
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateDestinationRule/InsecureSkipVerify is set true with tls mode simple, and the san is specified",
        {"in": tls_policy(mode="SIMPLE", subjectAltNames=["reviews.default.svc"], insecureSkipVerify=True)},
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateDestinationRule/InsecureSkipVerify is not specified with tls mode mutual, and the ca cert is "
        "specified by CaCertificates",
        {"in": tls_policy(mode="MUTUAL", caCertificates="test", privateKey="key", clientCertificate="cert",
                          subjectAltNames=["reviews.default.svc"])},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateDestinationRule/InsecureSkipVerify is not specified with tls mode mutual, and the ca cert is "
        "specified by CredentialName",
        {"in": tls_policy(mode="MUTUAL", credentialName="test", subjectAltNames=["reviews.default.svc"])},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateDestinationRule/InsecureSkipVerify is set false with tls mode mutual, and the ca cert is "
        "specified by CaCertificates",
        {"in": tls_policy(mode="MUTUAL", caCertificates="test", privateKey="key", clientCertificate="cert",
                          subjectAltNames=["reviews.default.svc"], insecureSkipVerify=False)},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateDestinationRule/InsecureSkipVerify is set false with tls mode mutual, and the ca cert is "
        "specified by CredentialName",
        {"in": tls_policy(mode="MUTUAL", credentialName="test", subjectAltNames=["reviews.default.svc"],
                          insecureSkipVerify=False)},
        VALID_QUIET,
    ),
    # Go has two cases of this name: CaCertificates, then ("#01" here) CredentialName.
    istiod(
        "TestValidateDestinationRule/InsecureSkipVerify is set true with tls mode mutual, and the ca cert is "
        "specified by CaCertificates",
        {"in": tls_policy(mode="MUTUAL", caCertificates="test", privateKey="key", clientCertificate="cert",
                          insecureSkipVerify=True)},
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateDestinationRule/InsecureSkipVerify is set true with tls mode mutual, and the ca cert is "
        "specified by CaCertificates#01",
        {"in": tls_policy(mode="MUTUAL", credentialName="test", insecureSkipVerify=True)},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateDestinationRule/InsecureSkipVerify is set true with tls mode mutual, and the ca cert is not "
        "specified",
        {"in": tls_policy(mode="MUTUAL", privateKey="key", clientCertificate="cert", insecureSkipVerify=True)},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateDestinationRule/InsecureSkipVerify is set true with tls mode mutual, and the san is specified",
        {"in": tls_policy(mode="MUTUAL", privateKey="key", clientCertificate="cert",
                          subjectAltNames=["reviews.default.svc"], insecureSkipVerify=True)},
        ERROR_QUIET,
    ),
    # ---------------------------------------------------------------- TestValidateTrafficPolicy
    istiod("TestValidateTrafficPolicy/valid traffic policy", {"in": good_policy()}, VALID),
    istiod("TestValidateTrafficPolicy/invalid traffic policy, nil entries", {"in": {}}, ERROR),
    istiod(
        "TestValidateTrafficPolicy/invalid traffic policy, missing port in port level settings",
        {"in": {"portLevelSettings": [good_policy()]}},
        ERROR,
    ),
    istiod(
        "TestValidateTrafficPolicy/invalid traffic policy, bad connection pool",
        {"in": {"loadBalancer": ROUND_ROBIN, "connectionPool": {}, "outlierDetection": {"minHealthPercent": 20}}},
        ERROR,
    ),
    istiod(
        "TestValidateTrafficPolicy/invalid traffic policy, bad max connection duration",
        {"in": {"loadBalancer": ROUND_ROBIN, "connectionPool": {"tcp": {"maxConnectionDuration": "0.000000500s"}}}},
        ERROR,
    ),
    istiod("TestValidateTrafficPolicy/invalid traffic policy, panic threshold too low", {"in": good_policy(-1)}, ERROR),
    istiod(
        "TestValidateTrafficPolicy/invalid traffic policy, both upgrade and use client protocol set",
        {"in": {"connectionPool": {"http": {"h2UpgradePolicy": "UPGRADE", "useClientProtocol": True}}}},
        ERROR,
    ),
    # ---------------------------------------------------------------- TestValidateConnectionPool
    istiod(
        "TestValidateConnectionPool/valid connection pool, tcp and http",
        {"in": {"tcp": {"maxConnections": 7, "connectTimeout": "2s"},
                "http": {"http1MaxPendingRequests": 2, "http2MaxRequests": 11, "maxRequestsPerConnection": 5,
                         "maxRetries": 4, "idleTimeout": "30s", "maxConcurrentStreams": 5}}},
        VALID,
    ),
    istiod(
        "TestValidateConnectionPool/valid connection pool, tcp only",
        {"in": {"tcp": {"maxConnections": 7, "connectTimeout": "2s"}}},
        VALID,
    ),
    istiod(
        "TestValidateConnectionPool/valid connection pool, http only",
        {"in": {"http": {"http1MaxPendingRequests": 2, "http2MaxRequests": 11, "maxRequestsPerConnection": 5,
                         "maxRetries": 4, "idleTimeout": "30s", "maxConcurrentStreams": 5}}},
        VALID,
    ),
    istiod(
        "TestValidateConnectionPool/valid connection pool, http only with empty idle timeout",
        {"in": {"http": {"http1MaxPendingRequests": 2, "http2MaxRequests": 11, "maxRequestsPerConnection": 5,
                         "maxRetries": 4, "maxConcurrentStreams": 5}}},
        VALID,
    ),
    istiod(
        "TestValidateConnectionPool/valid connection pool, http2 keepalive",
        {"in": {"http": {"http2KeepAlive": {"interval": "15s", "timeout": "5s"}}}},
        VALID,
    ),
    istiod("TestValidateConnectionPool/invalid connection pool, empty", {"in": {}}, ERROR),
    istiod("TestValidateConnectionPool/invalid connection pool, bad max connections",
           {"in": {"tcp": {"maxConnections": -1}}}, ERROR),
    istiod("TestValidateConnectionPool/invalid connection pool, bad connect timeout",
           {"in": {"tcp": {"connectTimeout": "2.000000005s"}}}, ERROR),
    istiod("TestValidateConnectionPool/invalid connection pool, bad max pending requests",
           {"in": {"http": {"http1MaxPendingRequests": -1}}}, ERROR),
    istiod("TestValidateConnectionPool/invalid connection pool, bad max requests",
           {"in": {"http": {"http2MaxRequests": -1}}}, ERROR),
    istiod("TestValidateConnectionPool/invalid connection pool, bad max requests per connection",
           {"in": {"http": {"maxRequestsPerConnection": -1}}}, ERROR),
    istiod("TestValidateConnectionPool/invalid connection pool, bad max retries",
           {"in": {"http": {"maxRetries": -1}}}, ERROR),
    istiod("TestValidateConnectionPool/invalid connection pool, bad idle timeout",
           {"in": {"http": {"idleTimeout": "30.000000005s"}}}, ERROR),
    istiod("TestValidateConnectionPool/valid connection pool, tcp timeout disabled",
           {"in": {"tcp": {"idleTimeout": "0s"}}}, VALID),
    istiod("TestValidateConnectionPool/invalid connection pool, bad max concurrent streams",
           {"in": {"http": {"maxConcurrentStreams": -1}}}, ERROR),
    istiod("TestValidateConnectionPool/invalid connection pool, http2 keepalive without interval",
           {"in": {"http": {"http2KeepAlive": {"timeout": "5s"}}}}, ERROR),
    istiod("TestValidateConnectionPool/invalid connection pool, http2 keepalive without timeout",
           {"in": {"http": {"http2KeepAlive": {"interval": "15s"}}}}, ERROR),
    istiod("TestValidateConnectionPool/invalid connection pool, bad http2 keepalive interval",
           {"in": {"http": {"http2KeepAlive": {"interval": "15.000000005s", "timeout": "5s"}}}}, ERROR),
    # ---------------------------------------------------------------- TestValidateLoadBalancer
    istiod("TestValidateLoadBalancer/valid load balancer with simple load balancing", {"in": ROUND_ROBIN}, VALID),
    istiod(
        "TestValidateLoadBalancer/valid load balancer with consistentHash load balancing",
        {"in": {"consistentHash": {"minimumRingSize": 1024, "httpCookie": {"name": "test", "ttl": HOUR}}}},
        VALID,
    ),
    istiod(
        "TestValidateLoadBalancer/invalid load balancer with consistentHash load balancing, missing name",
        {"in": {"consistentHash": {"minimumRingSize": 1024, "httpCookie": {"ttl": HOUR}}}},
        ERROR,
    ),
    istiod(
        "TestValidateLoadBalancer/invalid load balancer with consistentHash load balancing, maglev not prime",
        {"in": {"consistentHash": {"maglev": {"tableSize": 1000}}}},
        ERROR,
    ),
    istiod(
        "TestValidateLoadBalancer/valid load balancer with consistentHash load balancing and unique cookie attributes",
        {"in": {"consistentHash": {"httpCookie": {"name": "test-cookie", "ttl": HOUR, "attributes": [
            {"name": "SameSite", "value": "Strict"}, {"name": "Secure", "value": "true"},
            {"name": "HttpOnly", "value": "true"}]}}}},
        VALID,
    ),
    istiod(
        "TestValidateLoadBalancer/invalid load balancer with consistentHash load balancing and duplicate cookie "
        "attribute names",
        {"in": {"consistentHash": {"httpCookie": {"name": "test-cookie", "ttl": HOUR, "attributes": [
            {"name": "SameSite", "value": "Strict"}, {"name": "SameSite", "value": "Lax"},
            {"name": "Secure", "value": "true"}]}}}},
        ERROR,
    ),
    istiod(
        "TestValidateLoadBalancer/invalid load balancer with consistentHash load balancing and empty cookie "
        "attribute name",
        {"in": {"consistentHash": {"httpCookie": {"name": "test-cookie", "ttl": HOUR, "attributes": [
            {"name": "SameSite", "value": "Strict"}, {"name": "", "value": "some-value"},
            {"name": "Secure", "value": "true"}]}}}},
        ERROR,
    ),
    istiod(
        "TestValidateLoadBalancer/invalid: localityLbSetting and zoneAwareLbSetting both set",
        {"in": {"localityLbSetting": {}, "zoneAwareLbSetting": {}}},
        ERROR,
    ),
    istiod(
        "TestValidateLoadBalancer/valid: zoneAwareLbSetting only",
        {"in": {"zoneAwareLbSetting": {"failover": [{"from": "us-east", "to": "eu-west"}]}}},
        VALID,
    ),
    # ---------------------------------------------------------------- TestValidateOutlierDetection
    istiod(
        "TestValidateOutlierDetection/valid outlier detection",
        {"in": {"interval": "2s", "baseEjectionTime": "2s", "maxEjectionPercent": 50}},
        VALID_QUIET,
    ),
    istiod("TestValidateOutlierDetection/invalid outlier detection, bad interval",
           {"in": {"interval": "2.000000005s"}}, ERROR_QUIET),
    istiod("TestValidateOutlierDetection/invalid outlier detection, bad base ejection time",
           {"in": {"baseEjectionTime": "2.000000005s"}}, ERROR_QUIET),
    istiod("TestValidateOutlierDetection/invalid outlier detection, bad max ejection percent",
           {"in": {"maxEjectionPercent": 105}}, ERROR_QUIET),
    istiod("TestValidateOutlierDetection/invalid outlier detection, panic threshold too low",
           {"in": {"minHealthPercent": -1}}, ERROR_QUIET),
    istiod("TestValidateOutlierDetection/invalid outlier detection, panic threshold too high",
           {"in": {"minHealthPercent": 101}}, ERROR_QUIET),
    istiod("TestValidateOutlierDetection/deprecated outlier detection, ConsecutiveErrors",
           {"in": {"consecutiveErrors": 101}}, VALID_WARNED),
    istiod(
        "TestValidateOutlierDetection/consecutive local origin errors is set but split local origin errors is not set",
        {"in": {"consecutiveLocalOriginFailures": 10}},
        ERROR_QUIET,
    ),
    # ---------------------------------------------------------------- Test_validateExportTo (namespace ns5)
    istiod("Test_validateExportTo/empty exportTo is okay", {"exportTo": []}, VALID),
    istiod("Test_validateExportTo/* is allowed", {"exportTo": ["*"]}, VALID),
    istiod("Test_validateExportTo/. and ns1 are allowed", {"exportTo": [".", "ns1"]}, VALID),
    istiod("Test_validateExportTo/bunch of namespaces in exportTo is okay", {"exportTo": ["ns1", "ns2", "ns5"]}, VALID),
    istiod("Test_validateExportTo/~ is allowed for service entry configs", {"exportTo": ["~"]}, VALID),
    istiod("Test_validateExportTo/~ not allowed for non service entry configs", {"exportTo": ["~", "ns1"]}, ERROR),
    istiod("Test_validateExportTo/. and * together are not allowed", {"exportTo": [".", "*"]}, ERROR),
    istiod("Test_validateExportTo/* and ns1 together are not allowed", {"exportTo": ["*", "ns1"]}, ERROR),
    istiod("Test_validateExportTo/. and same namespace in exportTo is not okay", {"exportTo": [".", "ns5"]}, ERROR),
    istiod("Test_validateExportTo/duplicate namespaces in exportTo is not okay", {"exportTo": ["ns1", "ns2", "ns1"]},
           ERROR),
    istiod("Test_validateExportTo/duplicate none in service entry exportTo is not okay", {"exportTo": ["~", "~", "ns1"]},
           ERROR),
    istiod("Test_validateExportTo/invalid namespace names are not okay", {"exportTo": ["ns1_"]}, ERROR),
    istiod("Test_validateExportTo/none and other namespaces cannot be combined in service entry exportTo",
           {"exportTo": ["~", "ns1"]}, ERROR),
    istiod("Test_validateExportTo/destination rule with workloadselector cannot have exportTo (*)",
           {"exportTo": ["*"], "selector": True}, ERROR),
    istiod("Test_validateExportTo/destination rule with workloadselector can have only exportTo (.)",
           {"exportTo": ["."], "selector": True}, VALID),
    istiod("Test_validateExportTo/destination rule with workloadselector cannot have another ns in exportTo (.)",
           {"exportTo": ["somens"], "selector": True}, ERROR),
    istiod(
        "Test_validateExportTo/destination rule with workloadselector cannot have another ns in addition to own ns "
        "in exportTo (.)",
        {"exportTo": [".", "somens"], "selector": True},
        ERROR,
    ),
    # ---------------------------------------------------------------- TestValidateTLS (agent)
    istiod("TestValidateTLS/SIMPLE: Credential Name set correctly",
           {"tls": {"mode": "SIMPLE", "credentialName": "some credential"}}, VALID),
    istiod("TestValidateTLS/SIMPLE CredentialName set with ClientCertificate specified",
           {"tls": {"mode": "SIMPLE", "credentialName": "credential", "clientCertificate": "cert"}}, ERROR),
    istiod("TestValidateTLS/SIMPLE: CredentialName set with PrivateKey specified",
           {"tls": {"mode": "SIMPLE", "credentialName": "credential", "privateKey": "key"}}, ERROR),
    istiod("TestValidateTLS/SIMPLE: CredentialName set with CACertficiates specified",
           {"tls": {"mode": "SIMPLE", "credentialName": "credential", "caCertificates": "ca"}}, ERROR),
    istiod("TestValidateTLS/MUTUAL: Credential Name set correctly",
           {"tls": {"mode": "MUTUAL", "credentialName": "some credential"}}, VALID),
    istiod("TestValidateTLS/MUTUAL CredentialName set with ClientCertificate specified",
           {"tls": {"mode": "MUTUAL", "credentialName": "credential", "clientCertificate": "cert"}}, ERROR),
    istiod("TestValidateTLS/MUTUAL: CredentialName set with PrivateKey specified",
           {"tls": {"mode": "MUTUAL", "credentialName": "credential", "privateKey": "key"}}, ERROR),
    istiod("TestValidateTLS/MUTUAL: CredentialName set with CACertficiates specified",
           {"tls": {"mode": "MUTUAL", "credentialName": "credential", "caCertificates": "ca"}}, ERROR),
    istiod("TestValidateTLS/MUTUAL: CredentialName set with CACRL specified",
           {"tls": {"mode": "MUTUAL", "credentialName": "credential", "caCrl": "ca"}}, ERROR),
    istiod("TestValidateTLS/MUTUAL: CredentialName not set with ClientCertificate and Key specified",
           {"tls": {"mode": "MUTUAL", "clientCertificate": "cert", "privateKey": "key"}}, VALID),
    istiod("TestValidateTLS/MUTUAL: CredentialName not set with ClientCertificate specified and Key missing",
           {"tls": {"mode": "MUTUAL", "clientCertificate": "cert"}}, ERROR),
    istiod("TestValidateTLS/MUTUAL: CredentialName not set with ClientCertificate missing and Key specified",
           {"tls": {"mode": "MUTUAL", "privateKey": "key"}}, ERROR),
    # ---------------------------------------------------------------- TestValidateLocalityLbSetting (agent)
    istiod("TestValidateLocalityLbSetting/valid mesh config without LocalityLoadBalancerSetting",
           {"in": None, "outlier": None}, VALID_QUIET),
    istiod(
        "TestValidateLocalityLbSetting/invalid LocalityLoadBalancerSetting_Distribute total weight > 100",
        {"in": {"distribute": [{"from": "a/b/c", "to": {"a/b/c": 80, "a/b1": 25}}]}, "outlier": {}},
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateLocalityLbSetting/invalid LocalityLoadBalancerSetting_Distribute total weight < 100",
        {"in": {"distribute": [{"from": "a/b/c", "to": {"a/b/c": 80, "a/b1": 15}}]}, "outlier": {}},
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateLocalityLbSetting/invalid LocalityLoadBalancerSetting_Distribute weight = 0",
        {"in": {"distribute": [{"from": "a/b/c", "to": {"a/b/c": 0, "a/b1": 100}}]}, "outlier": {}},
        ERROR_QUIET,
    ),
    istiod(
        "TestValidateLocalityLbSetting/invalid LocalityLoadBalancerSetting specify both distribute and failover",
        {"in": {"distribute": [{"from": "a/b/c", "to": {"a/b/c": 80, "a/b1": 20}}],
                "failover": [{"from": "region1", "to": "region2"}]}, "outlier": {}},
        ERROR_QUIET,
    ),
    istiod("TestValidateLocalityLbSetting/invalid failover src and dst have same region",
           {"in": {"failover": [{"from": "region1", "to": "region1"}]}, "outlier": {}}, ERROR_QUIET),
    istiod("TestValidateLocalityLbSetting/invalid failover src contain '*' wildcard",
           {"in": {"failover": [{"from": "*", "to": "region2"}]}, "outlier": {}}, ERROR_QUIET),
    istiod("TestValidateLocalityLbSetting/invalid failover dst contain '*' wildcard",
           {"in": {"failover": [{"from": "region1", "to": "*"}]}, "outlier": {}}, ERROR_QUIET),
    istiod("TestValidateLocalityLbSetting/invalid failover src contain '/' separator",
           {"in": {"failover": [{"from": "region1/zone1", "to": "region2"}]}, "outlier": {}}, ERROR_QUIET),
    istiod("TestValidateLocalityLbSetting/invalid failover dst contain '/' separator",
           {"in": {"failover": [{"from": "region1", "to": "region2/zone1"}]}, "outlier": {}}, ERROR_QUIET),
    istiod(
        "TestValidateLocalityLbSetting/failover priority provided without outlier detection policy",
        {"in": {"failoverPriority": ["topology.istio.io/network", "topology.kubernetes.io/region",
                                     "topology.kubernetes.io/zone", "topology.istio.io/subzone"]}, "outlier": None},
        VALID_WARNED,
    ),
    istiod(
        "TestValidateLocalityLbSetting/failover provided without outlier detection policy",
        {"in": {"failover": [{"from": "us-east", "to": "eu-west"}, {"from": "us-west", "to": "eu-east"}]},
         "outlier": None},
        VALID_WARNED,
    ),
    istiod(
        "TestValidateLocalityLbSetting/invalid LocalityLoadBalancerSetting specify both failoverPriority and region "
        "in failover",
        {"in": {"failover": [{"from": "region1", "to": "region2"}], "failoverPriority": ["topology.kubernetes.io/region"]},
         "outlier": {}},
        ERROR_QUIET,
    ),
    # ---------------------------------------------------------------- TestValidateLocalities (agent)
    istiod("TestValidateLocalities/multi wildcard locality", {"localities": ["*/zone/*"]}, ERROR),
    istiod("TestValidateLocalities/wildcard not in suffix", {"localities": ["*/zone"]}, ERROR),
    istiod("TestValidateLocalities/explicit wildcard region overlap", {"localities": ["*", "a/b/c"]}, ERROR),
    istiod("TestValidateLocalities/implicit wildcard region overlap", {"localities": ["a", "a/b/c"]}, ERROR),
    istiod("TestValidateLocalities/explicit wildcard zone overlap", {"localities": ["a/*", "a/b/c"]}, ERROR),
    istiod("TestValidateLocalities/implicit wildcard zone overlap", {"localities": ["a/b", "a/b/c"]}, ERROR),
    istiod("TestValidateLocalities/explicit wildcard subzone overlap", {"localities": ["a/b/*", "a/b/c"]}, ERROR),
    istiod("TestValidateLocalities/implicit wildcard subzone overlap", {"localities": ["a/b", "a/b/c"]}, ERROR),
    istiod("TestValidateLocalities/valid localities",
           {"localities": ["a1/*", "a2/*", "a3/b3/c3", "a4/b4", "a5/b5/*"]}, VALID),
]


@pytest.mark.parametrize("fields, expect", CASES)
def test_istiod_destination_rule_case(request, fields, expect):
    case_id = request.node.callspec.id
    skip_unported(case_id, SKIPPED)
    test_name = case_id.split("/", 1)[0]
    spec = SPEC_BUILDERS[test_name](**fields)
    namespace = NAMESPACE_BY_TEST.get(test_name, "bar")
    assert_istiod_verdict(lambda: validate_destination_rule("foo", namespace, spec), expect)
