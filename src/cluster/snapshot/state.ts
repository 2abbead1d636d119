// What status (and diagnose, sysdump) collect from the cluster, as plain data, and the
// small readers over Kubernetes objects the summaries use. Everything here is pure.
import type { Obj } from '../types.ts';
import { EDGE_LABELS } from '../../knowledge/kubeedge.ts';
import { GROUP_LABEL, groupOfLabels } from '../../names.ts';

/** A collection step that failed: partial failure is data. */
export interface CollectError {
  what: string;
  error: string;
  /** The kind a failed list was for: its objects are unknown, not missing. */
  kind?: string;
}

export interface GroupDef {
  name: string;
  nodeSelector: Record<string, string>;
  /** Where kec learned about the group. */
  source: 'spec' | 'discovered';
}

export interface ClusterState {
  /** Cilium namespace. */
  namespace: string;
  collectedAt: string;
  groups: GroupDef[];
  nodes: Obj[];
  /** DaemonSets and Deployments in the Cilium namespace. */
  daemonSets: Obj[];
  deployments: Obj[];
  /** Pods in the Cilium namespace. */
  pods: Obj[];
  errors: CollectError[];
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
// @kubernetes/client-node turns timestamps of known kinds into Date objects.
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString() : undefined;

export const asRec = rec;
export const asArr = arr;
export const asNum = num;
export const asStr = str;

export const nameOf = (o: Obj): string => o.metadata?.name ?? '';
export const labelsOf = (o: Obj): Record<string, string> => o.metadata?.labels ?? {};

export function isEdgeNode(node: Obj): boolean {
  return EDGE_LABELS.edge in labelsOf(node);
}

export function matchesSelector(labels: Record<string, string>, selector: Record<string, string>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

/**
 * Edge groups without a spec: from kec's edge DaemonSets and from edge nodes, both labelled
 * kec.kubeedge.io/group (DaemonSets of kec 0.1: kec.kubeedge.io/edge-group); each selects nodes by the group label.
 */
export function discoverGroups(daemonSets: readonly Obj[], nodes: readonly Obj[]): GroupDef[] {
  const names = new Set<string>();
  for (const ds of daemonSets) {
    const g = groupOfLabels(labelsOf(ds));
    if (g) names.add(g);
  }
  for (const n of nodes) {
    const g = labelsOf(n)[GROUP_LABEL];
    if (g && isEdgeNode(n)) names.add(g);
  }
  return [...names]
    .sort()
    .map((name) => ({ name, nodeSelector: { [GROUP_LABEL]: name }, source: 'discovered' as const }));
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

export function conditions(o: Obj): Condition[] {
  return arr(rec(o['status'])['conditions'])
    .map(rec)
    .map((c) => {
      const out: Condition = { type: str(c['type']) ?? '', status: str(c['status']) ?? '' };
      for (const k of ['reason', 'message', 'lastHeartbeatTime', 'lastTransitionTime'] as const) {
        const v = str(c[k]);
        if (v !== undefined) out[k] = v;
      }
      return out;
    });
}

export function condition(o: Obj, type: string): Condition | undefined {
  return conditions(o).find((c) => c.type === type);
}

/** The DaemonSet or ReplicaSet that owns a pod (name), if any. */
export function ownerOf(pod: Obj): { kind: string; name: string } | undefined {
  const owners = arr(rec(pod.metadata)['ownerReferences']).map(rec);
  const o = owners.find((x) => x['controller'] === true) ?? owners[0];
  return o ? { kind: str(o['kind']) ?? '', name: str(o['name']) ?? '' } : undefined;
}

export function podNode(pod: Obj): string {
  return str(rec(pod['spec'])['nodeName']) ?? '';
}

export function podSpec(o: Obj): Rec {
  return rec(rec(rec(o['spec'])['template'])['spec']);
}

export interface ContainerRef {
  name: string;
  args: string[];
  command: string[];
  env: Array<{ name: string; value?: string }>;
  image: string;
}

/** Containers (and init containers) of a workload's pod template or of a pod. */
export function containersOf(o: Obj, init = false): ContainerRef[] {
  const spec = o.kind === 'Pod' ? rec(o['spec']) : podSpec(o);
  return arr(spec[init ? 'initContainers' : 'containers'])
    .map(rec)
    .map((c) => ({
      name: str(c['name']) ?? '',
      args: arr(c['args']).map(String),
      command: arr(c['command']).map(String),
      env: arr(c['env'])
        .map(rec)
        .map((e) => {
          const v = str(e['value']);
          return v === undefined ? { name: str(e['name']) ?? '' } : { name: str(e['name']) ?? '', value: v };
        }),
      image: str(c['image']) ?? '',
    }));
}

/** nodeAffinity requirement on `key` with `operator` in the pod template (any term). */
export function hasNodeAffinity(o: Obj, key: string, operator: 'Exists' | 'DoesNotExist'): boolean {
  const terms = arr(
    rec(rec(rec(rec(podSpec(o)['affinity'])['nodeAffinity'])['requiredDuringSchedulingIgnoredDuringExecution']))[
      'nodeSelectorTerms'
    ],
  ).map(rec);
  if (terms.length === 0) return false;
  // Terms are ORed: the requirement holds only if every term carries it.
  return terms.every((t) =>
    arr(t['matchExpressions'])
      .map(rec)
      .some((m) => m['key'] === key && m['operator'] === operator),
  );
}

/** Parses an RFC 3339 timestamp; undefined when absent or invalid. */
export function timeOf(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}
