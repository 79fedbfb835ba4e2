{{/*
The chart name, cut to 63 characters (the DNS label limit of Kubernetes names).
*/}}
{{- define "lvs-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The fully qualified app name, cut to 63 characters. If the release name already contains the
chart name, it is used as is.
*/}}
{{- define "lvs-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
"name-version" for the helm.sh/chart label.
*/}}
{{- define "lvs-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The labels on every object: the recommended app.kubernetes.io/* labels plus commonLabels.
*/}}
{{- define "lvs-operator.labels" -}}
helm.sh/chart: {{ include "lvs-operator.chart" . }}
{{ include "lvs-operator.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: lvs-operator
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
The operator pods' selector labels. Immutable once installed: never add to them.
*/}}
{{- define "lvs-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "lvs-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{/*
The labels of the agent's chart-made objects (ServiceAccount, RBAC, PodMonitor).
*/}}
{{- define "lvs-operator.agentLabels" -}}
helm.sh/chart: {{ include "lvs-operator.chart" . }}
app.kubernetes.io/name: {{ include "lvs-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: agent
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: lvs-operator
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
The operator's ServiceAccount name.
*/}}
{{- define "lvs-operator.serviceAccountName" -}}
{{- if .Values.operator.serviceAccount.create }}
{{- default (include "lvs-operator.fullname" .) .Values.operator.serviceAccount.name }}
{{- else }}
{{- required "operator.serviceAccount.name is required when operator.serviceAccount.create is false" .Values.operator.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The agents' ServiceAccount name (the operator puts it into the agent DaemonSet).
*/}}
{{- define "lvs-operator.agentServiceAccountName" -}}
{{- if .Values.agent.serviceAccount.create }}
{{- default (printf "%s-agent" (include "lvs-operator.fullname" .) | trunc 63 | trimSuffix "-") .Values.agent.serviceAccount.name }}
{{- else }}
{{- required "agent.serviceAccount.name is required when agent.serviceAccount.create is false" .Values.agent.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The agent DaemonSet's name (made by the operator, in the release namespace).
*/}}
{{- define "lvs-operator.agentDaemonSetName" -}}
{{- default (printf "%s-agent" (include "lvs-operator.fullname" .) | trunc 63 | trimSuffix "-") .Values.agent.daemonSetName }}
{{- end }}

{{/*
The leader-election Lease's name.
*/}}
{{- define "lvs-operator.leaseName" -}}
{{- default (printf "%s-leader" (include "lvs-operator.fullname" .) | trunc 63 | trimSuffix "-") .Values.operator.leaderElection.leaseName }}
{{- end }}

{{/*
An image reference: repository:tag (tag defaults to the chart's appVersion), or repository@digest.
Call with (dict "image" .Values.operator.image "context" $ "what" "operator").
*/}}
{{- define "lvs-operator.image" -}}
{{- $repo := required (printf "A valid .Values.%s.image.repository is required" .what) .image.repository }}
{{- if .image.digest }}
{{- printf "%s@%s" $repo .image.digest }}
{{- else }}
{{- printf "%s:%s" $repo (default .context.Chart.AppVersion .image.tag | toString) }}
{{- end }}
{{- end }}

{{/*
The agent's arguments after the operator's own "run --node-name ... --state-dir ... --metrics-port ...".
*/}}
{{- define "lvs-operator.agentArgs" -}}
{{- $a := .Values.agent }}
{{- $args := list }}
{{- with $a.resyncPeriod }}{{ $args = append $args (printf "--resync-period=%s" .) }}{{ end }}
{{- with $a.minSyncInterval }}{{ $args = append $args (printf "--min-sync-interval=%s" .) }}{{ end }}
{{- if not (kindIs "invalid" $a.expireNodestConn) }}{{ $args = append $args (printf "--expire-nodest-conn=%v" $a.expireNodestConn) }}{{ end }}
{{- if not (kindIs "invalid" $a.expireQuiescentTemplate) }}{{ $args = append $args (printf "--expire-quiescent-template=%v" $a.expireQuiescentTemplate) }}{{ end }}
{{- if not (kindIs "invalid" $a.connReuseMode) }}{{ $args = append $args (printf "--conn-reuse-mode=%v" $a.connReuseMode) }}{{ end }}
{{- with $a.directorInterface }}{{ $args = append $args (printf "--director-interface=%s" .) }}{{ end }}
{{- $args = append $args (printf "--vip-pools=%s" .Values.vipPools.enforcement) }}
{{- with $a.directors }}
{{- $args = append $args (printf "--director-election=%s" (ternary "On" "Off" .election)) }}
{{- with .leaseDuration }}{{ $args = append $args (printf "--director-lease-duration=%s" .) }}{{ end }}
{{- with .renewInterval }}{{ $args = append $args (printf "--director-renew-interval=%s" .) }}{{ end }}
{{- with .rebalanceAfter }}{{ $args = append $args (printf "--director-rebalance-after=%s" .) }}{{ end }}
{{- with .syncDaemon }}
{{- $args = append $args (printf "--sync-daemon=%s" (ternary "On" "Off" .enabled)) }}
{{- with .interface }}{{ $args = append $args (printf "--sync-interface=%s" .) }}{{ end }}
{{- if .syncId }}{{ $args = append $args (printf "--sync-id=%v" .syncId) }}{{ end }}
{{- with .group }}{{ $args = append $args (printf "--sync-group=%s" .) }}{{ end }}
{{- if .port }}{{ $args = append $args (printf "--sync-port=%v" .port) }}{{ end }}
{{- end }}
{{- end }}
{{- range $a.extraArgs }}{{ $args = append $args . }}{{ end }}
{{- toYaml $args }}
{{- end }}

{{/*
One lvs-operator per cluster. Every operator reconciles every VirtualService and RealServer of the
cluster and places its own agents, so a second install would program the same nodes twice and
fight over status. On `helm install` and `helm upgrade` (not `helm template`, where lookup sees no
cluster) this fails when the ClusterRoleBinding of another install's operator exists: another
release name, or the same name in another namespace. Rendered at the top of operator-rbac.yaml.
*/}}
{{- define "lvs-operator.onePerCluster" -}}
{{- $bindings := lookup "rbac.authorization.k8s.io/v1" "ClusterRoleBinding" "" "" }}
{{- range $b := (get ($bindings | default dict) "items" | default list) }}
{{- $l := $b.metadata.labels | default dict }}
{{- if and (eq (get $l "app.kubernetes.io/part-of") "lvs-operator") (eq (get $l "app.kubernetes.io/component") "operator") }}
{{- $ns := "" }}
{{- range ($b.subjects | default list) }}{{ $ns = .namespace }}{{ end }}
{{- if or (ne (get $l "app.kubernetes.io/instance") $.Release.Name) (ne $ns $.Release.Namespace) }}
{{- fail (printf "another lvs-operator is installed in this cluster: release %q in namespace %q (ClusterRoleBinding %s). Two operators would both program every node and fight over status: uninstall it first, or upgrade that release (docs/install.md, \"One install per cluster\")" (get $l "app.kubernetes.io/instance") $ns $b.metadata.name) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
