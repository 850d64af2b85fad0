# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""istiod's own Gateway validation cases, run through ``validate_gateway`` (format: istiod_cases.py).

Ported: TestValidateGateway, TestValidateK8sGateway, TestValidateServer (with its bind cases),
TestValidateServerPort, TestValidateTlsOptions (validation_test.go) and TestValidationIPAddress
(agent/validation_test.go, as a server's bind address).
"""

from __future__ import annotations

import pytest

from ansible_collections.meshsmith.istio.plugins.module_utils.istio.validation.gateway import validate_gateway
from ansible_collections.meshsmith.istio.tests.unit.plugins.module_utils.istio.istiod_cases import (
    ERROR,
    ERROR_QUIET,
    ERROR_WARNED,
    VALID,
    VALID_QUIET,
    VALID_WARNED,
    assert_istiod_verdict,
    istiod,
    our_verdict,
    skip_unported,
)

HTTPS_PORT = {"number": 443, "name": "https", "protocol": "HTTPS"}


def one_server(**server) -> dict:
    return {"servers": [dict({"hosts": ["foo.bar.com"]}, **server)]}


SPEC_BUILDERS = {
    "TestValidateGateway": lambda **case: case["in"],
    "TestValidateK8sGateway": lambda **case: case["in"],
    "TestValidateServer": lambda **case: {"servers": [case["in"]]},
    "TestValidateServerPort": lambda **case: one_server(port=case["in"], bind=case["bind"]),
    "TestValidateTlsOptions": lambda **case: one_server(port=HTTPS_PORT, tls=case["in"]),
    "TestValidationIPAddress": lambda **case: one_server(port={"number": 80, "name": "http", "protocol": "HTTP"},
                                                         bind=case["addr"]),
}

SKIPPED = {
    "TestValidateGateway/invalid message": "Go passes a Server where a Gateway belongs; the module always builds a Gateway spec",
    "TestValidateK8sGateway": "Gateway API semantics (an internal annotation istiod sets on Gateways it generates); "
                              "the module manages Istio Gateways only",
}

# Where the API server refuses before istiod's webhook sees the object, the validator follows the API server.
CRD_MAX_TWO_CERTIFICATES = "the CRD schema (tlsCertificates maxItems: 2) refuses what istiod only warns about"
DEVIATIONS = {
    "TestValidateTlsOptions/simple more than 2 certs": (ERROR, CRD_MAX_TWO_CERTIFICATES),
    "TestValidateTlsOptions/mutual more than 2 certs": (ERROR, CRD_MAX_TWO_CERTIFICATES),
}

CASES = [
    istiod("TestValidateGateway/empty", {"in": {}}, ERROR_QUIET, "server"),
    istiod("TestValidateGateway/invalid message", {"in": {}}, ERROR_QUIET, "cannot cast"),
    istiod(
        "TestValidateGateway/happy domain",
        {"in": {"servers": [{"hosts": ["foo.bar.com"], "port": {"name": "name1", "number": 7, "protocol": "http"}}]}},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateGateway/happy multiple servers",
        {"in": {"servers": [{"hosts": ["foo.bar.com"], "port": {"name": "name1", "number": 7, "protocol": "http"}}]}},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateGateway/happy k8s gateway-api server with no attached routes",
        {
            "in": {"servers": [{"hosts": ["~/foo.bar.com"], "port": {"name": "name1", "number": 7, "protocol": "http"}}]},
        },
        ERROR_QUIET,
        "invalid namespace value",
    ),
    istiod(
        "TestValidateGateway/invalid port",
        {
            "in": {"servers": [{"hosts": ["foo.bar.com"], "port": {"name": "name1", "number": 66000, "protocol": "http"}}]},
        },
        ERROR_QUIET,
        "port",
    ),
    istiod(
        "TestValidateGateway/duplicate port names",
        {
            "in": {
                "servers": [
                    {"hosts": ["foo.bar.com"], "port": {"name": "foo", "number": 80, "protocol": "http"}},
                    {"hosts": ["scooby.doo.com"], "port": {"name": "foo", "number": 8080, "protocol": "http"}},
                ],
            },
        },
        ERROR_QUIET,
        "port names",
    ),
    istiod(
        "TestValidateGateway/invalid domain",
        {"in": {"servers": [{"hosts": ["foo.*.bar.com"], "port": {"number": 7, "protocol": "http"}}]}},
        ERROR_QUIET,
        "domain",
    ),
    istiod(
        "TestValidateGateway/valid httpsRedirect",
        {
            "in": {
                "servers": [
                    {
                        "hosts": ["bar.com"],
                        "port": {"name": "http", "number": 80, "protocol": "http"},
                        "tls": {"httpsRedirect": True},
                    },
                ],
            },
        },
        VALID_QUIET,
    ),
    istiod(
        "TestValidateGateway/invalid https httpsRedirect",
        {
            "in": {
                "servers": [
                    {
                        "hosts": ["bar.com"],
                        "port": {"name": "https", "number": 80, "protocol": "https"},
                        "tls": {"httpsRedirect": True},
                    },
                ],
            },
        },
        VALID_WARNED,
        "tls.httpsRedirect should only be used with http servers",
    ),
    istiod(
        "TestValidateGateway/invalid partial wildcard",
        {
            "in": {
                "servers": [
                    {
                        "hosts": ["*bar.com"],
                        "port": {"name": "tls", "number": 443, "protocol": "tls"},
                        "tls": {"mode": "ISTIO_MUTUAL"},
                    },
                ],
            },
        },
        ERROR_QUIET,
        "partial wildcard \"*bar.com\" not allowed",
    ),
    istiod(
        "TestValidateK8sGateway/happy k8s gateway-api server with no attached routes",
        {
            "in": {"servers": [{"hosts": ["~/foo.bar.com"], "port": {"name": "name1", "number": 7, "protocol": "http"}}]},
        },
        VALID_QUIET,
    ),
    istiod("TestValidateServer/empty", {"in": {}}, ERROR, "host"),
    istiod("TestValidateServer/empty#2", {"in": {}}, ERROR, "port"),
    istiod(
        "TestValidateServer/happy",
        {"in": {"hosts": ["foo.bar.com"], "port": {"number": 7, "name": "http", "protocol": "http"}}},
        VALID,
    ),
    istiod(
        "TestValidateServer/happy ip",
        {"in": {"hosts": ["1.1.1.1"], "port": {"number": 7, "name": "http", "protocol": "http"}}},
        VALID,
    ),
    istiod(
        "TestValidateServer/happy ns/name",
        {"in": {"hosts": ["ns1/foo.bar.com"], "port": {"number": 7, "name": "http", "protocol": "http"}}},
        VALID,
    ),
    istiod(
        "TestValidateServer/happy */name",
        {"in": {"hosts": ["*/foo.bar.com"], "port": {"number": 7, "name": "http", "protocol": "http"}}},
        VALID,
    ),
    istiod(
        "TestValidateServer/happy ./name",
        {"in": {"hosts": ["./foo.bar.com"], "port": {"number": 7, "name": "http", "protocol": "http"}}},
        VALID,
    ),
    istiod(
        "TestValidateServer/invalid ~/name",
        {"in": {"hosts": ["~/foo.bar.com"], "port": {"number": 7, "name": "http", "protocol": "http"}}},
        ERROR,
        "namespace",
    ),
    istiod(
        "TestValidateServer/invalid domain ns/name format",
        {"in": {"hosts": ["ns1/foo.*.bar.com"], "port": {"number": 7, "name": "http", "protocol": "http"}}},
        ERROR,
        "domain",
    ),
    istiod(
        "TestValidateServer/invalid domain",
        {"in": {"hosts": ["foo.*.bar.com"], "port": {"number": 7, "name": "http", "protocol": "http"}}},
        ERROR,
        "domain",
    ),
    istiod(
        "TestValidateServer/invalid short name host",
        {"in": {"hosts": ["foo"], "port": {"number": 7, "name": "http", "protocol": "http"}}},
        ERROR,
        "short names",
    ),
    istiod(
        "TestValidateServer/invalid port",
        {"in": {"hosts": ["foo.bar.com"], "port": {"number": 66000, "name": "http", "protocol": "http"}}},
        ERROR,
        "port",
    ),
    istiod(
        "TestValidateServer/invalid tls options",
        {
            "in": {
                "hosts": ["foo.bar.com"],
                "port": {"number": 1, "name": "http", "protocol": "http"},
                "tls": {"mode": "SIMPLE"},
            },
        },
        ERROR,
        "TLS",
    ),
    istiod(
        "TestValidateServer/no tls on HTTPS",
        {"in": {"hosts": ["foo.bar.com"], "port": {"number": 10000, "name": "https", "protocol": "https"}}},
        ERROR,
        "must have TLS",
    ),
    istiod(
        "TestValidateServer/tls on HTTP",
        {
            "in": {
                "hosts": ["foo.bar.com"],
                "port": {"number": 10000, "name": "http", "protocol": "http"},
                "tls": {"mode": "SIMPLE"},
            },
        },
        ERROR,
        "cannot have TLS",
    ),
    istiod(
        "TestValidateServer/tls redirect on HTTP",
        {
            "in": {
                "hosts": ["foo.bar.com"],
                "port": {"number": 10000, "name": "http", "protocol": "http"},
                "tls": {"httpsRedirect": True},
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateServer/bind ip",
        {
            "in": {"hosts": ["foo.bar.com"], "port": {"number": 7, "name": "http", "protocol": "http"}, "bind": "127.0.0.1"},
        },
        VALID,
    ),
    istiod(
        "TestValidateServer/bind unix path with invalid port",
        {
            "in": {
                "hosts": ["foo.bar.com"],
                "port": {"number": 7, "name": "http", "protocol": "http"},
                "bind": "unix://@foobar",
            },
        },
        ERROR,
        "port number must be 0 for unix domain socket",
    ),
    istiod(
        "TestValidateServer/bind unix path",
        {
            "in": {
                "hosts": ["foo.bar.com"],
                "port": {"number": 0, "name": "http", "protocol": "http"},
                "bind": "unix://@foobar",
            },
        },
        VALID,
    ),
    istiod(
        "TestValidateServer/bind bad ip",
        {
            "in": {"hosts": ["foo.bar.com"], "port": {"number": 0, "name": "http", "protocol": "http"}, "bind": "foo.bar"},
        },
        ERROR,
        "foo.bar is not a valid IP",
    ),
    istiod("TestValidateServerPort/empty", {"in": {}, "bind": ""}, ERROR, "invalid protocol"),
    istiod("TestValidateServerPort/empty#2", {"in": {}, "bind": ""}, ERROR, "port name"),
    istiod("TestValidateServerPort/happy", {"in": {"protocol": "http", "number": 1, "name": "Henry"}, "bind": ""}, VALID),
    istiod(
        "TestValidateServerPort/invalid protocol",
        {"in": {"protocol": "kafka", "number": 1, "name": "Henry"}, "bind": ""},
        ERROR,
        "invalid protocol",
    ),
    istiod(
        "TestValidateServerPort/invalid number",
        {"in": {"protocol": "http", "number": 1073741824, "name": "http"}, "bind": ""},
        ERROR,
        "port number",
    ),
    istiod(
        "TestValidateServerPort/name, no number",
        {"in": {"protocol": "http", "number": 0, "name": "Henry"}, "bind": ""},
        ERROR,
        "port number",
    ),
    istiod(
        "TestValidateServerPort/name, no number, uds",
        {"in": {"protocol": "http", "number": 0, "name": "Henry"}, "bind": "uds:///tmp"},
        ERROR,
        "port number",
    ),
    istiod("TestValidateTlsOptions/empty", {"in": {}}, VALID_QUIET),
    istiod(
        "TestValidateTlsOptions/simple",
        {"in": {"mode": "SIMPLE", "serverCertificate": "Captain Jean-Luc Picard", "privateKey": "Khan Noonien Singh"}},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateTlsOptions/simple with client bundle",
        {
            "in": {
                "mode": "SIMPLE",
                "serverCertificate": "Captain Jean-Luc Picard",
                "privateKey": "Khan Noonien Singh",
                "caCertificates": "Commander William T. Riker",
            },
        },
        VALID_QUIET,
    ),
    istiod(
        "TestValidateTlsOptions/simple sds with client bundle",
        {"in": {"mode": "SIMPLE", "credentialName": "sds-name"}},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateTlsOptions/simple sds with client bundle but with server cert",
        {
            "in": {
                "mode": "SIMPLE",
                "serverCertificate": "Captain Jean-Luc Picard",
                "privateKey": "Khan Noonien Singh",
                "credentialName": "sds-name",
            },
        },
        ERROR_QUIET,
        "one of credential_name, credential_names",
    ),
    istiod(
        "TestValidateTlsOptions/simple no server cert",
        {"in": {"mode": "SIMPLE", "serverCertificate": "", "privateKey": "Khan Noonien Singh"}},
        ERROR_QUIET,
        "server certificate",
    ),
    istiod(
        "TestValidateTlsOptions/simple no private key",
        {"in": {"mode": "SIMPLE", "serverCertificate": "Captain Jean-Luc Picard", "privateKey": ""}},
        ERROR_QUIET,
        "private key",
    ),
    istiod(
        "TestValidateTlsOptions/simple more than 2 certs",
        {
            "in": {
                "mode": "SIMPLE",
                "tlsCertificates": [
                    {"serverCertificate": "Captain Jean-Luc Picard", "privateKey": "Khan Noonien Singh"},
                    {"serverCertificate": "Commander William T. Riker", "privateKey": "Commander William T. Riker"},
                    {"serverCertificate": "Lieutenant Commander Data", "privateKey": "Lieutenant Commander Data"},
                ],
            },
        },
        VALID_WARNED,
        "SIMPLE TLS can support up to 2 server certificates",
    ),
    istiod(
        "TestValidateTlsOptions/simple with both server cert and tls certs",
        {
            "in": {
                "mode": "SIMPLE",
                "serverCertificate": "Captain Jean-Luc Picard",
                "privateKey": "Khan Noonien Singh",
                "tlsCertificates": [
                    {"serverCertificate": "Captain Jean-Luc Picard", "privateKey": "Khan Noonien Singh"},
                    {"serverCertificate": "Lieutenant Commander Data", "privateKey": "Lieutenant Commander Data"},
                ],
            },
        },
        ERROR_QUIET,
        "one of credential_name, credential_names",
    ),
    istiod(
        "TestValidateTlsOptions/simple 2 certs with missing certificate",
        {
            "in": {
                "mode": "SIMPLE",
                "tlsCertificates": [
                    {"privateKey": "Commander William T. Riker"},
                    {"serverCertificate": "Commander William T. Riker", "privateKey": "Commander William T. Riker"},
                ],
            },
        },
        ERROR_QUIET,
        "server certificate",
    ),
    istiod(
        "TestValidateTlsOptions/simple 2 certs with missing private key",
        {
            "in": {
                "mode": "SIMPLE",
                "tlsCertificates": [
                    {"serverCertificate": "Captain Jean-Luc Picard"},
                    {"serverCertificate": "Commander William T. Riker", "privateKey": "Commander William T. Riker"},
                ],
            },
        },
        ERROR_QUIET,
        "private key",
    ),
    istiod(
        "TestValidateTlsOptions/simple sds no server cert",
        {
            "in": {
                "mode": "SIMPLE",
                "serverCertificate": "",
                "privateKey": "Khan Noonien Singh",
                "credentialName": "sds-name",
            },
        },
        VALID_QUIET,
    ),
    istiod(
        "TestValidateTlsOptions/simple sds no private key",
        {
            "in": {
                "mode": "SIMPLE",
                "serverCertificate": "Captain Jean-Luc Picard",
                "privateKey": "",
                "credentialName": "sds-name",
            },
        },
        VALID_QUIET,
    ),
    istiod(
        "TestValidateTlsOptions/mutual",
        {
            "in": {
                "mode": "MUTUAL",
                "serverCertificate": "Captain Jean-Luc Picard",
                "privateKey": "Khan Noonien Singh",
                "caCertificates": "Commander William T. Riker",
            },
        },
        VALID_QUIET,
    ),
    istiod(
        "TestValidateTlsOptions/mutual sds",
        {"in": {"mode": "MUTUAL", "caCertificates": "Commander William T. Riker", "credentialName": "sds-name"}},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateTlsOptions/mutual sds with credential name and server cert",
        {
            "in": {
                "mode": "MUTUAL",
                "serverCertificate": "Captain Jean-Luc Picard",
                "privateKey": "Khan Noonien Singh",
                "caCertificates": "Commander William T. Riker",
                "credentialName": "sds-name",
            },
        },
        ERROR_QUIET,
        "one of credential_name, credential_names",
    ),
    istiod(
        "TestValidateTlsOptions/mutual sds with credential name and tls certs",
        {
            "in": {
                "mode": "MUTUAL",
                "caCertificates": "Commander William T. Riker",
                "tlsCertificates": [{"serverCertificate": "Captain Jean-Luc Picard", "privateKey": "Khan Noonien Singh"}],
                "credentialName": "sds-name",
            },
        },
        ERROR_QUIET,
        "one of credential_name, credential_names",
    ),
    istiod(
        "TestValidateTlsOptions/mutual no server cert",
        {
            "in": {
                "mode": "MUTUAL",
                "serverCertificate": "",
                "privateKey": "Khan Noonien Singh",
                "caCertificates": "Commander William T. Riker",
            },
        },
        ERROR_QUIET,
        "server certificate",
    ),
    istiod(
        "TestValidateTlsOptions/credential names and certificates",
        {
            "in": {
                "mode": "MUTUAL",
                "serverCertificate": "/etc/istio/certs/server/cert",
                "privateKey": "/etc/istio/certs/server/key",
                "credentialNames": ["server-certs"],
            },
        },
        ERROR_QUIET,
        "one of credential_name, credential_names",
    ),
    istiod(
        "TestValidateTlsOptions/credential names and tls certificates",
        {
            "in": {
                "mode": "MUTUAL",
                "tlsCertificates": [
                    {
                        "serverCertificate": "/etc/istio/certs/server/cert",
                        "privateKey": "/etc/istio/certs/server/key",
                        "caCertificates": "/etc/istio/certs/server/cacert2",
                    },
                ],
                "credentialNames": ["server-certs"],
            },
        },
        ERROR_QUIET,
        "one of credential_name, credential_names",
    ),
    istiod(
        "TestValidateTlsOptions/only tls certificates",
        {
            "in": {
                "mode": "MUTUAL",
                "tlsCertificates": [{"serverCertificate": "/etc/istio/certs/server/cert", "privateKey": "/etc/istio/certs/server/key"}],
                "caCertificates": "/etc/istio/certs/server/cacert2",
            },
        },
        VALID_QUIET,
    ),
    istiod(
        "TestValidateTlsOptions/mutual sds no server cert",
        {
            "in": {
                "mode": "MUTUAL",
                "serverCertificate": "",
                "privateKey": "Khan Noonien Singh",
                "caCertificates": "Commander William T. Riker",
                "credentialName": "sds-name",
            },
        },
        VALID_QUIET,
    ),
    istiod(
        "TestValidateTlsOptions/mutual no client CA bundle",
        {
            "in": {
                "mode": "MUTUAL",
                "serverCertificate": "Captain Jean-Luc Picard",
                "privateKey": "Khan Noonien Singh",
                "caCertificates": "",
            },
        },
        ERROR_QUIET,
        "client CA bundle",
    ),
    istiod(
        "TestValidateTlsOptions/mutual no certs",
        {"in": {"mode": "MUTUAL", "serverCertificate": "", "privateKey": "", "caCertificates": ""}},
        ERROR_QUIET,
        "server certificate",
    ),
    istiod(
        "TestValidateTlsOptions/mutual no certs#2",
        {"in": {"mode": "MUTUAL", "serverCertificate": "", "privateKey": "", "caCertificates": ""}},
        ERROR_QUIET,
        "private key",
    ),
    istiod(
        "TestValidateTlsOptions/mutual no certs#3",
        {"in": {"mode": "MUTUAL", "serverCertificate": "", "privateKey": "", "caCertificates": ""}},
        ERROR_QUIET,
        "client CA bundle",
    ),
    istiod(
        "TestValidateTlsOptions/mutual more than 2 certs",
        {
            "in": {
                "mode": "MUTUAL",
                "caCertificates": "Commander William T. Riker",
                "tlsCertificates": [
                    {"serverCertificate": "Captain Jean-Luc Picard", "privateKey": "Khan Noonien Singh"},
                    {"serverCertificate": "Commander William T. Riker", "privateKey": "Commander William T. Riker"},
                    {"serverCertificate": "Lieutenant Commander Data", "privateKey": "Lieutenant Commander Data"},
                ],
            },
        },
        VALID_WARNED,
        "MUTUAL TLS can support up to 2 server certificates",
    ),
    istiod(
        "TestValidateTlsOptions/mutual with both server cert and tls certs",
        {
            "in": {
                "mode": "MUTUAL",
                "serverCertificate": "Captain Jean-Luc Picard",
                "privateKey": "Khan Noonien Singh",
                "caCertificates": "Commander William T. Riker",
                "tlsCertificates": [
                    {"serverCertificate": "Captain Jean-Luc Picard", "privateKey": "Khan Noonien Singh"},
                    {"serverCertificate": "Lieutenant Commander Data", "privateKey": "Lieutenant Commander Data"},
                ],
            },
        },
        ERROR_QUIET,
        "one of credential_name, credential_names",
    ),
    istiod(
        "TestValidateTlsOptions/mutual 2 certs with missing certificate",
        {
            "in": {
                "mode": "MUTUAL",
                "caCertificates": "Lieutenant Commander Data",
                "tlsCertificates": [
                    {"privateKey": "Commander William T. Riker"},
                    {"serverCertificate": "Commander William T. Riker", "privateKey": "Commander William T. Riker"},
                ],
            },
        },
        ERROR_QUIET,
        "server certificate",
    ),
    istiod(
        "TestValidateTlsOptions/mutual 2 certs with missing private key",
        {
            "in": {
                "mode": "MUTUAL",
                "caCertificates": "Lieutenant Commander Data",
                "tlsCertificates": [
                    {"serverCertificate": "Captain Jean-Luc Picard"},
                    {"serverCertificate": "Commander William T. Riker", "privateKey": "Commander William T. Riker"},
                ],
            },
        },
        ERROR_QUIET,
        "private key",
    ),
    istiod(
        "TestValidateTlsOptions/mutual 2 certs with missing CA certificate",
        {
            "in": {
                "mode": "MUTUAL",
                "tlsCertificates": [
                    {"serverCertificate": "Captain Jean-Luc Picard", "privateKey": "Khan Noonien Singh"},
                    {"serverCertificate": "Commander William T. Riker", "privateKey": "Commander William T. Riker"},
                ],
            },
        },
        ERROR_QUIET,
        "client CA bundle",
    ),
    istiod(
        "TestValidateTlsOptions/optional mutual no certs",
        {"in": {"mode": "OPTIONAL_MUTUAL", "serverCertificate": "", "privateKey": "", "caCertificates": ""}},
        ERROR_QUIET,
        "server certificate",
    ),
    istiod(
        "TestValidateTlsOptions/optional mutual no certs#2",
        {"in": {"mode": "OPTIONAL_MUTUAL", "serverCertificate": "", "privateKey": "", "caCertificates": ""}},
        ERROR_QUIET,
        "private key",
    ),
    istiod(
        "TestValidateTlsOptions/optional mutual no certs#3",
        {"in": {"mode": "OPTIONAL_MUTUAL", "serverCertificate": "", "privateKey": "", "caCertificates": ""}},
        ERROR_QUIET,
        "client CA bundle",
    ),
    istiod(
        "TestValidateTlsOptions/pass through sds no certs",
        {"in": {"mode": "PASSTHROUGH", "serverCertificate": "", "caCertificates": "", "credentialName": "sds-name"}},
        VALID_WARNED,
        "PASSTHROUGH mode does not use certificates",
    ),
    istiod(
        "TestValidateTlsOptions/pass through sds crl",
        {"in": {"mode": "PASSTHROUGH", "serverCertificate": "", "caCertificates": "", "caCrl": "scrl"}},
        VALID_WARNED,
        "PASSTHROUGH mode does not use certificates",
    ),
    istiod(
        "TestValidateTlsOptions/istio_mutual no certs",
        {"in": {"mode": "ISTIO_MUTUAL", "serverCertificate": "", "privateKey": "", "caCertificates": ""}},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateTlsOptions/istio_mutual with server cert",
        {"in": {"mode": "ISTIO_MUTUAL", "serverCertificate": "Captain Jean-Luc Picard"}},
        ERROR_QUIET,
        "cannot have associated server cert",
    ),
    istiod(
        "TestValidateTlsOptions/istio_mutual with client bundle",
        {
            "in": {
                "mode": "ISTIO_MUTUAL",
                "serverCertificate": "Captain Jean-Luc Picard",
                "privateKey": "Khan Noonien Singh",
                "caCertificates": "Commander William T. Riker",
            },
        },
        ERROR_QUIET,
        "cannot have associated",
    ),
    istiod(
        "TestValidateTlsOptions/istio_mutual with private key",
        {"in": {"mode": "ISTIO_MUTUAL", "privateKey": "Khan Noonien Singh"}},
        ERROR_QUIET,
        "cannot have associated private key",
    ),
    istiod(
        "TestValidateTlsOptions/istio_mutual with credential name",
        {"in": {"mode": "ISTIO_MUTUAL", "credentialName": "some-cred"}},
        ERROR_QUIET,
        "cannot have associated credentialName",
    ),
    istiod(
        "TestValidateTlsOptions/invalid cipher suites",
        {"in": {"mode": "SIMPLE", "credentialName": "sds-name", "cipherSuites": ["not-a-cipher-suite"]}},
        VALID_WARNED,
        "not-a-cipher-suite",
    ),
    istiod(
        "TestValidateTlsOptions/valid cipher suites",
        {"in": {"mode": "SIMPLE", "credentialName": "sds-name", "cipherSuites": ["ECDHE-ECDSA-AES128-SHA"]}},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateTlsOptions/cipher suites operations",
        {"in": {"mode": "SIMPLE", "credentialName": "sds-name", "cipherSuites": ["-ECDHE-ECDSA-AES128-SHA"]}},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateTlsOptions/duplicate cipher suites",
        {
            "in": {
                "mode": "SIMPLE",
                "credentialName": "sds-name",
                "cipherSuites": ["ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES128-SHA"],
            },
        },
        VALID_WARNED,
        "ECDHE-ECDSA-AES128-SHA",
    ),
    istiod(
        "TestValidateTlsOptions/invalid cipher suites with invalid config",
        {"in": {"mode": "SIMPLE", "cipherSuites": ["not-a-cipher-suite"]}},
        ERROR_WARNED,
        "requires a private key",
    ),
    istiod(
        "TestValidateTlsOptions/crl specified for SIMPLE TLS",
        {"in": {"mode": "SIMPLE", "caCrl": "crl"}},
        ERROR_QUIET,
        "CRL is not supported with SIMPLE TLS",
    ),
    istiod(
        "TestValidateTlsOptions/crl specified for CredentialName",
        {"in": {"mode": "SIMPLE", "caCrl": "crl", "credentialName": "credential"}},
        VALID_QUIET,
    ),
    istiod(
        "TestValidateTlsOptions/mutual no server cert#2",
        {
            "in": {
                "mode": "MUTUAL",
                "serverCertificate": "",
                "privateKey": "Khan Noonien Singh",
                "caCertificates": "Commander William T. Riker",
            },
        },
        ERROR_QUIET,
        "MUTUAL TLS requires a server certificate",
    ),
    istiod(
        "TestValidateTlsOptions/mutual no private key",
        {
            "in": {
                "mode": "MUTUAL",
                "serverCertificate": "Khan Noonien Singh",
                "privateKey": "",
                "caCertificates": "Commander William T. Riker",
            },
        },
        ERROR_QUIET,
        "MUTUAL TLS requires a private key",
    ),
    istiod(
        "TestValidateTlsOptions/with CredentialNames",
        {"in": {"mode": "MUTUAL", "credentialNames": ["credential1", "credential2"]}},
        VALID_QUIET,
    ),
    istiod("TestValidationIPAddress/valid ipv4 address", {"addr": "1.1.1.1"}, VALID),
    istiod("TestValidationIPAddress/invalid ipv4 address", {"addr": "1.1.A.1"}, ERROR),
    istiod("TestValidationIPAddress/valid ipv6 subnet", {"addr": "2001:1::1"}, VALID),
    istiod("TestValidationIPAddress/invalid ipv6 address", {"addr": "2001:1:G::1"}, ERROR),
]


@pytest.mark.parametrize("fields, expect", CASES)
def test_istiod_gateway_case(request, fields, expect):
    case_id = request.node.callspec.id
    skip_unported(case_id, SKIPPED)
    spec = SPEC_BUILDERS[case_id.split("/", 1)[0]](**fields)
    assert_istiod_verdict(lambda: validate_gateway("foo", "bar", spec), our_verdict(case_id, expect, DEVIATIONS))
