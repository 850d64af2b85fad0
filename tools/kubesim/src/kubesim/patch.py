"""Patch formats the API server accepts: JSON merge (RFC 7386), JSON patch (RFC 6902), strategic merge
(built-in kinds only) and a simplified server-side-apply merge. Every function returns a new object and
leaves its inputs untouched. Error texts follow evanphx/json-patch as the apiserver reports them.
"""

from __future__ import annotations

import copy
from typing import Any

Path = tuple[str, ...]

CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")

# List fields merged by a key (patchMergeKey in k8s.io/api), matched on the end of the field path.
_MERGE_KEYS_BY_FIELD = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "volumeDevices": "devicePath",
    "ownerReferences": "uid",
    "imagePullSecrets": "name",
    "hostAliases": "ip",
    "conditions": "type",
}

# Lists of scalars whose patch strategy is "merge" (union) rather than replace.
_MERGED_SCALAR_LISTS = {("metadata", "finalizers")}

DIRECTIVE = "$patch"
RETAIN_KEYS = "$retainKeys"
SET_ELEMENT_ORDER = "$setElementOrder/"
DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/"


class PatchError(ValueError):
    """A patch that cannot be applied; ``str()`` is the message the server reports."""


class PatchTestFailed(PatchError):
    """A JSON patch ``test`` operation that did not match."""


# --- RFC 7386 -------------------------------------------------------------------------------


def json_merge_patch(target: Any, patch: Any) -> Any:
    """Apply an RFC 7386 merge patch: maps merge recursively, ``null`` deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = json_merge_patch(result.get(key), value)
    return result


# --- RFC 6902 -------------------------------------------------------------------------------


def _pointer_tokens(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise PatchError(f"JSON pointer must be empty or start with a \"/\": {pointer}")
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]


def _missing(op: str, pointer: str) -> PatchError:
    return PatchError(f"{op} operation does not apply: doc is missing path: \"{pointer}\": missing value")


def _list_index(container: list[Any], token: str, op: str, pointer: str, allow_end: bool) -> int:
    if token == "-" and allow_end:
        return len(container)
    if not token.isdigit() or (len(token) > 1 and token.startswith("0")):
        raise _missing(op, pointer)
    index = int(token)
    limit = len(container) if allow_end else len(container) - 1
    if index > limit:
        raise PatchError(f"Unable to access invalid index: {index}: invalid index referenced")
    return index


def _parent(doc: Any, tokens: list[str], op: str, pointer: str) -> Any:
    node = doc
    for token in tokens[:-1]:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise _missing(op, pointer)
    if not isinstance(node, (dict, list)):
        raise _missing(op, pointer)
    return node


def _get(doc: Any, pointer: str, op: str) -> Any:
    tokens = _pointer_tokens(pointer)
    if not tokens:
        return doc
    parent = _parent(doc, tokens, op, pointer)
    key = tokens[-1]
    if isinstance(parent, dict):
        if key not in parent:
            raise _missing(op, pointer)
        return parent[key]
    return parent[_list_index(parent, key, op, pointer, allow_end=False)]


def _add(doc: Any, pointer: str, value: Any, op: str = "add") -> Any:
    tokens = _pointer_tokens(pointer)
    if not tokens:
        return value
    parent = _parent(doc, tokens, op, pointer)
    if isinstance(parent, dict):
        parent[tokens[-1]] = value
    else:
        parent.insert(_list_index(parent, tokens[-1], op, pointer, allow_end=True), value)
    return doc


def _remove(doc: Any, pointer: str, op: str = "remove") -> Any:
    tokens = _pointer_tokens(pointer)
    if not tokens:
        raise _missing(op, pointer)
    parent = _parent(doc, tokens, op, pointer)
    if isinstance(parent, dict):
        if tokens[-1] not in parent:
            raise _missing(op, pointer)
        del parent[tokens[-1]]
    else:
        del parent[_list_index(parent, tokens[-1], op, pointer, allow_end=False)]
    return doc


def _required(operation: dict[str, Any], field: str) -> Any:
    if field not in operation:
        raise PatchError(f"{operation.get('op')} operation missing {field} field" if field != "path"
                         else "operation missing path field")
    return operation[field]


def json_patch(target: Any, operations: list[dict[str, Any]]) -> Any:
    """Apply RFC 6902 operations in order; raise ``PatchError``/``PatchTestFailed`` on failure."""
    doc = copy.deepcopy(target)
    for operation in operations:
        if not isinstance(operation, dict):
            raise PatchError("invalid JSON patch operation")
        op = operation.get("op")
        path = _required(operation, "path")
        if op == "add":
            doc = _add(doc, path, copy.deepcopy(_required(operation, "value")))
        elif op == "remove":
            doc = _remove(doc, path)
        elif op == "replace":
            value = copy.deepcopy(_required(operation, "value"))
            _get(doc, path, "replace")
            doc = value if path == "" else _add(_remove(doc, path, "replace"), path, value, "replace")
        elif op in ("move", "copy"):
            source = _required(operation, "from")
            if op == "move" and (path + "/").startswith(source + "/") and path != source:
                raise PatchError(f"move operation does not apply: cannot move {source} into its own child {path}")
            value = copy.deepcopy(_get(doc, source, op))
            if op == "move":
                doc = _remove(doc, source, op)
            doc = _add(doc, path, value, op)
        elif op == "test":
            expected = _required(operation, "value")
            try:
                actual = _get(doc, path, "test")
            except PatchError:
                raise PatchTestFailed(f"testing value {path} failed: test failed") from None
            if not _json_equal(actual, expected):
                raise PatchTestFailed(f"testing value {path} failed: test failed")
        else:
            raise PatchError(f"Unexpected kind: {op}")
    return doc


def _json_equal(left: Any, right: Any) -> bool:
    """JSON equality: ``1 == 1.0`` but ``True != 1``."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_json_equal(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(_json_equal(a, b) for a, b in zip(left, right))
    return left == right


# --- strategic merge patch ------------------------------------------------------------------


def merge_key(kind: str, path: Path) -> str | None:
    """The patchMergeKey of the list at ``path`` (field names only) in a built-in ``kind``."""
    if not path:
        return None
    field = path[-1]
    if field == "ports":
        if len(path) >= 2 and path[-2] in CONTAINER_LISTS:
            return "containerPort"
        if kind == "Service" and path == ("spec", "ports"):
            return "port"
        return None
    return _MERGE_KEYS_BY_FIELD.get(field)


def strategic_merge_patch(target: dict[str, Any], patch: dict[str, Any], kind: str) -> dict[str, Any]:
    """Apply a strategic merge patch to a built-in object of ``kind``."""
    if not isinstance(patch, dict):
        raise PatchError("strategic merge patch must be a JSON object")
    return _merge_map(copy.deepcopy(target), copy.deepcopy(patch), kind, (), directives=True)


def apply_merge(live: dict[str, Any], applied: dict[str, Any], kind: str = "") -> dict[str, Any]:
    """Merge an applied configuration into the live object (server-side apply, simplified).

    Maps merge deeply, lists with a known merge key merge element by element, other lists are replaced.
    """
    return _merge_map(copy.deepcopy(live), copy.deepcopy(applied), kind, (), directives=False)


def _merge_map(target: dict[str, Any], patch: dict[str, Any], kind: str, path: Path,
               directives: bool) -> dict[str, Any]:
    if directives:
        directive = patch.pop(DIRECTIVE, None)
        if directive == "replace":
            return _strip_directives(patch)
        if directive == "delete":
            return {}
        if directive not in (None, "merge"):
            raise PatchError(f"Unknown patch type: {directive} in map: {patch}")
    retain_keys = patch.pop(RETAIN_KEYS, None) if directives else None
    orders, deletions = {}, {}
    if directives:
        for key in [k for k in patch if k.startswith(SET_ELEMENT_ORDER)]:
            orders[key[len(SET_ELEMENT_ORDER):]] = patch.pop(key)
        for key in [k for k in patch if k.startswith(DELETE_FROM_PRIMITIVE_LIST)]:
            deletions[key[len(DELETE_FROM_PRIMITIVE_LIST):]] = patch.pop(key)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        child_path = path + (key,)
        if value is None or (directives and isinstance(value, dict) and value.get(DIRECTIVE) == "delete"):
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _merge_map(result[key], value, kind, child_path, directives)
        elif isinstance(value, list) and isinstance(result.get(key), list):
            result[key] = _merge_list(result[key], value, kind, child_path, directives)
        else:
            result[key] = _strip_directives(value) if directives else value
    for key, removed in deletions.items():
        if isinstance(result.get(key), list):
            result[key] = [item for item in result[key] if item not in removed]
    for key, order in orders.items():
        if isinstance(result.get(key), list):
            result[key] = _ordered(result[key], order, merge_key(kind, path + (key,)))
    if retain_keys is not None:
        result = {key: value for key, value in result.items() if key in retain_keys}
    return result


def _merge_list(target: list[Any], patch: list[Any], kind: str, path: Path, directives: bool) -> list[Any]:
    if directives and any(isinstance(item, dict) and item.get(DIRECTIVE) == "replace" for item in patch):
        return [_strip_directives(item) for item in patch
                if not (isinstance(item, dict) and item.get(DIRECTIVE) == "replace")]
    key = merge_key(kind, path)
    if path in _MERGED_SCALAR_LISTS:
        return target + [item for item in patch if item not in target]
    if key is None:
        return [_strip_directives(item) for item in patch] if directives else patch
    result = list(target)
    for item in patch:
        if not isinstance(item, dict) or key not in item:
            raise PatchError(f"map: {item} does not contain declared merge key: {key}")
        position = next((i for i, old in enumerate(result) if isinstance(old, dict) and old.get(key) == item[key]),
                        None)
        if directives and item.get(DIRECTIVE) == "delete":
            if position is not None:
                del result[position]
        elif position is None:
            result.append(_strip_directives(item) if directives else item)
        else:
            result[position] = _merge_map(result[position], item, kind, path, directives)
    return result


def _ordered(items: list[Any], order: list[Any], key: str | None) -> list[Any]:
    def identity(item: Any) -> Any:
        return item.get(key) if key and isinstance(item, dict) else item

    wanted = [identity(entry) for entry in order]
    listed = sorted((item for item in items if identity(item) in wanted), key=lambda item: wanted.index(identity(item)))
    return listed + [item for item in items if identity(item) not in wanted]


def _strip_directives(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_directives(v) for k, v in value.items()
                if not k.startswith("$") and v is not None}
    if isinstance(value, list):
        return [_strip_directives(item) for item in value]
    return value
