{{/* Labels derived from the release name, as in Istio's gateway chart: "istio-" prefix dropped for the istio label.
     Helpers answer JSON (valid YAML flow style), so the templates using them stay parseable by yamllint. */}}
{{- define "gateway.selectorLabels" -}}
{{ dict "app" .Release.Name "istio" (trimPrefix "istio-" .Release.Name) | toJson }}
{{- end }}

{{- define "gateway.labels" -}}
{{ merge (dict "meshsmith.istio/stand-in" "true") (include "gateway.selectorLabels" . | fromJson) | toJson }}
{{- end }}

{{/* The container ports behind the Service ports: name and targetPort of each. */}}
{{- define "gateway.containerPorts" -}}
{{- $ports := list }}
{{- range .Values.service.ports }}
{{- $ports = append $ports (dict "name" .name "containerPort" .targetPort) }}
{{- end }}
{{- toJson $ports }}
{{- end }}
