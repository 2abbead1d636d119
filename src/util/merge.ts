// Deep merge with Helm's semantics for values: maps merge key by key, anything else
// (scalars, lists) is replaced by the overriding side; null deletes the key.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function deepMerge<T extends Record<string, unknown>>(base: T, override: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue; // never object internals
    if (v === null) delete out[k];
    else if (isMap(v) && isMap(out[k])) out[k] = deepMerge(out[k] as Record<string, unknown>, v);
    else out[k] = structuredClone(v);
  }
  return out as T;
}

/** Reads a nested value by path. */
export function getPath(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const k of path) {
    if (!isMap(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** Builds `{a: {b: value}}` from ['a', 'b']. */
export function nest(path: readonly string[], value: unknown): Record<string, unknown> {
  return path.reduceRight<Record<string, unknown>>((acc, k) => ({ [k]: acc }), value as Record<string, unknown>);
}
