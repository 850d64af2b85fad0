# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No secret in the output: ``ansible-playbook -vvv`` with an api_key, a password and a client key set, on
success and on failure, prints none of them, and no request header kubesim recorded carries one."""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

PASSWORD = "pa55-Wrd-7f3c91"
WRONG_TOKEN = "wrong-token-5c2e8a77d1"


def write_client_certificate(directory: Path) -> tuple:
    """A self-signed client certificate and its private key (PEM files); returns (cert, key, key body line)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bench-user")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now)
                   .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    cert_file, key_file = directory / "client.crt", directory / "client.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_text(key_pem)
    return cert_file, key_file, key_pem.splitlines()[1]


def test_verbose_runs_print_no_secret(cluster, tmp_path):
    if not cluster.is_kubesim:
        pytest.skip("needs kubesim's token and request log")
    sim = cluster.kubesim
    cluster.ensure_namespace("secrets")
    cert_file, key_file, key_line = write_client_certificate(tmp_path)
    auth = {"host": sim.url, "ca_cert": str(sim.ca_file), "api_key": sim.token, "username": "admin",
            "password": PASSWORD, "client_cert": str(cert_file), "client_key": str(key_file)}
    gateway = {"name": "secret-gw", "namespace": "secrets", "selector": {"istio": "ingressgateway"},
               "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}]}
    tasks = [
        {"name": "create with every secret set", "meshsmith.istio.gateway": dict(gateway, **auth)},
        {"name": "read with every secret set", "meshsmith.istio.gateway_info": dict(name="secret-gw", namespace="secrets", **auth)},
        {"name": "wrong token", "meshsmith.istio.gateway": dict(gateway, **dict(auth, api_key=WRONG_TOKEN)),
         "ignore_errors": True},
        {"name": "basic auth only", "meshsmith.istio.gateway_info": {"name": "secret-gw", "namespace": "secrets",
                                                                    "host": sim.url, "ca_cert": str(sim.ca_file),
                                                                    "username": "admin", "password": PASSWORD},
         "ignore_errors": True},
    ]
    playbook = tmp_path / "secrets.yml"
    playbook.write_text(yaml.safe_dump([{"hosts": "localhost", "connection": "local", "gather_facts": False,
                                         "tasks": tasks}]))
    sim.reset_requests()
    done = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), "-vvv", "-i", "localhost,", "-e",
                           "ansible_python_interpreter=" + sys.executable, str(playbook)],
                          env=cluster.env, capture_output=True, text=True, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "ok=4" in output and "ignored=2" in output, output
    assert "401 Unauthorized" in output, "the failing tasks really reached the server"
    assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in output, "-vvv prints the module arguments (masked)"

    for secret in (sim.token, PASSWORD, WRONG_TOKEN, key_line):
        assert secret not in output
    recorded = [entry["headers"] for entry in sim.requests()]
    assert recorded, "the runs sent requests"
    for headers in recorded:
        for value in headers.values():
            for secret in (sim.token, PASSWORD, WRONG_TOKEN, key_line):
                assert secret not in value
