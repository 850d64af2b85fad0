{{/* A .tpl, not a .yaml: this file is only template logic (Helm installs every file of templates/ not
     starting with "_"), and YAML linters such as ansible-test sanity's yamllint parse *.yaml files. */}}
{{- $crds := .Files.Glob "files/*.yaml" }}
{{- if not $crds }}
{{- fail "stand-in base chart: no CRDs in files/. Stage the charts first: python tests/charts/stage.py DEST [--crds DIR]" }}
{{- end }}
{{- range $path, $_ := $crds }}
---
{{ $.Files.Get $path }}
{{- end }}
