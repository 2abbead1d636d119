// Rollout gates: a DaemonSet (or Deployment) counts as rolled out when the controller has
// seen the new spec and every pod on a Ready node is updated and Ready, with no container
// crash-looping. Pods on NotReady nodes (disconnected edge sites) do not hold the gate.
import type { Obj, ObjectReader, ObjectRef } from '../types.ts';
import { podHealth } from '../snapshot/pods.ts';

export interface GateResult {
  ok: boolean;
  reason: string;
  desired: number;
  updated: number;
  ready: number;
  /** Nodes of the workload that are not Ready (excluded from the gate). */
  offline: string[];
  /** Pods whose containers crash-loop or fail. */
  crashing: string[];
}

interface PodLite {
  name: string;
  node: string;
  ready: boolean;
  crashing: boolean;
}

type Num = Record<string, number | undefined>;

/** Waiting reasons that mean the new pod will not start on its own. */
const STUCK = ['CrashLoopBackOff', 'Error', 'CreateContainerError', 'ImagePullBackOff', 'ErrImagePull'];

function podsOf(pods: Obj[], owner: string): PodLite[] {
  return pods
    .filter(
      (p) =>
        !p.metadata?.['deletionTimestamp'] &&
        ((p.metadata?.['ownerReferences'] as Array<{ name: string }> | undefined) ?? []).some((o) => o.name === owner),
    )
    .map((p) => {
      const h = podHealth(p, Date.now());
      return {
        name: h.pod,
        node: h.node,
        ready: h.ready,
        crashing: h.crashLoop || STUCK.includes(h.waitingReason ?? ''),
      };
    });
}

function listSome(xs: string[], max: number): string {
  return xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`;
}

/** Evaluates the gate once. */
export async function checkDaemonSet(api: ObjectReader, ref: ObjectRef): Promise<GateResult> {
  const ds = await api.get(ref);
  if (!ds)
    return {
      ok: false,
      reason: `${ref.kind} ${ref.namespace}/${ref.name} not found`,
      desired: 0,
      updated: 0,
      ready: 0,
      offline: [],
      crashing: [],
    };
  const st = (ds['status'] ?? {}) as Num;
  const generation = (ds.metadata?.['generation'] as number | undefined) ?? 0;
  const selector = (ds['spec'] as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels ?? {};
  const pods = podsOf(
    await api.list('v1', 'Pod', {
      namespace: ref.namespace ?? '',
      labelSelector: Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    }),
    ref.name,
  );
  const nodes = await api.list('v1', 'Node');
  const notReady = new Set(
    nodes
      .filter(
        (n) =>
          !(
            (n['status'] as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []
          ).some((c) => c.type === 'Ready' && c.status === 'True'),
      )
      .map((n) => n.metadata?.name ?? ''),
  );
  const offline = [...new Set(pods.filter((p) => notReady.has(p.node)).map((p) => p.node))].sort();
  const crashing = pods
    .filter((p) => p.crashing && !notReady.has(p.node))
    .map((p) => p.name)
    .sort();
  const desired =
    ref.kind === 'DaemonSet' ? (st['desiredNumberScheduled'] ?? 0) : ((ds['spec'] as Num)['replicas'] ?? 1);
  const updated = ref.kind === 'DaemonSet' ? (st['updatedNumberScheduled'] ?? 0) : (st['updatedReplicas'] ?? 0);
  const ready = ref.kind === 'DaemonSet' ? (st['numberReady'] ?? 0) : (st['readyReplicas'] ?? 0);
  const need = desired - offline.length;
  const seen = (st['observedGeneration'] ?? 0) >= generation;
  const base = { desired, updated, ready, offline, crashing };
  if (crashing.length) return { ok: false, reason: `crash-looping: ${crashing.join(', ')}`, ...base };
  if (!seen) return { ok: false, reason: 'the controller has not seen the new spec yet', ...base };
  if (updated < need || ready < need) {
    const waiting = pods.filter((p) => !p.ready && !notReady.has(p.node)).map((p) => `${p.name} on ${p.node}`);
    const named = waiting.length ? `; not ready: ${listSome(waiting.sort(), 3)}` : '';
    return { ok: false, reason: `${Math.min(updated, ready)}/${need} pods updated and ready${named}`, ...base };
  }
  return {
    ok: true,
    reason: `${ready}/${desired} ready${offline.length ? `, ${offline.length} on offline nodes not counted` : ''}`,
    ...base,
  };
}

/** Polls the gate until it passes, a pod crash-loops (fails fast) or the timeout. */
export async function waitGate(
  api: ObjectReader,
  ref: ObjectRef,
  timeoutMs: number,
  pollMs = 1000,
): Promise<GateResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const g = await checkDaemonSet(api, ref);
    if (g.ok || g.crashing.length) return g;
    if (Date.now() >= deadline)
      return { ...g, reason: `not rolled out within ${Math.round(timeoutMs / 1000)} s: ${g.reason}` };
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
