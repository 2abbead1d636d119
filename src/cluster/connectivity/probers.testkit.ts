// Probers and a tiny in-memory cluster for tests of kec connectivity test. In the harness
// pods do not network and exec fails, so its tests use apiStatusProber: it checks through
// the API what a real probe depends on (client pod exists and runs, echo pod Ready with
// the IP the action targets, Service with that ClusterIP), exercising the whole
// execution path against real objects.
import type { Obj, ObjectReader, ObjectWriter, PodExec } from '../types.ts';
import { asArr, asRec, asStr, condition, nameOf } from '../snapshot/state.ts';
import type { Prober } from './prober.ts';

export function apiStatusProber(reader: ObjectReader): Prober {
  return {
    name: 'api-status',
    async probe(a) {
      const client = await reader.get({ apiVersion: 'v1', kind: 'Pod', name: a.client.pod, namespace: a.namespace });
      if (!client) return { ok: false, detail: `client pod ${a.client.pod} not found` };
      if (asStr(asRec(client['status'])['phase']) !== 'Running')
        return { ok: false, detail: `client pod ${a.client.pod} not Running` };
      const t = a.target;
      if (t.kind === 'pod') {
        const echo = await reader.get({ apiVersion: 'v1', kind: 'Pod', name: t.pod.pod, namespace: a.namespace });
        if (!echo) return { ok: false, detail: `echo pod ${t.pod.pod} not found` };
        const ip = asStr(asRec(echo['status'])['podIP']);
        if (condition(echo, 'Ready')?.status !== 'True')
          return { ok: false, detail: `echo pod ${t.pod.pod} not Ready` };
        return ip === t.pod.ip
          ? { ok: true, detail: `echo ${t.pod.pod} Ready at ${ip}` }
          : { ok: false, detail: `echo pod IP ${ip ?? 'none'} ≠ ${t.pod.ip}` };
      }
      if (t.kind === 'service') {
        const svc = await reader.get({ apiVersion: 'v1', kind: 'Service', name: t.name, namespace: a.namespace });
        const ip = asStr(asRec(svc?.['spec'])['clusterIP']);
        return ip === t.ip
          ? { ok: true, detail: `service ${t.name} at ${ip}` }
          : { ok: false, detail: `service ClusterIP ${ip ?? 'none'} ≠ ${t.ip}` };
      }
      const [svcName, ns] = t.name.split('.');
      const svc = await reader.get({ apiVersion: 'v1', kind: 'Service', name: svcName ?? '', namespace: ns ?? '' });
      return svc
        ? { ok: true, detail: `${t.name} names an existing Service` }
        : { ok: false, detail: `no Service behind ${t.name}` };
    },
  };
}

/** Fails actions whose test name matches `fail`, and never settles for `hang` (until aborted). */
export function scriptedProber(
  o: { fail?: RegExp; hang?: RegExp; throws?: RegExp; delayMs?: number } = {},
): Prober & { seen: string[]; aborted: string[] } {
  const seen: string[] = [];
  const aborted: string[] = [];
  return {
    name: 'scripted',
    seen,
    aborted,
    async probe(a, { signal }) {
      seen.push(a.name);
      if (o.delayMs) await new Promise((r) => setTimeout(r, o.delayMs));
      if (o.hang?.test(a.test)) {
        return new Promise((_, reject) =>
          signal.addEventListener(
            'abort',
            () => {
              aborted.push(a.name);
              reject(new Error('aborted'));
            },
            { once: true },
          ),
        );
      }
      if (o.throws?.test(a.test)) throw new Error('exec websocket closed');
      return o.fail?.test(a.test)
        ? { ok: false, detail: 'connection refused', command: ['curl', 'x'] }
        : { ok: true, detail: 'HTTP 200' };
    },
  };
}

type Cluster = ObjectReader & ObjectWriter & PodExec;

/**
 * An in-memory API: create/get/list/delete (label selectors `k=v,...`); creating a
 * Deployment makes one Running, Ready pod on the first node its affinity names (unless
 * `unready` matches the Deployment name). Deleting a namespace deletes what is in it.
 */
export function memoryCluster(
  seed: Obj[],
  o: { unready?: RegExp; failCreate?: RegExp } = {},
): Cluster & { objects: Obj[]; deleted: string[] } {
  const objects: Obj[] = seed.map((x) => structuredClone(x));
  const deleted: string[] = [];
  let ip = 10;
  const matches = (obj: Obj, sel?: string): boolean =>
    !sel ||
    sel.split(',').every((kv) => {
      const [k, v] = kv.split('=');
      return obj.metadata?.labels?.[k ?? ''] === v;
    });
  const key = (x: { kind?: string; namespace?: string | undefined; name?: string }): string =>
    `${x.kind}/${x.namespace ?? ''}/${x.name}`;
  const keyOf = (x: Obj): string => key({ kind: x.kind ?? '', namespace: x.metadata?.namespace, name: nameOf(x) });
  return {
    objects,
    deleted,
    async get(ref) {
      return objects.find((x) => keyOf(x) === key(ref));
    },
    async list(_v, kind, lo = {}) {
      return objects.filter(
        (x) =>
          x.kind === kind &&
          (lo.namespace === undefined || x.metadata?.namespace === lo.namespace) &&
          matches(x, lo.labelSelector),
      );
    },
    async create(obj) {
      if (o.failCreate?.test(nameOf(obj)))
        throw Object.assign(new Error('admission webhook denied'), {
          code: 403,
          body: { message: 'admission webhook denied', reason: 'Forbidden' },
        });
      if (objects.some((x) => keyOf(x) === keyOf(obj)))
        throw Object.assign(new Error('exists'), {
          code: 409,
          body: { message: 'already exists', reason: 'AlreadyExists' },
        });
      const copy = structuredClone(obj);
      objects.push(copy);
      if (obj.kind === 'Service') copy['spec'] = { ...asRec(copy['spec']), clusterIP: '10.96.0.42' };
      if (obj.kind === 'Deployment') {
        const tmpl = asRec(asRec(obj['spec'])['template']);
        const terms = asArr(
          asRec(
            asRec(asRec(asRec(tmpl['spec'])['affinity'])['nodeAffinity'])[
              'requiredDuringSchedulingIgnoredDuringExecution'
            ],
          )['nodeSelectorTerms'],
        ).map(asRec);
        // A one-line scheduler: the first node satisfying the first term.
        const term = terms[0] ?? {};
        const fits = (n: Obj): boolean =>
          asArr(term['matchExpressions'])
            .map(asRec)
            .every((e) => {
              const labels = n.metadata?.labels ?? {};
              const k = asStr(e['key']) ?? '';
              return e['operator'] === 'Exists'
                ? k in labels
                : e['operator'] === 'DoesNotExist'
                  ? !(k in labels)
                  : asArr(e['values']).includes(labels[k]);
            }) &&
          asArr(term['matchFields'])
            .map(asRec)
            .every((f) => !asArr(f['values']).includes(nameOf(n)));
        const nodeName = objects.find((n) => n.kind === 'Node' && fits(n))?.metadata?.name ?? '';
        const ready = !o.unready?.test(nameOf(obj));
        objects.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: `${nameOf(obj)}-abc12`,
            namespace: obj.metadata?.namespace ?? '',
            labels: { ...(asRec(tmpl['metadata'])['labels'] as Record<string, string>) },
          },
          spec: { nodeName },
          status: {
            phase: ready ? 'Running' : 'Pending',
            podIP: ready ? `10.244.0.${ip++}` : undefined,
            conditions: [
              { type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? undefined : 'ContainersNotReady' },
            ],
          },
        });
      }
      return copy;
    },
    async delete(ref) {
      deleted.push(key(ref));
      for (let i = objects.length - 1; i >= 0; i--) {
        const x = objects[i] as Obj;
        if (keyOf(x) === key(ref) || (ref.kind === 'Namespace' && x.metadata?.namespace === ref.name))
          objects.splice(i, 1);
      }
    },
    async apply(obj) {
      return obj;
    },
    async replace(obj) {
      return obj;
    },
    async mergePatch(_r, p) {
      return p;
    },
    async exec() {
      return { stdout: '', stderr: 'exec not supported', code: 1 };
    },
  };
}
