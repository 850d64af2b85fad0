# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Istio networking API: its group and the versions it is served at (no imports: modules that only name the
API, like ``meshsmith.istio.apply``, stay light)."""

from __future__ import annotations

ISTIO_NETWORKING_GROUP = "networking.istio.io"
ISTIO_VERSIONS = ("v1", "v1beta1", "v1alpha3")  # Istio 1.22+ serve all three with one schema; v1 first
ISTIO_API_VERSIONS = tuple("%s/%s" % (ISTIO_NETWORKING_GROUP, version) for version in ISTIO_VERSIONS)
