// Creating the test workloads, waiting for their pods, and cleaning up (this run's
// namespace, or every labelled leftover).
import type { Obj, ObjectReader, ObjectWriter } from '../types.ts';
import { refOf } from '../types.ts';
import { errorText } from '../snapshot/collect.ts';
import { asRec, asStr, condition, nameOf, podNode } from '../snapshot/state.ts';
import type { Deployed } from './execute.ts';
import type { Site } from './test-matrix.ts';
import type { Endpoint } from './prober.ts';
import type { Role } from './workloads.ts';
import { ECHO_PORT, ECHO_SERVICE, nextNamespace } from './workloads.ts';
import { CONNECTIVITY_LABELS as CONN_LABELS } from '../../names.ts';
import { formatAge } from '../../util/duration.ts';

export async function chooseNamespace(reader: ObjectReader): Promise<string> {
  const all = await reader.list('v1', 'Namespace');
  return nextNamespace(all.map(nameOf));
}

/** Creates the objects in order (namespace first); the first failure stops and is thrown. */
export async function createAll(writer: ObjectWriter, objs: readonly Obj[]): Promise<void> {
  for (const o of objs) await writer.create(o);
}

function podReady(p: Obj): boolean {
  const s = asRec(p['status']);
  return (
    asStr(s['phase']) === 'Running' &&
    condition(p, 'Ready')?.status === 'True' &&
    asStr(s['podIP']) !== undefined &&
    podNode(p) !== '' &&
    p.metadata?.['deletionTimestamp'] === undefined
  );
}

/** Why a pod is not usable yet, from its phase and conditions. */
function podWhy(p: Obj | undefined): string {
  if (!p) return 'no pod created yet';
  const s = asRec(p['status']);
  const sched = condition(p, 'PodScheduled');
  if (sched?.status === 'False') return `not scheduled: ${sched.message ?? sched.reason ?? ''}`.trimEnd();
  const ready = condition(p, 'Ready');
  return `${nameOf(p)} on ${podNode(p) || '?'} ${asStr(s['phase']) ?? 'Unknown'}${ready?.status !== 'True' ? `, not ready${ready?.reason ? ` (${ready.reason})` : ''}` : ''}${asStr(s['podIP']) === undefined ? ', no IP' : ''}`;
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
}

/**
 * Waits until every site has a Ready client and echo pod with an IP, or the timeout; a
 * site still missing one is recorded in `problems` (its tests then fail with that reason).
 */
export async function waitForPods(
  reader: ObjectReader,
  namespace: string,
  sites: readonly Site[],
  o: WaitOptions,
): Promise<Deployed> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + o.timeoutMs;
  const clients = new Map<string, Endpoint>();
  const echoes = new Map<string, Endpoint>();
  const problems = new Map<string, string>();
  let pods: Obj[] = [];
  for (;;) {
    pods = await reader.list('v1', 'Pod', { namespace, labelSelector: `${CONN_LABELS.test}=true` });
    for (const site of sites) {
      for (const [role, into] of [
        ['client', clients],
        ['echo', echoes],
      ] as Array<[Role, Map<string, Endpoint>]>) {
        if (into.has(site.name)) continue;
        const ready = pods.find(
          (p) =>
            p.metadata?.labels?.[CONN_LABELS.site] === site.name &&
            p.metadata.labels[CONN_LABELS.role] === role &&
            podReady(p),
        );
        if (ready)
          into.set(site.name, {
            pod: nameOf(ready),
            node: podNode(ready),
            ip: asStr(asRec(ready['status'])['podIP']) ?? '',
            site: site.name,
          });
      }
    }
    const missing = sites.filter((s) => !clients.has(s.name) || !echoes.has(s.name));
    if (missing.length === 0 || now() >= deadline || o.signal?.aborted) {
      for (const s of missing) {
        const why = (['client', 'echo'] as Role[])
          .filter((r) => !(r === 'client' ? clients : echoes).has(s.name))
          .map((r) => {
            const p = pods.find(
              (x) => x.metadata?.labels?.[CONN_LABELS.site] === s.name && x.metadata.labels[CONN_LABELS.role] === r,
            );
            return `${r} pod ${podWhy(p)}`;
          });
        problems.set(
          s.name,
          `${s.name}: ${o.signal?.aborted ? 'interrupted while waiting' : `not ready after ${formatAge(o.timeoutMs)}`}: ${why.join('; ')}`,
        );
      }
      break;
    }
    await sleep(o.intervalMs ?? 1000);
  }
  const svc = await reader.get({ apiVersion: 'v1', kind: 'Service', name: ECHO_SERVICE, namespace });
  const ip = asStr(asRec(svc?.['spec'])['clusterIP']);
  return {
    namespace,
    clients,
    echoes,
    problems,
    echoPort: ECHO_PORT,
    dnsName: '',
    ...(ip !== undefined && ip !== 'None' ? { service: { name: ECHO_SERVICE, ip, port: ECHO_PORT } } : {}),
  };
}

/** Deletes the namespace (and with it everything in it); an error is returned, not thrown. */
export async function deleteNamespace(writer: ObjectWriter, namespace: string): Promise<string | undefined> {
  try {
    await writer.delete({ apiVersion: 'v1', kind: 'Namespace', name: namespace });
    return undefined;
  } catch (e) {
    return `delete namespace ${namespace}: ${errorText(e)}`;
  }
}

/** Every namespace kec's connectivity test labelled (leftovers of --keep or of a killed run). */
export async function leftoverNamespaces(reader: ObjectReader): Promise<Obj[]> {
  return reader.list('v1', 'Namespace', { labelSelector: `${CONN_LABELS.test}=true` });
}

export async function deleteLeftovers(
  reader: ObjectReader & ObjectWriter,
): Promise<{ deleted: string[]; errors: string[] }> {
  // Namespaces already being deleted (an earlier run's cleanup) need nothing more.
  const found = (await leftoverNamespaces(reader)).filter((ns) => ns.metadata?.['deletionTimestamp'] === undefined);
  const deleted: string[] = [];
  const errors: string[] = [];
  for (const ns of found) {
    const err = await deleteNamespace(reader, refOf(ns).name);
    if (err) errors.push(err);
    else deleted.push(nameOf(ns));
  }
  return { deleted, errors };
}
