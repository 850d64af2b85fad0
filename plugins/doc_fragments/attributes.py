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
    description:
      - Reports what would change. When something would change, the write is sent with C(dryRun=All), so the
        API server's schema, CEL rules and admission webhooks judge it as they would the real write, and a
        refusal fails the task; nothing is stored. When nothing would change, only the GET is sent.
      - When the namespace or the resource type does not exist yet (an earlier task of the same run would create
        it), the server cannot judge a create; the task then warns and reports the locally computed result.
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
