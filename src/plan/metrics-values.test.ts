import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../test/paths.ts';
import { parseSpec } from '../edgenetwork/load.ts';
import { CILIUM_LATEST_PATCH } from '../knowledge/cilium.ts';
import { checkKeyPath, keyPathsOf } from '../knowledge/chart-keys.ts';
import { monitoringHelmValues } from './metrics-values.ts';

const spec = parseSpec(readFileSync(join(ROOT, 'test', 'fixtures', 'observe', 'spec.yaml'), 'utf8'), 'spec.yaml').value!
  .spec;

describe('monitoringHelmValues', () => {
  it.each(Object.values(CILIUM_LATEST_PATCH))('every key exists in the Cilium %s chart', (chart) => {
    const paths = keyPathsOf(monitoringHelmValues(spec));
    expect(paths).toContain('prometheus.enabled');
    for (const p of paths) expect(checkKeyPath(chart, p), p).toMatchObject({ ok: true });
  });

  it("turns agent and operator metrics on, keeps the spec's Hubble metrics and adds drop/policy", () => {
    const v = monitoringHelmValues(spec);
    expect(v).toMatchObject({
      prometheus: { enabled: true, serviceMonitor: { enabled: true } },
      operator: { prometheus: { enabled: true } },
    });
    expect((v['hubble'] as { metrics: { enabled: string[] } }).metrics.enabled).toEqual(['dns', 'drop', 'policy']);
    const noHubble = monitoringHelmValues(
      { ...spec, cilium: { ...spec.cilium, hubble: { ...spec.cilium.hubble, enabled: false } } },
      { serviceMonitor: false },
    );
    expect(noHubble).toEqual({ prometheus: { enabled: true }, operator: { prometheus: { enabled: true } } });
  });
});
