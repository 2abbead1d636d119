// Label selectors over identity labels, with Cilium's label sources: a selector key
// `k8s:app` matches only the k8s-sourced label `app`, `reserved:host` the reserved one, and a
// key without a source (or `any:`) matches the key from any source.
// Source: cilium pkg/labels (ParseSelectLabel, source prefixes), k8s LabelSelector semantics.

export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Requirement {
  source: string; // 'any' matches every source
  key: string;
  op: Operator;
  values: string[];
}

export interface Selector {
  reqs: Requirement[];
  /** Canonical text: used in explanations and as the selector-cache key. */
  text: string;
}

/** Identity labels: `source:key` → value, plus an index by key for `any:` lookups. */
export class Labels {
  readonly map = new Map<string, string>();
  private readonly byKey = new Map<string, string[]>();

  constructor(entries: Iterable<[string, string, string]> = []) {
    for (const [source, key, value] of entries) this.add(source, key, value);
  }

  add(source: string, key: string, value: string): void {
    this.map.set(`${source}:${key}`, value);
    const list = this.byKey.get(key);
    if (list) list.push(value);
    else this.byKey.set(key, [value]);
  }

  values(source: string, key: string): string[] {
    if (source === 'any') return this.byKey.get(key) ?? [];
    const v = this.map.get(`${source}:${key}`);
    return v === undefined ? [] : [v];
  }

  has(source: string, key: string, value?: string): boolean {
    const vs = this.values(source, key);
    return value === undefined ? vs.length > 0 : vs.includes(value);
  }

  /** Stable signature: equal label sets → equal identity. */
  signature(): string {
    return [...this.map.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  }
}

export const SOURCES = new Set(['k8s', 'reserved', 'any', 'cidr', 'container', 'unspec', 'fqdn', 'cilium-generated']);

/** Splits `k8s:app` into source and key; a key without a known source prefix is `any`. */
export function parseLabelKey(raw: string): { source: string; key: string } {
  const i = raw.indexOf(':');
  if (i > 0) {
    const source = raw.slice(0, i);
    if (SOURCES.has(source)) return { source, key: raw.slice(i + 1) };
  }
  return { source: 'any', key: raw };
}

export function selectorText(reqs: Requirement[]): string {
  if (reqs.length === 0) return '{}';
  const k = (r: Requirement): string => (r.source === 'any' ? r.key : `${r.source}:${r.key}`);
  return reqs
    .map((r) => {
      switch (r.op) {
        case 'In':
          return r.values.length === 1 ? `${k(r)}=${r.values[0]}` : `${k(r)} in (${r.values.join(',')})`;
        case 'NotIn':
          return `${k(r)} notin (${r.values.join(',')})`;
        case 'Exists':
          return k(r);
        case 'DoesNotExist':
          return `!${k(r)}`;
      }
    })
    .join(',');
}

export function makeSelector(reqs: Requirement[]): Selector {
  return { reqs, text: selectorText(reqs) };
}

export function withRequirements(s: Selector, extra: Requirement[]): Selector {
  return makeSelector([...s.reqs, ...extra]);
}

export function matches(s: Selector, labels: Labels): boolean {
  for (const r of s.reqs) {
    const vs = labels.values(r.source, r.key);
    switch (r.op) {
      case 'In':
        if (!vs.some((v) => r.values.includes(v))) return false;
        break;
      case 'NotIn':
        if (vs.some((v) => r.values.includes(v))) return false;
        break;
      case 'Exists':
        if (vs.length === 0) return false;
        break;
      case 'DoesNotExist':
        if (vs.length > 0) return false;
        break;
    }
  }
  return true;
}

export function hasKey(s: Selector, source: string, key: string): boolean {
  return s.reqs.some((r) => r.key === key && (r.source === source || r.source === 'any'));
}

export const NS_LABEL = 'io.kubernetes.pod.namespace';
export const NS_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
export const SA_LABEL = 'io.cilium.k8s.policy.serviceaccount';
export const CLUSTER_LABEL = 'io.cilium.k8s.policy.cluster';
