# -*- coding: utf-8 -*-
# Copyright: (c) 2026, meshsmith.istio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module attributes: check mode, diff mode and the C(meshsmith.istio.istio) action group."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
attributes:
  action_group:
    description: Use C(group/meshsmith.istio.istio) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - meshsmith.istio.istio
  check_mode:
    description: Reports what would change and sends only the GET; writes nothing.
    support: full
  diff_mode:
    description: Shows the resource's name, namespace, labels, annotations and spec before and after.
    support: full
"""

    INFO_MODULE = r"""
attributes:
  action_group:
    description: Use C(group/meshsmith.istio.istio) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - meshsmith.istio.istio
  check_mode:
    description: The module only reads, so it runs unchanged in check mode.
    support: full
  diff_mode:
    description: Nothing changes, so there is no diff.
    support: none
"""
