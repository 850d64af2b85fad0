"""Run kubesim from tests: ``with KubeSim(tmp_path) as sim: sim.api("GET", "/api/v1/namespaces")``."""

from __future__ import annotations

import base64
import json
import os
import select
import signal
import ssl
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Iterable

import yaml

READY_PREFIX = "kubesim ready at "
# Loading the Istio and Gateway API CRDs (CEL rules compiled) took over 20 s with parallel test workers on a loaded
# 2-core machine; the bound only ends a hung start, a healthy one never waits it out.
START_TIMEOUT = 120.0
APPLY_MANAGER = "kubesim-testing"


class KubeSim:
    """A kubesim server in a subprocess, with helpers for direct API and admin calls."""

    def __init__(self, tmp_path: Path | str, kube_version: str | None = None, load: Iterable[str | Path] = (),
                 lb_delay: float = 0.2, extra_args: Iterable[str] = ()) -> None:
        self.tmp_path = Path(tmp_path)
        self.tmp_path.mkdir(parents=True, exist_ok=True)
        self.kubeconfig = self.tmp_path / "kubeconfig"
        self.ca_file = self.tmp_path / "ca.crt"
        self.log_file = self.tmp_path / "kubesim.log"
        command = [sys.executable, "-m", "kubesim", "serve", "--port", "0", "--kubeconfig", str(self.kubeconfig),
                   "--lb-delay", str(lb_delay)]
        if kube_version:
            command += ["--kube-version", kube_version]
        for path in load:
            command += ["--load", str(path)]
        command += list(extra_args)
        with self.log_file.open("wb") as log:
            self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True)
        self.url = self._wait_ready()
        config = yaml.safe_load(self.kubeconfig.read_text(encoding="utf-8"))
        self.token: str = config["users"][0]["user"]["token"]
        self.ca_file.write_bytes(base64.b64decode(config["clusters"][0]["cluster"]["certificate-authority-data"]))
        self._ssl = ssl.create_default_context(cafile=str(self.ca_file))

    def _wait_ready(self) -> str:
        assert self.process.stdout is not None
        readable = select.select([self.process.stdout], [], [], START_TIMEOUT)[0]
        line = self.process.stdout.readline() if readable else ""
        if not line.startswith(READY_PREFIX):
            self.process.kill()
            self.process.wait()
            raise RuntimeError(f"kubesim did not start: {line!r}\n{self.log_file.read_text(errors='replace')}")
        return line[len(READY_PREFIX):].strip()

    # ---- lifecycle ---------------------------------------------------------------------------------------
    def stop(self) -> int:
        """SIGTERM and wait; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.process.returncode

    def __enter__(self) -> KubeSim:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- HTTP --------------------------------------------------------------------------------------------
    def api(self, method: str, path: str, body: Any = None, content_type: str | None = None,
            headers: dict[str, str] | None = None, token: str | None = None) -> tuple[int, Any]:
        """One request; returns (status, decoded JSON or None). ``body`` may be bytes, str or JSON-able;
        ``token`` replaces the admin token (another ``--user``'s)."""
        data = body if isinstance(body, (bytes, type(None))) else (
            body.encode() if isinstance(body, str) else json.dumps(body).encode())
        all_headers = {"Authorization": f"Bearer {token or self.token}", "Accept": "application/json", **(headers or {})}
        if data is not None:
            all_headers["Content-Type"] = content_type or "application/json"
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(request, context=self._ssl, timeout=30) as response:
                return response.status, _decode(response.read())
        except urllib.error.HTTPError as error:
            return error.code, _decode(error.read())

    def requests(self) -> list[dict[str, Any]]:
        return self.api("GET", "/_kubesim/requests")[1]

    def reset_requests(self) -> None:
        self.api("DELETE", "/_kubesim/requests")

    def fault(self, **fields: Any) -> dict[str, Any]:
        status, body = self.api("POST", "/_kubesim/faults", fields)
        if status != 201:
            raise ValueError(f"fault refused: {body}")
        return body

    def clear_faults(self) -> None:
        self.api("DELETE", "/_kubesim/faults")

    def apply(self, manifest: str | Path) -> list[dict[str, Any]]:
        """Server-side apply every document of a YAML text or file; returns the objects as stored."""
        text = Path(manifest).read_text(encoding="utf-8") if _is_path(manifest) else str(manifest)
        results = []
        for doc in (d for d in yaml.safe_load_all(text) if d):
            status, body = self.api("PATCH", self.object_path(doc) + f"?fieldManager={APPLY_MANAGER}&force=true",
                                    yaml.safe_dump(doc), "application/apply-patch+yaml")
            if status >= 300:
                raise RuntimeError(f"apply failed ({status}): {body.get('message') if body else body}")
            results.append(body)
        return results

    def object_path(self, doc: dict[str, Any]) -> str:
        """The item path of a manifest (resource looked up in discovery)."""
        api_version, kind, meta = doc["apiVersion"], doc["kind"], doc.get("metadata", {})
        base = f"/apis/{api_version}" if "/" in api_version else f"/api/{api_version}"
        status, listing = self.api("GET", base)
        if status != 200:
            raise RuntimeError(f"unknown apiVersion {api_version}")
        resource = next(r for r in listing["resources"] if r["kind"] == kind and "/" not in r["name"])
        scope = f"/namespaces/{meta.get('namespace') or 'default'}" if resource["namespaced"] else ""
        return f"{base}{scope}/{resource['name']}/{meta['name']}"


def _is_path(manifest: str | Path) -> bool:
    return isinstance(manifest, Path) or ("\n" not in manifest and os.path.exists(manifest))


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode(errors="replace")
