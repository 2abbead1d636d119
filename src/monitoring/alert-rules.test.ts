// The PrometheusRule: metric names valid for every supported Cilium version, validated by
// `promtool check rules`, and each alert expression unit-tested by `promtool test rules`
// on synthetic series (test/fixtures/observe/promtool-tests.yaml).
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../test/paths.ts';
import { parseSpec } from '../edgenetwork/load.ts';
import type { EdgeNetwork } from '../edgenetwork/types.ts';
import { CILIUM_LATEST_PATCH } from '../knowledge/cilium.ts';
import {
  CILIUM_AGENT_METRICS,
  KUBE_STATE_METRICS,
  REMOVED_CILIUM_METRICS,
  metricExists,
} from '../knowledge/metrics.ts';
import { alertDefs, prometheusRule } from './alert-rules.ts';

const run = promisify(execFile);
const OBSERVE = join(ROOT, 'test', 'fixtures', 'observe');
const SPEC_TEXT = await readFile(join(OBSERVE, 'spec.yaml'), 'utf8');
const tmp = await mkdtemp(join(tmpdir(), 'kec-rules-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

function specFor(version: string): EdgeNetwork {
  const loaded = parseSpec(SPEC_TEXT.replace('version: "1.18.12"', `version: "${version}"`), 'spec.yaml');
  if (!loaded.value) throw new Error(JSON.stringify(loaded.errors));
  return loaded.value;
}

/** Every metric-like identifier in an expression (names followed by { [ or ( or space, not PromQL keywords). */
function metricNames(expr: string): string[] {
  const out = new Set<string>();
  for (const m of expr.matchAll(/\b((?:cilium|kube)_[a-z0-9_]+)\b/g)) out.add(m[1]!);
  return [...out];
}

const VERSIONS = Object.values(CILIUM_LATEST_PATCH);

describe('alert rules', () => {
  it.each(VERSIONS)('use only metrics Cilium %s exports (and kube-state-metrics)', (version) => {
    const rule = prometheusRule(specFor(version));
    const exprs = rule.spec.groups.flatMap((g) => g.rules.map((r) => String(r['expr'])));
    expect(exprs.length).toBeGreaterThan(10);
    for (const expr of exprs) {
      for (const name of metricNames(expr)) {
        if (name.startsWith('kube_')) expect(KUBE_STATE_METRICS).toContain(name);
        else expect(metricExists(name, version), `${name} in Cilium ${version}`).toBe(true);
      }
    }
    const text = JSON.stringify(rule);
    for (const removed of Object.keys(REMOVED_CILIUM_METRICS)) expect(text).not.toContain(removed);
  });

  it('declare the Cilium metrics they use', () => {
    const { alerts } = alertDefs(specFor('1.18.12'));
    for (const a of alerts) {
      const used = metricNames(a.expr).filter((n) => n.startsWith('cilium_'));
      expect(used.sort(), a.alert).toEqual([...a.ciliumMetrics].sort());
    }
    expect(CILIUM_AGENT_METRICS.map((m) => m.name)).toEqual(
      expect.arrayContaining(alerts.flatMap((a) => a.ciliumMetrics)),
    );
  });

  it('leave out alerts whose metric the Cilium version lacks', () => {
    // The spec refuses Cilium < 1.16; the filter is exercised on an unvalidated copy.
    const old = specFor('1.18.12');
    old.spec.cilium.version = '1.14.0';
    const { alerts, skipped } = alertDefs(old);
    expect(skipped).toContainEqual({ alert: 'KecCiliumIPAMNearlyExhausted', metric: 'cilium_ipam_capacity' });
    expect(alerts.map((a) => a.alert)).not.toContain('KecCiliumIPAMNearlyExhausted');
  });

  it('have summary, description and runbook text, and per-group edge alerts', () => {
    const rule = prometheusRule(specFor('1.18.12'));
    expect(rule).toMatchObject({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'kec-observe-test-cilium', namespace: 'kube-system' },
    });
    const rules = rule.spec.groups.flatMap((g) => g.rules);
    for (const r of rules) {
      const ann = r['annotations'] as Record<string, string>;
      for (const k of ['summary', 'description', 'runbook'])
        expect(ann[k], `${String(r['alert'])}.${k}`).toMatch(/\w{3}/);
    }
    const edge = rule.spec.groups.find((g) => g.name === 'kec.edge-sites')!.rules;
    expect(edge.map((r) => `${String(r['alert'])}/${(r['labels'] as Record<string, string>)['edge_group']}`)).toEqual([
      'KecEdgeAgentDown/shop-floor',
      'KecEdgeSiteDark/shop-floor',
      'KecEdgeAgentDown/retail',
      'KecEdgeSiteDark/retail',
    ]);
    expect(String(edge[2]!['expr'])).toContain('kube_node_labels{label_site="retail"}');
    expect(String(edge[2]!['expr'])).toContain('created_by_name="cilium-edge-retail"');
  });
});

describe('promtool', () => {
  it.each(VERSIONS)('check rules accepts the rule groups for Cilium %s', async (version) => {
    const file = join(tmp, `check-${version}.yaml`);
    await writeFile(file, stringify(prometheusRule(specFor(version)).spec));
    const { stdout } = await run('promtool', ['check', 'rules', file]);
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('test rules: every alert fires on synthetic series, and only where it should', async () => {
    const rule = prometheusRule(specFor('1.18.12'));
    // Labels are what the unit tests compare; annotations (templated text) are checked by `check rules`.
    const groups = rule.spec.groups.map((g) => ({ ...g, rules: g.rules.map(({ annotations: _a, ...r }) => r) }));
    await writeFile(join(tmp, 'rules.yaml'), stringify({ groups }));
    await copyFile(join(OBSERVE, 'promtool-tests.yaml'), join(tmp, 'promtool-tests.yaml'));
    const tests = await readFile(join(OBSERVE, 'promtool-tests.yaml'), 'utf8');
    const alerts = new Set(groups.flatMap((g) => g.rules.map((r) => String(r['alert']))));
    for (const a of alerts)
      expect(tests, `a promtool test for ${a}`).toMatch(
        new RegExp(`alertname: ${a}\\n\\s+exp_alerts:\\n\\s+- exp_labels`),
      );
    const { stdout } = await run('promtool', ['test', 'rules', join(tmp, 'promtool-tests.yaml')]);
    expect(stdout).toContain('SUCCESS');
  });
});
