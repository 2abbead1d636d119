// Raw EdgeNetwork documents for tests: a valid base and ways to vary it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { EXAMPLES } from './paths.ts';
import { validateSpec } from '../src/edgenetwork/validate.ts';
import type { EdgeNetwork } from '../src/edgenetwork/types.ts';

export type Raw = Record<string, unknown>;

export function exampleRaw(name = 'edge-cluster.yaml'): Raw {
  return parse(readFileSync(join(EXAMPLES, name), 'utf8')) as Raw;
}

/** A small valid spec with one group. */
export function baseRaw(): Raw {
  return {
    apiVersion: 'kec.kubeedge.io/v1alpha1',
    kind: 'EdgeNetwork',
    metadata: { name: 'test' },
    spec: {
      kubernetes: { version: '1.31', apiServer: { host: '192.0.2.10' }, podCIDR: '10.32.0.0/11' },
      kubeedge: { version: '1.21.0' },
      cilium: { version: '1.18.12' },
      edgeGroups: [{ name: 'g1', memory: '4Gi' }],
    },
  };
}

/** Sets a value at a dotted path (numbers index lists), creating maps on the way. */
export function set(raw: Raw, path: string, value: unknown): Raw {
  const parts = path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  let cur: Record<string | number, unknown> = raw;
  parts.slice(0, -1).forEach((p, i) => {
    if (cur[p] === undefined || cur[p] === null) cur[p] = typeof parts[i + 1] === 'number' ? [] : {};
    cur = cur[p] as Record<string | number, unknown>;
  });
  const last = parts[parts.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return raw;
}

export function valid(raw: Raw): EdgeNetwork {
  const r = validateSpec(raw);
  if (!r.value)
    throw new Error(`expected a valid spec, got:\n${r.errors.map((e) => `${e.path}: ${e.message}`).join('\n')}`);
  return r.value;
}
