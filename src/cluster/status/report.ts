// kec status as a pure function of collected state: cloud workloads, per edge group the
// agent DaemonSet and its pods, nodes Ready / NotReady / offline (autonomous).
import type { Obj } from '../types.ts';
import { CHART_NAMES } from '../../knowledge/cilium.ts';
import type { CiliumStatusSummary } from './cilium-status.ts';
import type { PodHealth } from '../snapshot/pods.ts';
import { podHealth } from '../snapshot/pods.ts';
import type { ClusterState, CollectError, GroupDef } from '../snapshot/state.ts';
import {
  asNum,
  asRec,
  condition,
  isEdgeNode,
  labelsOf,
  matchesSelector,
  nameOf,
  ownerOf,
  timeOf,
} from '../snapshot/state.ts';
import { formatAge } from '../../util/duration.ts';
import { edgeDaemonSetName } from '../../names.ts';

/** Default for --offline-grace: an edge node offline longer than this counts as a failure. */
export const DEFAULT_OFFLINE_GRACE_MS = 60 * 60_000;

export interface WorkloadStatus {
  kind: 'DaemonSet' | 'Deployment';
  name: string;
  present: boolean;
  desired: number;
  ready: number;
  updated: number;
  ok: boolean;
  /** Why not ok (or a note). */
  message?: string;
  /** The object could not be read (its list failed): neither present nor missing. */
  unknown?: true;
}

export type NodeState = 'Ready' | 'NotReady' | 'offline (autonomous)' | 'offline';

export interface NodeStatus {
  name: string;
  state: NodeState;
  lastHeartbeat?: string;
  offlineFor?: string;
  failure: boolean;
  reason?: string;
}

/** What exec of `cilium-dbg status -o json` gave for one agent. */
export type AgentProbe = { summary: CiliumStatusSummary } | { unavailable: string };

export interface AgentStatus extends PodHealth {
  failure: boolean;
  problem?: string;
  /** Node offline: the pod status is stale, not a failure. */
  nodeOffline?: boolean;
  cilium?: AgentProbe;
}

export interface GroupStatus {
  name: string;
  source: GroupDef['source'];
  nodeSelector: Record<string, string>;
  daemonSet: WorkloadStatus;
  nodes: NodeStatus[];
  counts: { nodes: number; ready: number; notReady: number; offline: number };
  agents: AgentStatus[];
  ok: boolean;
}

export interface StatusReport {
  namespace: string;
  collectedAt: string;
  ok: boolean;
  cloud: {
    agents: WorkloadStatus;
    agentPods: AgentStatus[];
    operator: WorkloadStatus;
    relay: WorkloadStatus;
    envoy: WorkloadStatus;
  };
  groups: GroupStatus[];
  /** Edge nodes no group selects. */
  ungroupedEdgeNodes: string[];
  failures: string[];
  collectionErrors: CollectError[];
}

export interface ReportOptions {
  now: number;
  offlineGraceMs: number;
  probes?: ReadonlyMap<string, AgentProbe>;
}

function workload(
  kind: WorkloadStatus['kind'],
  name: string,
  objs: readonly Obj[],
  optional: boolean,
  errors: readonly CollectError[],
): WorkloadStatus {
  const o = objs.find((x) => nameOf(x) === name);
  if (!o) {
    // A list that failed says nothing about presence: unknown, never "missing".
    const unread = errors.find((e) => e.kind === kind);
    if (unread)
      return {
        kind,
        name,
        present: false,
        unknown: true,
        desired: 0,
        ready: 0,
        updated: 0,
        ok: false,
        message: `unknown: ${unread.error}`,
      };
    return optional
      ? { kind, name, present: false, desired: 0, ready: 0, updated: 0, ok: true, message: 'not installed' }
      : { kind, name, present: false, desired: 0, ready: 0, updated: 0, ok: false, message: 'missing' };
  }
  const s = asRec(o['status']);
  const desired = kind === 'DaemonSet' ? asNum(s['desiredNumberScheduled']) : asNum(asRec(o['spec'])['replicas'] ?? 1);
  const ready = kind === 'DaemonSet' ? asNum(s['numberReady']) : asNum(s['readyReplicas']);
  const updated = kind === 'DaemonSet' ? asNum(s['updatedNumberScheduled']) : asNum(s['updatedReplicas']);
  const w: WorkloadStatus = { kind, name, present: true, desired, ready, updated, ok: ready >= desired };
  if (!w.ok) w.message = `${desired - ready} of ${desired} not ready`;
  return w;
}

export function nodeStatus(node: Obj, now: number, graceMs: number): NodeStatus {
  const ready = condition(node, 'Ready');
  const hb = ready?.lastHeartbeatTime;
  const base = { name: nameOf(node), ...(hb !== undefined ? { lastHeartbeat: hb } : {}) };
  if (ready?.status === 'True') return { ...base, state: 'Ready', failure: false };
  if (ready?.status === 'False')
    return { ...base, state: 'NotReady', failure: true, reason: ready.message ?? ready.reason ?? 'Ready=False' };
  // Unknown or missing: the node stopped posting status (edgecore lost its cloudcore link).
  const since = timeOf(hb) ?? timeOf(ready?.lastTransitionTime);
  const age = since === undefined ? undefined : now - since;
  const offlineFor = age === undefined ? {} : { offlineFor: formatAge(age) };
  if (!isEdgeNode(node))
    return { ...base, ...offlineFor, state: 'NotReady', failure: true, reason: 'cloud node stopped posting status' };
  if (age !== undefined && age <= graceMs) {
    return {
      ...base,
      ...offlineFor,
      state: 'offline (autonomous)',
      failure: false,
      reason: `no heartbeat for ${formatAge(age)} (grace ${formatAge(graceMs)})`,
    };
  }
  return {
    ...base,
    ...offlineFor,
    state: 'offline',
    failure: true,
    reason:
      age === undefined
        ? 'no heartbeat recorded'
        : `no heartbeat for ${formatAge(age)}, more than the grace of ${formatAge(graceMs)}`,
  };
}

function agentStatus(pod: Obj, opts: ReportOptions, offlineNodes: ReadonlySet<string>): AgentStatus {
  const h = podHealth(pod, opts.now);
  const a: AgentStatus = { ...h, failure: false };
  const probe = opts.probes?.get(h.pod);
  if (probe) a.cilium = probe;
  if (offlineNodes.has(h.node)) {
    a.nodeOffline = true;
    return a;
  }
  if (h.crashLoop) a.problem = `CrashLoopBackOff (${h.restarts} restarts)`;
  else if (h.restartingOften)
    a.problem = `restarting often: ${h.restarts} restarts, last exit ${h.lastExitAt ?? '?'}${h.lastRunSeconds !== undefined ? ` after ${h.lastRunSeconds}s` : ''}`;
  else if (!h.ready) a.problem = `not ready (${h.waitingReason ?? h.phase})`;
  else if (probe && 'summary' in probe && probe.summary.health === 'failure')
    a.problem = `cilium-dbg status: ${probe.summary.problems[0] ?? 'failure'}`;
  if (a.problem !== undefined) a.failure = true;
  return a;
}

export function buildStatusReport(state: ClusterState, opts: ReportOptions): StatusReport {
  const failures: string[] = [];
  const nodes = state.nodes.map((n) => ({ obj: n, st: nodeStatus(n, opts.now, opts.offlineGraceMs) }));
  const offline = new Set(
    nodes.filter((n) => n.st.state === 'offline' || n.st.state === 'offline (autonomous)').map((n) => n.st.name),
  );
  const podsOf = (ds: string): Obj[] =>
    state.pods.filter((p) => {
      const o = ownerOf(p);
      return o?.kind === 'DaemonSet' && o.name === ds;
    });
  // DaemonSet readiness, excusing pods on offline nodes (their status is stale by design).
  const dsStatus = (name: string, agents: AgentStatus[], optional: boolean): WorkloadStatus => {
    const w = workload('DaemonSet', name, state.daemonSets, optional, state.errors);
    if (!w.present) return w;
    const excused = agents.filter((a) => a.nodeOffline && !a.ready).length;
    w.ok = w.ready + excused >= w.desired;
    if (w.ok) delete w.message;
    else w.message = `${w.desired - w.ready - excused} of ${w.desired} not ready`;
    if (excused > 0) w.message = `${w.message ? `${w.message}; ` : ''}${excused} on offline nodes`;
    return w;
  };

  const cloudAgents = podsOf(CHART_NAMES.agentDaemonSet).map((p) => agentStatus(p, opts, offline));
  const cloud = {
    agents: dsStatus(CHART_NAMES.agentDaemonSet, cloudAgents, false),
    agentPods: cloudAgents,
    operator: workload('Deployment', CHART_NAMES.operatorDeployment, state.deployments, false, state.errors),
    relay: workload('Deployment', CHART_NAMES.relayDeployment, state.deployments, true, state.errors),
    envoy: dsStatus(
      CHART_NAMES.envoyDaemonSet,
      podsOf(CHART_NAMES.envoyDaemonSet).map((p) => agentStatus(p, opts, offline)),
      true,
    ),
  };
  for (const w of [cloud.agents, cloud.operator, cloud.relay, cloud.envoy])
    if (!w.ok) failures.push(`${w.kind} ${w.name}: ${w.message ?? 'not ready'}`);
  for (const a of cloudAgents) if (a.failure) failures.push(`cloud agent ${a.pod} on ${a.node}: ${a.problem ?? ''}`);

  const grouped = new Set<string>();
  const groups: GroupStatus[] = state.groups.map((g) => {
    const members = nodes.filter((n) => matchesSelector(labelsOf(n.obj), g.nodeSelector));
    for (const m of members) grouped.add(m.st.name);
    const dsName = edgeDaemonSetName(g.name);
    const agents = podsOf(dsName).map((p) => agentStatus(p, opts, offline));
    const ds = dsStatus(dsName, agents, false);
    const st = members.map((m) => m.st);
    const gs: GroupStatus = {
      name: g.name,
      source: g.source,
      nodeSelector: g.nodeSelector,
      daemonSet: ds,
      nodes: st,
      counts: {
        nodes: st.length,
        ready: st.filter((n) => n.state === 'Ready').length,
        notReady: st.filter((n) => n.state === 'NotReady').length,
        offline: st.filter((n) => n.state.startsWith('offline')).length,
      },
      agents,
      ok: ds.ok && !st.some((n) => n.failure) && !agents.some((a) => a.failure),
    };
    if (!ds.ok) failures.push(`group ${g.name}: DaemonSet ${dsName} ${ds.message ?? ''}`.trimEnd());
    for (const n of st)
      if (n.failure) failures.push(`group ${g.name}: node ${n.name} ${n.state}: ${n.reason ?? ''}`.trimEnd());
    for (const a of agents)
      if (a.failure) failures.push(`group ${g.name}: agent ${a.pod} on ${a.node}: ${a.problem ?? ''}`);
    return gs;
  });
  for (const n of nodes)
    if (!isEdgeNode(n.obj) && n.st.failure)
      failures.push(`cloud node ${n.st.name} ${n.st.state}: ${n.st.reason ?? ''}`);
  const ungroupedEdgeNodes = nodes.filter((n) => isEdgeNode(n.obj) && !grouped.has(n.st.name)).map((n) => n.st.name);
  for (const e of state.errors) failures.push(`could not collect ${e.what}: ${e.error}`);
  return {
    namespace: state.namespace,
    collectedAt: state.collectedAt,
    ok: failures.length === 0,
    cloud,
    groups,
    ungroupedEdgeNodes,
    failures,
    collectionErrors: state.errors,
  };
}
