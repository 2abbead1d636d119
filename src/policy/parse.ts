// Parses loaded objects into PolicySets, dispatching on apiVersion/kind.
import { show } from '../diagnostics.ts';
import type { FileDiagnostic, Loaded, SourceObject } from './load.ts';
import { Ctx } from './parse-common.ts';
import { parseCilium } from './parse-cnp.ts';
import { parseKnp } from './parse-knp.ts';
import type { PolicyKind, PolicyRef, PolicySet } from './types.ts';

export interface ParsedPolicies {
  sets: PolicySet[];
  policies: PolicyRef[];
  errors: FileDiagnostic[];
  warnings: FileDiagnostic[];
}

const KINDS: Record<string, string> = {
  NetworkPolicy: 'networking.k8s.io/v1',
  CiliumNetworkPolicy: 'cilium.io/v2',
  CiliumClusterwideNetworkPolicy: 'cilium.io/v2',
};

export function parsePolicyObjects(loaded: Pick<Loaded, 'objects' | 'errors'>): ParsedPolicies {
  const diags: FileDiagnostic[] = [...loaded.errors];
  const byKey = new Map<string, { ref: PolicyRef; sets: PolicySet[]; src: SourceObject }>();
  for (const src of loaded.objects) {
    const ctx = new Ctx(src, diags);
    const o = ctx.obj(src.value, []);
    if (!o) continue;
    const kind = o['kind'];
    if (typeof kind !== 'string') {
      ctx.error(['kind'], 'required: NetworkPolicy, CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy');
      continue;
    }
    const api = KINDS[kind];
    if (!api) {
      ctx.warn(['kind'], `${show(kind)} is not a network policy; skipped`);
      continue;
    }
    if (o['apiVersion'] !== api) {
      ctx.error(['apiVersion'], `${show(o['apiVersion'])}: ${kind} is ${api}`);
      continue;
    }
    const md = ctx.obj(o['metadata'], ['metadata']);
    if (!md) {
      if (o['metadata'] == null) ctx.error(['metadata'], 'required: metadata.name');
      continue;
    }
    const name = ctx.str(md['name'], ['metadata', 'name']);
    if (!name) {
      if (md['name'] == null) ctx.error(['metadata', 'name'], 'required');
      continue;
    }
    const nsRaw = ctx.str(md['namespace'], ['metadata', 'namespace']);
    const ref: PolicyRef = { kind: kind as PolicyKind, name, file: src.file };
    if (kind === 'CiliumClusterwideNetworkPolicy') {
      if (nsRaw) ctx.warn(['metadata', 'namespace'], 'ignored: CiliumClusterwideNetworkPolicy is not namespaced');
    } else ref.namespace = nsRaw ?? 'default';
    const sets = kind === 'NetworkPolicy' ? parseKnp(ctx, o, ref) : parseCilium(ctx, o, ref);
    const key = `${kind}/${ref.namespace ?? ''}/${name}`;
    const prev = byKey.get(key);
    if (prev)
      ctx.warn(
        ['metadata', 'name'],
        `${kind} ${ref.namespace ? `${ref.namespace}/` : ''}${name} is also defined in ${prev.src.file}; the later definition replaces it (as kubectl apply would)`,
      );
    byKey.set(key, { ref, sets, src });
  }
  const entries = [...byKey.values()];
  return {
    sets: entries.flatMap((e) => e.sets),
    policies: entries.map((e) => e.ref),
    errors: diags.filter((d) => d.severity === 'error'),
    warnings: diags.filter((d) => d.severity === 'warning'),
  };
}
