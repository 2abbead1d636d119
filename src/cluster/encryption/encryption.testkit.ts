// Test helpers for kec encryption: CiliumNode builders and an in-memory API with just the
// calls rotate-key and status make (get/list/create/replace/mergePatch with resourceVersions).
import type { Obj, ObjectReader, ObjectRef, ObjectWriter } from '../types.ts';
import { refOf } from '../types.ts';
import { WIREGUARD } from '../../knowledge/encryption.ts';

export function ciliumNode(name: string, o: { spi?: number; wgKey?: boolean } = {}): Obj {
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNode',
    metadata: { name, ...(o.wgKey ? { annotations: { [WIREGUARD.publicKeyAnnotation]: `pub-${name}=` } } : {}) },
    spec: { ...(o.spi !== undefined ? { encryption: { key: o.spi } } : {}), addresses: [] },
  };
}

export function ciliumConfig(data: Record<string, string>, namespace = 'kube-system'): Obj {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cilium-config', namespace }, data };
}

export function ipsecSecret(line: string, namespace = 'kube-system'): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'cilium-ipsec-keys', namespace },
    data: { keys: Buffer.from(line).toString('base64') },
  };
}

const key = (r: ObjectRef): string => `${r.kind}/${r.namespace ?? ''}/${r.name}`;

function merge(a: unknown, b: unknown): unknown {
  if (b === null || typeof b !== 'object' || Array.isArray(b)) return b;
  const out: Record<string, unknown> = {
    ...(a && typeof a === 'object' && !Array.isArray(a) ? (a as Record<string, unknown>) : {}),
  };
  for (const [k, v] of Object.entries(b)) out[k] = v === null ? undefined : merge(out[k], v);
  return out;
}

export interface FakeApi extends ObjectReader, ObjectWriter {
  objects: Map<string, Obj>;
  calls: string[];
  put(obj: Obj): void;
  /** Fails the next write whose description matches, once (simulates a crash between steps). */
  failNext(match: RegExp, error?: Error): void;
}

export function fakeApi(initial: Obj[] = []): FakeApi {
  const objects = new Map<string, Obj>();
  let rv = 1;
  const calls: string[] = [];
  const failures: Array<{ match: RegExp; error: Error }> = [];
  const store = (o: Obj): Obj => {
    const copy = structuredClone(o);
    copy.metadata = { ...copy.metadata, resourceVersion: String(++rv) };
    objects.set(key(refOf(copy)), copy);
    return structuredClone(copy);
  };
  const check = (what: string): void => {
    calls.push(what);
    const i = failures.findIndex((f) => f.match.test(what));
    if (i >= 0) throw failures.splice(i, 1)[0]!.error;
  };
  const conflict = (): Error => Object.assign(new Error('Conflict'), { statusCode: 409, code: 409 });
  for (const o of initial) store(o);
  return {
    objects,
    calls,
    put: (o) => void store(o),
    failNext: (match, error = new Error('simulated crash')) => void failures.push({ match, error }),
    get: async (r) => structuredClone(objects.get(key(r))),
    list: async (apiVersion, kind, opts = {}) =>
      [...objects.values()]
        .filter((o) => o.kind === kind && o.apiVersion === apiVersion)
        .filter((o) => opts.namespace === undefined || o.metadata?.namespace === opts.namespace)
        .filter((o) =>
          (opts.labelSelector ?? '')
            .split(',')
            .filter(Boolean)
            .every((s) => {
              const [k, v] = s.split('=');
              return v === undefined ? k! in (o.metadata?.labels ?? {}) : o.metadata?.labels?.[k!] === v;
            }),
        )
        .map((o) => structuredClone(o)),
    apply: async (o) => {
      check(`apply ${key(refOf(o))}`);
      return store(o);
    },
    create: async (o) => {
      check(`create ${key(refOf(o))}`);
      if (objects.has(key(refOf(o)))) throw conflict();
      return store(o);
    },
    replace: async (o) => {
      check(`replace ${key(refOf(o))}`);
      const cur = objects.get(key(refOf(o)));
      if (!cur || cur.metadata?.resourceVersion !== o.metadata?.resourceVersion) throw conflict();
      return store(o);
    },
    mergePatch: async (r, patch) => {
      check(`patch ${key(r)}`);
      const cur = objects.get(key(r));
      if (!cur) throw Object.assign(new Error('NotFound'), { statusCode: 404, code: 404 });
      const want = patch.metadata?.resourceVersion;
      if (want !== undefined && want !== cur.metadata?.resourceVersion) throw conflict();
      const { resourceVersion: _rv, ...meta } = patch.metadata ?? {};
      return store(merge(cur, { ...patch, metadata: meta }) as Obj);
    },
    delete: async (r) => {
      check(`delete ${key(r)}`);
      objects.delete(key(r));
    },
  };
}
