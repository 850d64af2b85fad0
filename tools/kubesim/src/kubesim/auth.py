"""Bearer-token users and a small RBAC subset: verbs x resources x namespaces, with the real 403 wording.

The kubeconfig's token is the admin (everything, including the ``/_kubesim`` admin API). Extra users come from
``--user NAME:TOKEN:ROLE[:NS1,NS2]``: role ``view`` may get, list and watch; role ``edit`` may use every verb;
with namespaces, only namespaced resources of those namespaces (and those Namespace objects themselves) are
reachable, as a RoleBinding of the ``view``/``edit`` ClusterRole in each would allow. Discovery, ``/version`` and
``/openapi`` are open to every authenticated user (``system:discovery``).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from kubesim.status import ApiError, forbidden

READ_VERBS = frozenset(("get", "list", "watch"))
ROLE_VERBS = {"view": READ_VERBS, "edit": READ_VERBS | {"create", "update", "patch", "delete", "deletecollection"}}
ADMIN_NAME = "kubesim-admin"


@dataclass(frozen=True)
class User:
    """A token's user: its name, role, and namespaces (empty: cluster-wide)."""

    name: str
    token: str
    role: str
    namespaces: tuple[str, ...] = ()

    @property
    def admin(self) -> bool:
        return self.role == "admin"

    def may(self, verb: str, namespace: str) -> bool:
        """Whether RBAC lets this user run ``verb`` in ``namespace`` ("" for cluster scope)."""
        if self.admin:
            return True
        if verb not in ROLE_VERBS[self.role]:
            return False
        return not self.namespaces or namespace in self.namespaces


def parse_user(text: str) -> User:
    """``NAME:TOKEN:ROLE[:NS1,NS2]``; raises ValueError with what is wrong."""
    parts = text.split(":")
    if len(parts) not in (3, 4) or not all(parts[:3]):
        raise ValueError(f"--user {text!r}: expected NAME:TOKEN:ROLE[:NAMESPACE,...]")
    name, token, role = parts[:3]
    if role not in ROLE_VERBS:
        raise ValueError(f"--user {name}: role {role!r} is not one of {', '.join(sorted(ROLE_VERBS))}")
    namespaces = tuple(ns for ns in (parts[3].split(",") if len(parts) == 4 else []) if ns)
    return User(name, token, role, namespaces)


def authenticate(header: str, users: list[User]) -> User | None:
    """The user whose bearer token the Authorization header carries, or None (401)."""
    found = None
    for user in users:
        if hmac.compare_digest(header.encode(), f"Bearer {user.token}".encode()):
            found = user
    return found


def request_verb(method: str, collection: bool, watch: bool) -> str:
    """The authorization verb of an API request (``RequestInfoFactory``)."""
    if method == "GET":
        return ("watch" if watch else "list") if collection else "get"
    if method == "DELETE":
        return "deletecollection" if collection else "delete"
    return {"POST": "create", "PUT": "update", "PATCH": "patch"}.get(method, method.lower())


def authorize(user: User, verb: str, plural: str, subresource: str, group: str, namespace: str,
              name: str) -> None:
    """Raise the real 403 unless ``user`` may run ``verb``; a Namespace's own namespace is its name."""
    scope = name if plural == "namespaces" and not group and name else namespace
    if user.may(verb, scope):
        return
    resource = f"{plural}/{subresource}" if subresource else plural
    where = f'in the namespace "{scope}"' if scope else "at the cluster scope"
    raise forbidden(plural, group, name,
                    f'User "{user.name}" cannot {verb} resource "{resource}" in API group "{group}" {where}')


def unauthorized() -> ApiError:
    return ApiError(401, "Unauthorized", "Unauthorized")
