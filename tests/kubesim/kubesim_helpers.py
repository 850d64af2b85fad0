"""Constants and builders shared by kubesim's own tests."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = REPO_ROOT / ".venv" / "bin"
SEED = """\
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: default-gateway
  namespace: istio-system
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - "*"
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: proxy
  namespace: default
spec:
  hosts:
  - "*"
  gateways:
  - istio-system/default-gateway
  http:
  - route:
    - destination:
        host: proxy.default.svc.cluster.local
        port:
          number: 80
"""


def gateway(name: str, namespace: str, port: dict[str, Any] | None = None, **spec: Any) -> dict[str, Any]:
    """A Gateway body with one HTTP server."""
    server = {"port": port if port is not None else {"number": 80, "name": "http", "protocol": "HTTP"},
              "hosts": ["*"]}
    return {"apiVersion": "networking.istio.io/v1", "kind": "Gateway",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"selector": {"istio": "ingressgateway"}, "servers": [server], **spec}}


def gateways_path(namespace: str, name: str = "", version: str = "v1") -> str:
    base = f"/apis/networking.istio.io/{version}/namespaces/{namespace}/gateways"
    return f"{base}/{name}" if name else base


def wait_for(check: Callable[[], Any], timeout: float = 5.0) -> Any:
    """The first truthy value ``check()`` returns within ``timeout`` seconds (simulated controllers act later)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")
