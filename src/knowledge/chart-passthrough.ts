// Value names that the Cilium chart renders verbatim as Kubernetes objects
// (`toYaml .Values.<x>` in the templates): keys below them belong to the
// Kubernetes API, not to the chart, so key-path checks stop there.
// Source: cilium/cilium install/kubernetes/cilium/templates/*, e.g.
// cilium-agent/daemonset.yaml `{{- with .Values.affinity }} affinity: {{- toYaml . | nindent 8 }}`.
export const PASS_THROUGH_KEYS: ReadonlySet<string> = new Set([
  'affinity',
  'nodeSelector',
  'tolerations',
  'resources',
  'podLabels',
  'podAnnotations',
  'annotations',
  'labels',
  'securityContext',
  'podSecurityContext',
  'extraConfig',
  'extraEnv',
  'extraArgs',
  'extraVolumes',
  'extraVolumeMounts',
  'extraInitContainers',
  'topologySpreadConstraints',
  'updateStrategy',
  'startupProbe',
  'livenessProbe',
  'readinessProbe',
]);
