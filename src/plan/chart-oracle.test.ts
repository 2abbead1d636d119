// The acceptance oracle: for every supported chart version, every key path of the emitted
// cilium-values.yaml exists in that version's real values.yaml, and the values merged over
// the chart defaults validate against its values.schema.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { chartDir } from '../../test/paths.ts';
import { baseRaw, exampleRaw, set, valid } from '../../test/specs.ts';
import type { Raw } from '../../test/specs.ts';
import { buildPlan } from './plan.ts';
import { renderPlan } from './render.ts';
import { CILIUM_CHART_VERSIONS } from '../knowledge/cilium.ts';
import { PASS_THROUGH_KEYS } from '../knowledge/chart-passthrough.ts';
import { keyPathsOf } from '../knowledge/chart-keys.ts';
import { deepMerge } from '../util/merge.ts';

type Obj = Record<string, unknown>;

/** Reads values.yaml directly (not kec's generated key table) to decide whether a key path exists. */
function existsInValuesYaml(doc: Obj, text: string, path: string): boolean {
  const parts = path.split('.');
  let cur: unknown = doc;
  for (let i = 0; i < parts.length; i++) {
    const k = parts[i]!;
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return false;
    const map = cur as Obj;
    if (!(k in map)) {
      // documented only as a commented-out key at this depth, e.g. 1.16's "#kubeProxyReplacement:"
      return i === parts.length - 1 && new RegExp(`^ {${2 * i}}#${k}:`, 'm').test(text);
    }
    const v = map[k];
    if (
      PASS_THROUGH_KEYS.has(k) ||
      Array.isArray(v) ||
      (v !== null && typeof v === 'object' && Object.keys(v).length === 0)
    )
      return true;
    cur = v;
  }
  return true;
}

function variants(version: string): Array<[string, Raw]> {
  const minor = version.split('.').slice(0, 2).join('.');
  const example = set(exampleRaw(), 'spec.cilium.version', version);
  const maximal = baseRaw();
  set(maximal, 'spec.cilium.version', version);
  set(maximal, 'spec.cilium', {
    version,
    kubeProxyReplacement: true,
    routing: { mode: 'native', nativeRoutingCIDR: '10.32.0.0/11' },
    encryption: { type: 'ipsec' },
    hubble: { enabled: true, relay: true, ui: true, metrics: ['dns:query', 'drop', 'httpV2'] },
    prometheus: true,
    serviceMonitors: true,
    l7Proxy: false,
    bandwidthManager: true,
    hostRouting: 'bpf',
    datapathMode: 'netkit',
    bigTCP: { ipv4: true, ipv6: true },
    operatorReplicas: 1,
    values: {
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      hubble: { relay: { replicas: 2 } },
      bpf: { policyMapMax: 32768 },
    },
  });
  const out: Array<[string, Raw]> = [
    ['example', example],
    ['maximal', maximal],
    ['minimal', set(baseRaw(), 'spec.cilium.version', version)],
  ];
  if (minor >= '1.19')
    out.push([
      'ztunnel',
      set(set(baseRaw(), 'spec.cilium.version', version), 'spec.cilium.encryption.type', 'ztunnel'),
    ]);
  return out;
}

describe.each(CILIUM_CHART_VERSIONS)('Cilium chart %s', (version) => {
  const text = readFileSync(join(chartDir(version), 'values.yaml'), 'utf8');
  const defaults = parse(text) as Obj;
  const schema = JSON.parse(readFileSync(join(chartDir(version), 'values.schema.json'), 'utf8')) as object;
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

  it.each(variants(version))('%s: every emitted key exists and the values validate', (_name, raw) => {
    const plan = buildPlan(valid(raw));
    const rendered = parse(renderPlan(plan).get('cilium-values.yaml')!) as Obj;
    expect(rendered).toEqual(plan.values);
    const paths = keyPathsOf(rendered);
    expect(paths.length).toBeGreaterThan(10);
    const missing = paths.filter((p) => !existsInValuesYaml(defaults, text, p));
    expect(missing).toEqual([]);
    const ok = validate(deepMerge(defaults, rendered));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
});

describe('the oracle itself', () => {
  const text = readFileSync(join(chartDir('1.16.19'), 'values.yaml'), 'utf8');
  const doc = parse(text) as Obj;
  it('finds real keys, commented keys and pass-through objects, and rejects made-up ones', () => {
    expect(existsInValuesYaml(doc, text, 'hubble.relay.enabled')).toBe(true);
    expect(existsInValuesYaml(doc, text, 'kubeProxyReplacement')).toBe(true);
    expect(existsInValuesYaml(doc, text, 'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution')).toBe(
      true,
    );
    expect(existsInValuesYaml(doc, text, 'hubble.relay.enabledd')).toBe(false);
    expect(existsInValuesYaml(doc, text, 'tunnel')).toBe(false);
    expect(existsInValuesYaml(doc, text, 'encryption.wireguard.persistentKeepalive.x')).toBe(false);
  });
});
