// Alerts on Cilium agent metrics (cloud and edge agents alike; edge agents' series get
// an edge_group label from their DaemonSet's pod names). Metric facts: knowledge/metrics.ts.
import type { EdgeNetwork } from '../edgenetwork/types.ts';
import { CLUSTER_IDENTITY_MAX, POLICY_DROP_REASON_REGEX } from '../knowledge/metrics.ts';
import { matchers, NOT_READY_NODES, withEdgeGroup } from './promql.ts';
import type { AlertDef } from './alert.ts';

const WHO = '{{ $labels.namespace }}/{{ $labels.pod }}{{ with $labels.edge_group }} (edge group {{ . }}){{ end }}';

export function agentAlerts(spec: EdgeNetwork['spec']): AlertDef[] {
  const ns = spec.cilium.namespace;
  const sel = (extra: Record<string, string> = {}): string => matchers({ namespace: ns, ...extra });
  const denied = `cilium_drop_count_total{namespace="${ns}", reason=~"${POLICY_DROP_REASON_REGEX}"}`;
  const rate5m = `sum by (namespace, pod) (rate(${denied}[5m]))`;
  const rateBefore = `sum by (namespace, pod) (rate(${denied}[1h] offset 1h))`;
  return [
    {
      alert: 'KecCiliumUnreachableNodes',
      expr: `${withEdgeGroup(`max by (namespace, pod) (cilium_unreachable_nodes${sel()})`)}\n  > on () group_left ()\n${NOT_READY_NODES}`,
      for: '15m',
      severity: 'warning',
      summary: `Cilium agent ${WHO} cannot reach {{ $value }} nodes, more than KubeEdge reports NotReady`,
      description:
        'cilium-health probes from this agent fail for more nodes than are NotReady in the cluster, so it is not only a disconnected edge site: tunnel (VXLAN 8472/udp, Geneve 6081/udp), WireGuard (51871/udp) or health (4240/tcp) traffic is blocked, or a NAT mapping on the path expired. Needs kube-state-metrics (kube_node_status_condition).',
      runbook: `kubectl -n ${ns} exec <pod> -c cilium-agent -- cilium-health status --probe; check firewalls and the edge routers' NAT for the ports above; for groups behind NAT check encryption.wireguard.persistentKeepalive.`,
      ciliumMetrics: ['cilium_unreachable_nodes'],
    },
    {
      alert: 'KecCiliumUnreachableHealthEndpoints',
      expr: `${withEdgeGroup(`max by (namespace, pod) (cilium_unreachable_health_endpoints${sel()})`)}\n  > on () group_left ()\n${NOT_READY_NODES}`,
      for: '15m',
      severity: 'warning',
      summary: `Cilium agent ${WHO} cannot reach {{ $value }} health endpoints, more than KubeEdge reports NotReady nodes`,
      description:
        "Pod-to-pod paths to other nodes' health endpoints fail beyond what disconnected (NotReady) nodes explain: the overlay or the pod MTU on some path is broken. Needs kube-state-metrics.",
      runbook: `kubectl -n ${ns} exec <pod> -c cilium-agent -- cilium-health status --probe; compare the pod MTU planned for the group (kec plan) with the path MTU of the site's uplink.`,
      ciliumMetrics: ['cilium_unreachable_health_endpoints'],
    },
    {
      alert: 'KecCiliumBpfMapPressure',
      expr: `${withEdgeGroup(`max by (namespace, pod, map_name) (cilium_bpf_map_pressure${sel()})`)} > 0.9`,
      for: '10m',
      severity: 'warning',
      summary: `BPF map {{ $labels.map_name }} is {{ $value | humanizePercentage }} full on ${WHO}`,
      description:
        'A full BPF map drops new connections (CT/NAT) or policy entries. Edge groups size their maps from the memory in the spec; a small board fills them sooner.',
      runbook: `kubectl -n ${ns} exec <pod> -c cilium-agent -- cilium-dbg bpf ct list global | wc -l; raise the group's memory or bpf.mapDynamicSizeRatio in the EdgeNetwork spec and re-run kec plan.`,
      ciliumMetrics: ['cilium_bpf_map_pressure'],
    },
    {
      alert: 'KecCiliumPolicyDenySpike',
      expr: `${withEdgeGroup(`(${rate5m} > 1)\nunless on (namespace, pod)\n(3 * ${rateBefore} >= ${rate5m})`)}`,
      for: '5m',
      severity: 'warning',
      summary: `Policy-denied drops on ${WHO}: {{ $value | humanize }}/s, over 3x the hour before`,
      description:
        'Packets dropped by network policy ("Policy denied", "Policy denied by denylist") rose above 1/s and to more than three times the rate one hour earlier: a new policy, or a workload calling something it may not.',
      runbook:
        'kubectl -n <ns> exec <pod> -c cilium-agent -- hubble observe --verdict DROPPED -o json | kec flows summarize (policy denies show source, destination and port).',
      ciliumMetrics: ['cilium_drop_count_total'],
    },
    {
      alert: 'KecCiliumEndpointRegenerationFailing',
      expr: `${withEdgeGroup(`sum by (namespace, pod) (increase(cilium_endpoint_regenerations_total${sel({ outcome: 'fail' })}[15m]))`)} > 0`,
      for: '10m',
      severity: 'warning',
      summary: `Endpoint regenerations fail on ${WHO}`,
      description:
        'The agent cannot compile or load BPF programs or policy for some endpoints: those pods keep stale policy or no connectivity.',
      runbook: `kubectl -n ${ns} exec <pod> -c cilium-agent -- cilium-dbg endpoint list (look for not-ready/invalid); check the node's kernel against kec's preflight.`,
      ciliumMetrics: ['cilium_endpoint_regenerations_total'],
    },
    {
      alert: 'KecCiliumControllersFailing',
      expr: `${withEdgeGroup(`max by (namespace, pod) (cilium_controllers_failing${sel()})`)} > 0`,
      for: '15m',
      severity: 'warning',
      summary: `{{ $value }} Cilium controllers failing on ${WHO}`,
      description:
        'Agent controllers retry and fail. On edge agents this is typically the MetaServer not serving a resource the agent watches (kubeedge#6641) or missing RBAC for cloudcore (kubeedge#4844).',
      runbook: `kubectl -n ${ns} exec <pod> -c cilium-agent -- cilium-dbg status --all-controllers`,
      ciliumMetrics: ['cilium_controllers_failing'],
    },
    {
      alert: 'KecCiliumAgentRestarting',
      expr: `${withEdgeGroup(`sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total${sel({ container: 'cilium-agent' })}[30m]))`)} > 2`,
      for: '5m',
      severity: 'warning',
      summary: `cilium-agent restarted {{ $value | humanize }} times in 30m on ${WHO}`,
      description:
        'A restarting agent drops and re-creates datapath state. On edge nodes edgecore restarting the agent every 60-90 s is a known KubeEdge problem (kubeedge#6641). Needs kube-state-metrics.',
      runbook: `kubectl -n ${ns} logs <pod> -c cilium-agent --previous; kubectl -n ${ns} describe pod <pod> (OOMKilled: raise the group's memory budget).`,
      ciliumMetrics: [],
    },
    {
      alert: 'KecCiliumIPAMNearlyExhausted',
      expr: `${withEdgeGroup(`sum by (namespace, pod, family) (cilium_ip_addresses${sel()})\n  / sum by (namespace, pod, family) (cilium_ipam_capacity${sel()})`)} > 0.9`,
      for: '10m',
      severity: 'warning',
      summary: `Pod IPs {{ $value | humanizePercentage }} allocated on ${WHO} ({{ $labels.family }})`,
      description: `The node's pod CIDR (/${spec.kubernetes.podCIDRMaskSize} from ${spec.kubernetes.podCIDR}) is nearly used up; new pods on it will not get an address.`,
      runbook:
        'Lower maxPods for the group or use a larger per-node mask (spec.kubernetes.podCIDRMaskSize) and re-plan.',
      ciliumMetrics: ['cilium_ip_addresses', 'cilium_ipam_capacity'],
    },
    {
      alert: 'KecCiliumIdentityNearlyExhausted',
      expr: `max by (namespace) (cilium_identity${sel({ type: 'cluster_local' })}) / ${CLUSTER_IDENTITY_MAX} > 0.8`,
      for: '30m',
      severity: 'warning',
      summary: 'Cluster identities {{ $value | humanizePercentage }} used',
      description: `Security identities are limited to ${CLUSTER_IDENTITY_MAX} per cluster; past that, new label sets get no identity and their pods no policy. High-cardinality pod labels (per-device IDs on edge workloads) exhaust them.`,
      runbook: `kubectl get ciliumidentities | wc -l; exclude high-cardinality labels from identity (Helm value labels / --labels).`,
      ciliumMetrics: ['cilium_identity'],
    },
  ];
}
