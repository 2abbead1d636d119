// Fleet view models, pure: a status report (kec status) and, when live, the collected cluster
// state → one tile per group (cloud first), the node rows of a group, one node's details.
import type { AgentStatus, NodeStatus, StatusReport, WorkloadStatus } from '../cluster/status/report.ts';
import { nodeStatus } from '../cluster/status/report.ts';
import type { ClusterState } from '../cluster/snapshot/state.ts';
import { asRec, asStr, conditions, containersOf, isEdgeNode, nameOf, podNode } from '../cluster/snapshot/state.ts';
import { versionFromImage } from '../cluster/diagnose/collect.ts';
import type { FleetView, GroupTile, NodeDetail, NodeHealth, NodeRow, WorkloadHealth } from './types.ts';

export const CLOUD = 'cloud';

/** KubeEdge reports its version in the kubelet version: v1.31.4-kubeedge-v1.21.0. */
export function kubeedgeVersionOf(kubeletVersion: string | undefined): string | undefined {
  return kubeletVersion === undefined ? undefined : /kubeedge-v?(\d+\.\d+\.\d+)/.exec(kubeletVersion)?.[1];
}

export function nodeHealth(n: NodeStatus, agent: AgentStatus | undefined): NodeHealth {
  if (n.state === 'offline (autonomous)') return 'offline (autonomous)';
  if (n.failure || agent?.failure) return 'failing';
  return 'online';
}

function workloadHealth(w: WorkloadStatus): WorkloadHealth {
  return {
    name: w.name,
    present: w.present,
    desired: w.desired,
    ready: w.ready,
    ok: w.ok,
    ...(w.message !== undefined ? { message: w.message } : {}),
  };
}

function row(n: NodeStatus, agent: AgentStatus | undefined): NodeRow {
  const r: NodeRow = { name: n.name, health: nodeHealth(n, agent), state: n.state };
  if (n.lastHeartbeat !== undefined) r.lastHeartbeat = n.lastHeartbeat;
  if (n.offlineFor !== undefined) r.offlineFor = n.offlineFor;
  const reason = n.reason ?? agent?.problem;
  if (reason !== undefined) r.reason = reason;
  if (agent)
    r.agent = {
      pod: agent.pod,
      ready: agent.ready,
      restarts: agent.restarts,
      ...(agent.problem !== undefined ? { problem: agent.problem } : {}),
    };
  return r;
}

/** The versions seen on a set of nodes and their agent pods (sorted, distinct). */
interface Versions {
  cilium: Map<string, string>;
  kubeedge: Map<string, string>;
  kubelet: Map<string, string>;
}

export function versionsOf(state: ClusterState | undefined): Versions {
  const v: Versions = { cilium: new Map(), kubeedge: new Map(), kubelet: new Map() };
  if (!state) return v;
  for (const n of state.nodes) {
    const kubelet = asStr(asRec(asRec(n['status'])['nodeInfo'])['kubeletVersion']);
    if (kubelet === undefined) continue;
    v.kubelet.set(nameOf(n), kubelet);
    const ke = kubeedgeVersionOf(kubelet);
    if (ke !== undefined && isEdgeNode(n)) v.kubeedge.set(nameOf(n), ke);
  }
  for (const p of state.pods) {
    const c = containersOf(p).find((x) => x.name === 'cilium-agent');
    const version = c ? versionFromImage(c.image) : undefined;
    if (version !== undefined) v.cilium.set(podNode(p), version);
  }
  return v;
}

const distinct = (names: readonly string[], m: ReadonlyMap<string, string>): string[] =>
  [...new Set(names.map((n) => m.get(n)).filter((x): x is string => x !== undefined))].sort();

function tile(
  name: string,
  kind: GroupTile['kind'],
  rows: NodeRow[],
  agents: WorkloadStatus,
  versions: Versions,
): GroupTile {
  const counts = {
    nodes: rows.length,
    online: rows.filter((r) => r.health === 'online').length,
    offline: rows.filter((r) => r.health === 'offline (autonomous)').length,
    failing: rows.filter((r) => r.health === 'failing').length,
  };
  const health: NodeHealth =
    counts.failing > 0 || !agents.ok ? 'failing' : counts.offline > 0 ? 'offline (autonomous)' : 'online';
  const names = rows.map((r) => r.name);
  return {
    name,
    kind,
    health,
    counts,
    agents: workloadHealth(agents),
    ciliumVersions: distinct(names, versions.cilium),
    kubeedgeVersions: distinct(names, versions.kubeedge),
  };
}

/** Node rows per group name (the cloud under CLOUD), from the report (and the state for cloud nodes). */
export function nodeRows(report: StatusReport, state?: ClusterState): Map<string, NodeRow[]> {
  const out = new Map<string, NodeRow[]>();
  const cloudAgents = new Map(report.cloud.agentPods.map((a) => [a.node, a]));
  if (state) {
    // Cloud nodes are in no group of the report: the same status function (no grace: they never go autonomous).
    const now = Date.parse(report.collectedAt);
    out.set(
      CLOUD,
      state.nodes.filter((n) => !isEdgeNode(n)).map((n) => row(nodeStatus(n, now, 0), cloudAgents.get(nameOf(n)))),
    );
  } else {
    out.set(CLOUD, []);
  }
  for (const g of report.groups) {
    const agents = new Map(g.agents.map((a) => [a.node, a]));
    out.set(
      g.name,
      g.nodes.map((n) => row(n, agents.get(n.name))),
    );
  }
  return out;
}

export function fleetView(
  report: StatusReport | undefined,
  source: FleetView['source'],
  state?: ClusterState,
  rows: Map<string, NodeRow[]> = report ? nodeRows(report, state) : new Map(),
): FleetView {
  if (!report)
    return {
      source: 'none',
      ok: true,
      totals: { groups: 0, nodes: 0, online: 0, offline: 0, failing: 0 },
      groups: [],
      failures: [],
    };
  const versions = versionsOf(state);
  const groups = [
    tile(CLOUD, 'cloud', rows.get(CLOUD) ?? [], report.cloud.agents, versions),
    ...report.groups.map((g) => tile(g.name, 'edge', rows.get(g.name) ?? [], g.daemonSet, versions)),
  ];
  const sum = (k: keyof GroupTile['counts']): number => groups.reduce((a, g) => a + g.counts[k], 0);
  return {
    source,
    collectedAt: report.collectedAt,
    ok: report.ok,
    totals: {
      groups: report.groups.length,
      nodes: sum('nodes'),
      online: sum('online'),
      offline: sum('offline'),
      failing: sum('failing'),
    },
    groups,
    operator: workloadHealth(report.cloud.operator),
    relay: workloadHealth(report.cloud.relay),
    failures: report.failures,
  };
}

/** One node's drill-down: its row plus conditions, versions and agent pod (live only). */
export function nodeDetail(
  name: string,
  rows: ReadonlyMap<string, NodeRow[]>,
  report: StatusReport,
  state?: ClusterState,
): NodeDetail | undefined {
  for (const [group, list] of rows) {
    const r = list.find((x) => x.name === name);
    if (!r) continue;
    const node = state?.nodes.find((n) => nameOf(n) === name);
    const versions = versionsOf(state);
    const agent = [...report.cloud.agentPods, ...report.groups.flatMap((g) => g.agents)].find((a) => a.node === name);
    const d: NodeDetail = {
      ...r,
      group,
      conditions: node
        ? conditions(node).map((c) => ({
            type: c.type,
            status: c.status,
            ...(c.reason !== undefined ? { reason: c.reason } : {}),
            ...(c.message !== undefined ? { message: c.message } : {}),
            ...(c.lastHeartbeatTime !== undefined ? { lastHeartbeatTime: c.lastHeartbeatTime } : {}),
          }))
        : [],
    };
    const kubelet = versions.kubelet.get(name);
    if (kubelet !== undefined) d.kubeletVersion = kubelet;
    const ke = versions.kubeedge.get(name);
    if (ke !== undefined) d.kubeedgeVersion = ke;
    const ci = versions.cilium.get(name);
    if (ci !== undefined) d.ciliumVersion = ci;
    if (agent)
      d.agentPod = {
        pod: agent.pod,
        phase: agent.phase,
        ready: agent.ready,
        restarts: agent.restarts,
        ...(agent.waitingReason !== undefined ? { waitingReason: agent.waitingReason } : {}),
        ...(agent.problem !== undefined ? { problem: agent.problem } : {}),
      };
    return d;
  }
  return undefined;
}
