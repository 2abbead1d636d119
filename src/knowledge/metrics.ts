// Prometheus metric names that kec's alert rules use, with the Cilium versions that
// export them. kec supports Cilium 1.16–1.20 (cilium.ts); a metric is usable for a
// version when since <= version < removedIn.
//
// Sources:
// - cilium/cilium Documentation/observability/metrics.rst, "Metrics Reference ›
//   cilium-agent" (Cluster health, eBPF, Drops/Forwards, Endpoint, Controllers, IPAM,
//   Identity tables), stored main snapshot 011e15e3 and the 1.19.3 rendering
//   (contextqmd.com/libraries/cilium/versions/1.19.3/…/metrics); field notes §5.
// - cilium_ipam_capacity was added in 1.15 (Cilium 1.15 upgrade notes, "Added Metrics").
// - cilium_identity `type` label values cluster_local / node_local: pkg/metrics (used by
//   the public Cilium alert sets, e.g. awesome-prometheus-alerts "Cilium Identity").
// - drop_count_total `reason` carries the datapath's drop text: "Policy denied"
//   (DROP_POLICY, 133) and "Policy denied by denylist" (DROP_POLICY_DENY, 181),
//   pkg/monitor/api drop reasons.
// - Removed: cilium_datapath_errors_total and cilium_policy_import_errors_total are
//   gone from the metrics reference of every supported version (field notes §5).

export interface MetricFact {
  name: string;
  labels: readonly string[];
  /** First Cilium minor that exports it (older than kec's range where it predates 1.16). */
  since: string;
  removedIn?: string;
  source: string;
}

export const CILIUM_AGENT_METRICS: readonly MetricFact[] = [
  { name: 'cilium_unreachable_nodes', labels: [], since: '1.8', source: 'metrics.rst › Cluster health' },
  { name: 'cilium_unreachable_health_endpoints', labels: [], since: '1.8', source: 'metrics.rst › Cluster health' },
  {
    name: 'cilium_bpf_map_pressure',
    labels: ['map_name'],
    since: '1.13',
    source: 'metrics.rst › eBPF (enabled by default since cilium PR #24721)',
  },
  {
    name: 'cilium_drop_count_total',
    labels: ['reason', 'direction'],
    since: '1.8',
    source: 'metrics.rst › Drops/Forwards (L3/L4)',
  },
  { name: 'cilium_endpoint_regenerations_total', labels: ['outcome'], since: '1.10', source: 'metrics.rst › Endpoint' },
  { name: 'cilium_controllers_failing', labels: [], since: '1.8', source: 'metrics.rst › Controllers' },
  { name: 'cilium_ip_addresses', labels: ['family'], since: '1.8', source: 'metrics.rst › IPAM' },
  {
    name: 'cilium_ipam_capacity',
    labels: ['family'],
    since: '1.15',
    source: 'metrics.rst › IPAM; Cilium 1.15 upgrade notes',
  },
  { name: 'cilium_identity', labels: ['type'], since: '1.8', source: 'metrics.rst › Identity' },
];

/** Names that old guides and alert sets still use but no supported Cilium exports. */
export const REMOVED_CILIUM_METRICS: Readonly<Record<string, string>> = {
  cilium_datapath_errors_total: 'removed before 1.16 (field notes §5)',
  cilium_policy_import_errors_total:
    'removed before 1.16; use cilium_policy_change_total{outcome="fail"} (field notes §5)',
};

/**
 * kube-state-metrics series the edge rules use (kube-state-metrics docs/metrics:
 * node-metrics.md, pod-metrics.md). kube_node_labels exposes a node label only when
 * allowed by --metric-labels-allowlist=nodes=[…]; its key becomes label_<key with
 * every character outside [a-zA-Z0-9_] replaced by "_">.
 */
export const KUBE_STATE_METRICS: readonly string[] = [
  'kube_node_status_condition',
  'kube_node_labels',
  'kube_pod_info',
  'kube_pod_status_ready',
  'kube_pod_container_status_restarts_total',
];

/** Cluster-scoped security identities: 256–65535 without cluster mesh (Cilium docs, "Identity-Relevant Labels"/"Limitations"). */
export const CLUSTER_IDENTITY_MAX = 65535 - 256 + 1;

/** The drop_count_total reasons that mean "denied by policy". */
export const POLICY_DROP_REASON_REGEX = 'Policy denied.*';

function minorOf(v: string): [number, number] {
  const [a = '0', b = '0'] = v.split('.');
  return [Number(a), Number(b)];
}

function lessThan(a: string, b: string): boolean {
  const [a1, a2] = minorOf(a);
  const [b1, b2] = minorOf(b);
  return a1 < b1 || (a1 === b1 && a2 < b2);
}

/** Whether Cilium `version` ("1.18.12" or "1.18") exports the metric. */
export function metricExists(name: string, version: string): boolean {
  const m = CILIUM_AGENT_METRICS.find((x) => x.name === name);
  if (!m) return false;
  return !lessThan(version, m.since) && (m.removedIn === undefined || lessThan(version, m.removedIn));
}
