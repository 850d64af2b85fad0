{{/* Labels derived from the release name, as in Istio's gateway chart: "istio-" prefix dropped for the istio label. */}}
{{- define "gateway.selectorLabels" -}}
app: {{ .Release.Name }}
istio: {{ .Release.Name | trimPrefix "istio-" }}
{{- end }}
