"""Sphinx settings of the documentation site; docs/site/README.md explains the build."""

import re

from docutils import nodes

project = 'meshsmith.istio'
copyright = 'Meshsmith maintainers, GNU General Public License v3.0 or later'  # pylint: disable=redefined-builtin
title = 'meshsmith.istio'
html_short_title = 'meshsmith.istio'

extensions = ['sphinx_antsibull_ext', 'myst_parser', 'sphinxcontrib.mermaid']
source_suffix = {'.rst': 'restructuredtext', '.md': 'markdown'}
# docs/architecture.md's diagram is drawn in the browser by mermaid's script (from its CDN); offline readers see
# its source and the ASCII drawing that follows it.
myst_fence_as_directive = ['mermaid']
myst_heading_anchors = 3

pygments_style = 'ansible'
highlight_language = 'YAML+Jinja'

html_theme = 'sphinx_ansible_theme'
html_theme_options = {
    'collapse_navigation': False,
    'documentation_home_url': 'https://github.com/meshsmith/meshsmith.istio',  # the top bar's Ansible logo
    'show_rtd_ethical_ads': False,
    'topbar_links': {
        'Repository': 'https://github.com/meshsmith/meshsmith.istio',
        'Issues': 'https://github.com/meshsmith/meshsmith.istio/issues',
    },
}
html_show_sphinx = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False
display_version = False

default_role = 'any'

# The site builds offline, so no intersphinx: the few labels of the Ansible documentation that the generated
# pages refer to (other collections' plugins, reference appendices) become links to docs.ansible.com here.
ANSIBLE_DOCS = 'https://docs.ansible.com/projects/ansible/latest/'
ANSIBLE_DOCS_PAGES = {
    'action_plugins': 'plugins/action.html',
    'ansible_configuration_settings': 'reference_appendices/config.html',
    'common_return_values': 'reference_appendices/common_return_values.html',
}
PLUGIN_LABEL = re.compile(r'ansible_collections\.(?P<namespace>\w+)\.(?P<name>\w+)\.(?P<page>\w+)$')


def link_to_ansible_docs(_app, _env, node, contnode):
    """Resolve a :ref: to the Ansible documentation that this site does not hold; None leaves it unresolved."""
    if node.get('reftype') != 'ref':
        return None
    target = node['reftarget']
    plugin = PLUGIN_LABEL.match(target)
    page = ('collections/{namespace}/{name}/{page}.html'.format(**plugin.groupdict()) if plugin
            else ANSIBLE_DOCS_PAGES.get(target))
    if page is None:
        return None
    reference = nodes.reference('', '', internal=False, refuri=ANSIBLE_DOCS + page)
    reference += contnode
    return reference


def setup(app):
    """Sphinx hook: register the resolver."""
    app.connect('missing-reference', link_to_ansible_docs)
