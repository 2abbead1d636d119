// The plan of `kec connectivity test`, a pure function of nodes and edge groups: one site
// for the cloud and one per edge group, each usable or skipped with a reason (judged by
// kec status's node rules: an edge group whose nodes are all `offline (autonomous)` is
// skipped, not failed), and the named tests between them, as cilium-cli names them.
import type { Obj } from '../types.ts';
import { EDGE_LABELS } from '../../knowledge/kubeedge.ts';
import type { NodeStatus } from '../status/report.ts';
import { nodeStatus } from '../status/report.ts';
import type { GroupDef } from '../snapshot/state.ts';
import { asArr, asRec, asStr, isEdgeNode, labelsOf, matchesSelector } from '../snapshot/state.ts';

export interface Site {
  /** `cloud` or the edge group's name; used in test names. */
  name: string;
  kind: 'cloud' | 'edge';
  /** Object-name part: `cloud` or `edge-<group>`. */
  id: string;
  nodeSelector: Record<string, string>;
  /** Ready, schedulable nodes the site's pods are pinned to. */
  nodes: string[];
  /** Every node of the site with its status (as kec status reports it). */
  nodeStates: NodeStatus[];
  /** Why the site's tests are skipped. */
  skipped?: string;
}

export type TestKind = 'pod-to-pod' | 'pod-to-service' | 'dns';

export interface PlannedTest {
  name: string;
  kind: TestKind;
  /** Site of the client pod. */
  from: string;
  /** Site of the echo pod (pod-to-pod). */
  to?: string;
  skipped?: string;
}

export interface ConnectivityPlan {
  sites: Site[];
  tests: PlannedTest[];
}

export interface PlanOptions {
  now: number;
  offlineGraceMs: number;
  /** Keep only tests whose name matches (cilium-cli's --test). */
  filter?: RegExp;
}

/** Taints that keep test pods off a node; kec's pods tolerate the edge role taint. */
function schedulable(node: Obj): boolean {
  const spec = asRec(node['spec']);
  if (spec['unschedulable'] === true) return false;
  return !asArr(spec['taints'])
    .map(asRec)
    .some((t) => {
      const effect = asStr(t['effect']);
      return (effect === 'NoSchedule' || effect === 'NoExecute') && asStr(t['key']) !== EDGE_LABELS.edge;
    });
}

const list = (names: string[], max = 3): string =>
  `${names.slice(0, max).join(', ')}${names.length > max ? ` (+${names.length - max} more)` : ''}`;

function skipReason(site: string, states: NodeStatus[], usable: number): string | undefined {
  if (usable > 0) return undefined;
  if (states.length === 0) return `${site}: no nodes`;
  const offline = states.filter((s) => s.state.startsWith('offline'));
  if (offline.length === states.length) {
    const why = offline[0]?.reason ? `; ${offline[0].reason}` : '';
    return `${site} offline: ${offline.length === 1 ? 'its node is' : `all ${offline.length} nodes are`} ${offline.every((s) => s.state === 'offline (autonomous)') ? 'offline (autonomous)' : 'offline'} (${list(offline.map((s) => s.name))}${why})`;
  }
  const notReady = states.filter((s) => s.state !== 'Ready');
  return `${site}: no Ready schedulable node (${list(notReady.length ? notReady.map((s) => `${s.name} ${s.state}`) : states.map((s) => `${s.name} unschedulable or tainted`))})`;
}

export function planSites(
  nodes: readonly Obj[],
  groups: readonly GroupDef[],
  opts: Omit<PlanOptions, 'filter'>,
): Site[] {
  const judged = nodes.map((n) => ({ obj: n, st: nodeStatus(n, opts.now, opts.offlineGraceMs) }));
  const usable = (ns: typeof judged): string[] =>
    ns
      .filter((n) => n.st.state === 'Ready' && schedulable(n.obj))
      .map((n) => n.st.name)
      .sort();
  const cloud = judged.filter((n) => !isEdgeNode(n.obj));
  const sites: Site[] = [];
  const cloudNodes = usable(cloud);
  const cloudSkip = skipReason(
    'cloud',
    cloud.map((n) => n.st),
    cloudNodes.length,
  );
  sites.push({
    name: 'cloud',
    kind: 'cloud',
    id: 'cloud',
    nodeSelector: {},
    nodes: cloudNodes,
    nodeStates: cloud.map((n) => n.st),
    ...(cloudSkip ? { skipped: cloudSkip } : {}),
  });
  for (const g of groups) {
    const members = judged.filter((n) => isEdgeNode(n.obj) && matchesSelector(labelsOf(n.obj), g.nodeSelector));
    const ready = usable(members);
    const skip = skipReason(
      `edge group ${g.name}`,
      members.map((n) => n.st),
      ready.length,
    );
    sites.push({
      name: g.name,
      kind: 'edge',
      id: `edge-${g.name}`,
      nodeSelector: { ...g.nodeSelector },
      nodes: ready,
      nodeStates: members.map((n) => n.st),
      ...(skip ? { skipped: skip } : {}),
    });
  }
  return sites;
}

/**
 * Tests: pod-to-pod between every ordered pair of sites (cloud↔edge, edge↔edge across
 * groups, and within each site), pod-to-service and dns from every site. A test touching
 * a skipped site is skipped with that site's reason.
 */
export function planTests(sites: readonly Site[], filter?: RegExp): PlannedTest[] {
  const tests: PlannedTest[] = [];
  const skipOf = (...ss: Site[]): { skipped?: string } => {
    const s = ss.find((x) => x.skipped !== undefined);
    return s?.skipped !== undefined ? { skipped: s.skipped } : {};
  };
  for (const from of sites) {
    for (const to of sites)
      tests.push({
        name: `pod-to-pod/${from.name}→${to.name}`,
        kind: 'pod-to-pod',
        from: from.name,
        to: to.name,
        ...skipOf(from, to),
      });
  }
  for (const from of sites)
    tests.push({ name: `pod-to-service/${from.name}`, kind: 'pod-to-service', from: from.name, ...skipOf(from) });
  for (const from of sites) tests.push({ name: `dns/${from.name}`, kind: 'dns', from: from.name, ...skipOf(from) });
  return filter ? tests.filter((t) => filter.test(t.name)) : tests;
}

export function planConnectivity(
  nodes: readonly Obj[],
  groups: readonly GroupDef[],
  opts: PlanOptions,
): ConnectivityPlan {
  const sites = planSites(nodes, groups, opts);
  return { sites, tests: planTests(sites, opts.filter) };
}
