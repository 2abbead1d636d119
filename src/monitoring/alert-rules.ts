// `kec monitoring rules`: a PrometheusRule (monitoring.coreos.com/v1) with alerts that fit
// a KubeEdge fleet: per edge group, and aware that a site whose nodes KubeEdge marks
// NotReady (edgecore lost cloudcore) is "dark", not a Cilium failure.
import type { EdgeNetwork } from '../edgenetwork/types.ts';
import { metricExists } from '../knowledge/metrics.ts';
import { matchers, nodeSelectorMatchers, readyNodesOf } from './promql.ts';
import { agentAlerts } from './agent-alerts.ts';
import type { AlertDef } from './alert.ts';
import { MANAGED_BY } from '../names.ts';
import { edgeDaemonSetName } from '../names.ts';
import { EDGE_NETWORK_LABEL } from '../names.ts';

export interface PrometheusRule {
  apiVersion: 'monitoring.coreos.com/v1';
  kind: 'PrometheusRule';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: { groups: Array<{ name: string; rules: Array<Record<string, unknown>> }> };
}

export const KSM_NOTE =
  "Needs kube-state-metrics with node labels allowed (--metric-labels-allowlist=nodes=[<the group's nodeSelector keys>]).";

function edgeGroupAlerts(spec: EdgeNetwork['spec']): AlertDef[] {
  const ns = spec.cilium.namespace;
  return spec.edgeGroups.flatMap((g): AlertDef[] => {
    const ds = edgeDaemonSetName(g.name);
    const sel = Object.entries(g.nodeSelector)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const readyAgents = `max by (node) (\n  kube_pod_info${matchers({ namespace: ns, created_by_kind: 'DaemonSet', created_by_name: ds })}\n  * on (namespace, pod) group_left ()\n  (kube_pod_status_ready${matchers({ namespace: ns, condition: 'true' })} == 1)\n)`;
    return [
      {
        alert: 'KecEdgeAgentDown',
        expr: `(\n  ${readyNodesOf(g.nodeSelector)}\n)\nunless on (node)\n${readyAgents}`,
        for: '10m',
        severity: 'critical',
        labels: { edge_group: g.name },
        summary: `Cilium edge agent not ready on Ready node {{ $labels.node }} (edge group ${g.name})`,
        description: `Node {{ $labels.node }} of edge group ${g.name} (${sel}) is Ready in KubeEdge, so edgecore still reaches cloudcore, but no Ready pod of DaemonSet ${ns}/${ds} runs on it: pods there have no working CNI/policy. A disconnected site does not fire this (its nodes are NotReady; see KecEdgeSiteDark). ${KSM_NOTE}`,
        runbook: `kubectl -n ${ns} get pods -o wide --field-selector spec.nodeName={{ $labels.node }}; kubectl -n ${ns} describe ds ${ds}; logs need edgeStream enabled: kubectl -n ${ns} logs <pod> -c cilium-agent. Known causes: cilium-envoy DaemonSet present (kubeedge#6113), "waiting for Cilium Operator to register CRDs" (kubeedge#6301), MetaServer disabled in edgecore.yaml.`,
        ciliumMetrics: [],
      },
      {
        alert: 'KecEdgeSiteDark',
        expr: `sum(\n  max by (node) (kube_node_status_condition{condition="Ready", status="true"})\n  * on (node) group_left ()\n  max by (node) (kube_node_labels${matchers(nodeSelectorMatchers(g.nodeSelector))})\n) == 0`,
        for: '15m',
        severity: 'warning',
        labels: { edge_group: g.name },
        summary: `Edge group ${g.name}: no node is Ready (site disconnected from the cloud)`,
        description: `Every node of edge group ${g.name} (${sel}) is NotReady or Unknown: edgecore on the site does not reach cloudcore (WAN, NAT, cloudcore). Edge agents may still enforce policy locally with cached state; agent alerts for this group are expected to be silent or stale until it reconnects. ${KSM_NOTE}`,
        runbook: `Check the site's uplink and edgecore (journalctl -u edgecore), cloudcore logs (kubectl -n ${spec.kubeedge.namespace} logs -l kubeedge=cloudcore), and whether the site's NAT mapping expired (kubeedge#6698).`,
        ciliumMetrics: [],
      },
    ];
  });
}

/** Every alert for this spec, with those whose metrics the chosen Cilium version lacks left out. */
export function alertDefs(network: EdgeNetwork): {
  alerts: AlertDef[];
  skipped: Array<{ alert: string; metric: string }>;
} {
  const spec = network.spec;
  const all = [...edgeGroupAlerts(spec), ...agentAlerts(spec)];
  const skipped: Array<{ alert: string; metric: string }> = [];
  const alerts = all.filter((a) => {
    const missing = a.ciliumMetrics.find((m) => !metricExists(m, spec.cilium.version));
    if (missing) skipped.push({ alert: a.alert, metric: missing });
    return !missing;
  });
  return { alerts, skipped };
}

function toRule(a: AlertDef): Record<string, unknown> {
  return {
    alert: a.alert,
    expr: a.expr,
    for: a.for,
    labels: { severity: a.severity, ...a.labels },
    annotations: { summary: a.summary, description: a.description, runbook: a.runbook },
  };
}

export function prometheusRule(network: EdgeNetwork): PrometheusRule {
  const { alerts } = alertDefs(network);
  const edge = alerts.filter((a) => a.ciliumMetrics.length === 0 && a.labels?.['edge_group'] !== undefined);
  const agents = alerts.filter((a) => !edge.includes(a));
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: `kec-${network.metadata.name}-cilium`,
      namespace: network.spec.cilium.namespace,
      labels: { ...MANAGED_BY, [EDGE_NETWORK_LABEL]: network.metadata.name },
    },
    spec: {
      groups: [
        { name: 'kec.edge-sites', rules: edge.map(toRule) },
        { name: 'kec.cilium-agents', rules: agents.map(toRule) },
      ],
    },
  };
}
