"""``kubesim serve``: start the server, write the kubeconfig once ready, print one ready line."""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import secrets
import signal
import sys
from pathlib import Path

import yaml
from aiohttp import web

from kubesim import tls
from kubesim.admin import Admin
from kubesim.app import ApiServer
from kubesim.auth import ADMIN_NAME, User, parse_user
from kubesim.controllers import LB_DOMAIN, LB_PENDING_ANNOTATION, Controllers
from kubesim.engine import Engine
from kubesim.loader import bootstrap
from kubesim.selectors import DNS1123_SUBDOMAIN
from kubesim.status import ApiError


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="kubesim", description="A faithful local Kubernetes API server.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the API over HTTPS on 127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="port to listen on (0 picks a free one)")
    serve.add_argument("--kubeconfig", required=True, type=Path, help="kubeconfig file written once ready")
    serve.add_argument("--kube-version", default="1.30", help="Kubernetes version to emulate (e.g. 1.30, 1.19)")
    serve.add_argument("--lb-delay", type=float, default=0.5,
                       help="seconds before a LoadBalancer Service gets its ingress hostname")
    serve.add_argument("--lb-domain", default=LB_DOMAIN, type=dns_subdomain,
                       help="domain of the hostnames given to LoadBalancer Services (<name>.<namespace>.DOMAIN); "
                            "distinct per kubesim, it tells clusters' addresses apart")
    serve.add_argument("--lb-pending", action="store_true",
                       help=f"leave LoadBalancer addresses pending (per Service: annotation {LB_PENDING_ANNOTATION})")
    serve.add_argument("--namespace-termination", type=float, default=0.5, metavar="SECONDS",
                       help="seconds a deleted Namespace stays Terminating before it and its content are gone")
    serve.add_argument("--no-istio-gateway-controller", dest="gateway_api_controller", action="store_false",
                       help="do not emulate istiod's Gateway API controller (GatewayClass istio, gateway Deployments "
                            "and Services, Gateway and route status)")
    serve.add_argument("--user", action="append", default=[], type=user_option, metavar="NAME:TOKEN:ROLE[:NS,...]",
                       help="an extra bearer-token user, role view or edit, optionally limited to namespaces "
                            "(repeatable); each gets a context kubesim-NAME in the kubeconfig")
    serve.add_argument("--load", action="append", default=[], metavar="PATH",
                       help="YAML file or directory of manifests to apply before serving (repeatable)")
    serve.add_argument("--request-log", type=Path, help="also append every API request as a JSON line here")
    return parser.parse_args(argv)


def user_option(text: str) -> User:
    try:
        return parse_user(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def dns_subdomain(text: str) -> str:
    if len(text) > 200 or not DNS1123_SUBDOMAIN.match(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a lowercase DNS subdomain (RFC 1123)")
    return text


def kube_version_tuple(text: str) -> tuple[int, int]:
    major, minor = text.split(".")[:2]
    return int(major), int(minor)


def kubeconfig(url: str, ca_pem: bytes, users: list[User]) -> dict:
    """Cluster ``kubesim``; the admin (first user) as user and current context ``kubesim``, others as
    ``kubesim-NAME`` (namespace: their first namespace, else ``default``)."""
    names = ["kubesim"] + [f"kubesim-{user.name}" for user in users[1:]]
    return {
        "apiVersion": "v1", "kind": "Config", "preferences": {}, "current-context": "kubesim",
        "clusters": [{"name": "kubesim", "cluster": {
            "server": url, "certificate-authority-data": base64.b64encode(ca_pem).decode()}}],
        "users": [{"name": name, "user": {"token": user.token}} for name, user in zip(names, users)],
        "contexts": [{"name": name, "context": {"cluster": "kubesim", "user": name,
                                                "namespace": (user.namespaces or ("default",))[0]}}
                     for name, user in zip(names, users)],
    }


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.chmod(temporary, 0o600)
    temporary.replace(path)


async def serve(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    engine = Engine(kube_version_tuple(args.kube_version))
    bootstrap(engine, args.load)
    creds = tls.generate()
    users = [User(ADMIN_NAME, secrets.token_urlsafe(32), "admin"), *args.user]
    admin = Admin(log_file=args.request_log)
    controllers = Controllers(engine, args.lb_delay, args.lb_pending, args.namespace_termination,
                              args.gateway_api_controller, args.lb_domain)
    server = ApiServer(engine, users, args.kube_version, admin)
    runner = web.AppRunner(server.build(), access_log=None, handle_signals=False, shutdown_timeout=2)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", args.port, ssl_context=tls.server_context(creds))
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    url = f"https://127.0.0.1:{port}"
    write_atomically(args.kubeconfig, yaml.safe_dump(kubeconfig(url, creds.ca_pem, users), sort_keys=False))
    print(f"kubesim ready at {url}", flush=True)
    await stop.wait()
    server.watches.close()
    await controllers.stop()
    await runner.cleanup()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        asyncio.run(serve(args))
    except ApiError as error:
        print(f"kubesim: cannot load manifests: {error.body['message']}", file=sys.stderr)
        return 1
    except (OSError, yaml.YAMLError) as error:
        print(f"kubesim: {error}", file=sys.stderr)
        return 1
    return 0
