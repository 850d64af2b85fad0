# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What module tests share: the spec a resource module builds from options, and an in-memory cluster."""

from __future__ import annotations

import copy
import re
from typing import Iterable, Optional

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.meshsmith.istio.plugins.module_utils.engine.descriptor import ResourceType
from ansible_collections.meshsmith.istio.plugins.module_utils.engine.resource import resource_argument_spec
from ansible_collections.meshsmith.istio.plugins.module_utils.istio.descriptors import ISTIO_RESOURCES
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.client import ApiError
from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.kinds import DEPLOYMENT, POD, SERVICE


def spec_from(resource: ResourceType, options: dict) -> dict:
    """What the module of ``resource`` stores for ``options``, after Ansible's own option parsing."""
    result = ArgumentSpecValidator(resource_argument_spec(resource)).validate(dict(options, name="proxy"))
    assert result.error_messages == []
    return resource.build_spec(result.validated_parameters)


KINDS = {kind.kind: kind for kind in [resource.at() for resource in ISTIO_RESOURCES.values()] + [SERVICE, POD, DEPLOYMENT]}


class FakeCluster:
    """Objects by item path, as an API server keeps them; records ``(method, path, dry_run)`` per request.

    Writes bump ``resourceVersion``; dry runs answer like the real write and store nothing. A LIST of a plural
    in ``unserved`` answers 404 as for a type whose CRD is not installed.
    """

    def __init__(self, objects: Iterable[dict] = (), unserved: Iterable[str] = ()) -> None:
        self.objects: dict = {}
        self.unserved = set(unserved)
        self.requests: list = []
        self.version = 100
        for obj in objects:
            metadata = obj["metadata"]
            self.objects[KINDS[obj["kind"]].path(metadata.get("namespace"), metadata["name"])] = self._stamped(obj)

    def _stamped(self, obj: dict) -> dict:
        self.version += 1
        stored = copy.deepcopy(obj)
        stored["metadata"]["resourceVersion"] = str(self.version)
        return stored

    def stored(self, kind: str, namespace: str, name: str) -> Optional[dict]:
        return copy.deepcopy(self.objects.get(KINDS[kind].path(namespace, name)))

    @property
    def writes(self) -> list:
        return [request for request in self.requests if request[0] not in ("GET", "LIST")]

    def get(self, path: str) -> Optional[dict]:
        self.requests.append(("GET", path, False))
        return copy.deepcopy(self.objects.get(path))

    def list(self, path: str, label_selector: Optional[str] = None, field_selector: Optional[str] = None) -> list:
        self.requests.append(("LIST", path, False))
        if path.rsplit("/", 1)[1] in self.unserved:
            raise ApiError(404, "NotFound", "the server could not find the requested resource", method="GET")
        return [copy.deepcopy(obj) for item_path, obj in self.objects.items()
                if path in (item_path.rsplit("/", 1)[0], re.sub("/namespaces/[^/]+", "", item_path.rsplit("/", 1)[0]))]

    def create(self, path: str, body: dict, dry_run: bool = False) -> dict:
        self.requests.append(("POST", path, dry_run))
        return self._store("%s/%s" % (path, body["metadata"]["name"]), body, dry_run)

    def replace(self, path: str, body: dict, dry_run: bool = False) -> dict:
        self.requests.append(("PUT", path, dry_run))
        return self._store(path, body, dry_run)

    def delete(self, path: str, body: Optional[dict] = None, dry_run: bool = False) -> dict:
        self.requests.append(("DELETE", path, dry_run))
        if not dry_run:
            del self.objects[path]
        return {}

    def _store(self, path: str, body: dict, dry_run: bool) -> dict:
        stored = self._stamped(body)
        if not dry_run:
            self.objects[path] = stored
        return copy.deepcopy(stored)
