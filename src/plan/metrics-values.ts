// Helm values the alert rules need, for the lead to merge into plan/values.ts ciliumValues:
// agent and operator metrics on, scraped through ServiceMonitors (the rules are a
// PrometheusRule, so the Prometheus Operator and its CRDs are present). Every key exists in
// the Cilium chart 1.16–1.20 (checked against knowledge/chart-keys in helm-values.test.ts).
import type { EdgeNetwork } from '../edgenetwork/types.ts';

export interface MonitoringValuesOptions {
  /** Create ServiceMonitors for agent and operator (default true). */
  serviceMonitor?: boolean;
}

export function monitoringHelmValues(
  spec: EdgeNetwork['spec'],
  opts: MonitoringValuesOptions = {},
): Record<string, unknown> {
  const sm = opts.serviceMonitor ?? true;
  const metrics = (extra: Record<string, unknown>): Record<string, unknown> => ({
    enabled: true,
    ...(sm ? { serviceMonitor: { enabled: true, ...extra } } : {}),
  });
  const values: Record<string, unknown> = {
    // cilium_* agent metrics on :9962 (cilium_unreachable_*, bpf_map_pressure, drop_count_total, …): off by default.
    prometheus: metrics({}),
    operator: { prometheus: metrics({}) },
  };
  // Hubble's drop and policy metrics complement cilium_drop_count_total with identities; only when Hubble runs.
  if (spec.cilium.hubble.enabled) {
    const wanted = [...new Set([...spec.cilium.hubble.metrics, 'drop', 'policy'])];
    values['hubble'] = { metrics: { enabled: wanted, ...(sm ? { serviceMonitor: { enabled: true } } : {}) } };
  }
  return values;
}
