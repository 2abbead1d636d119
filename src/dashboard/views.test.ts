// The plan, policy, flows and findings view models on the repository's examples and fixtures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, FIXTURES } from '../../test/paths.ts';
import { loadSpec } from '../edgenetwork/load.ts';
import { buildPlan } from '../plan/plan.ts';
import { loadPolicies } from '../policy/api.ts';
import { loadInventory } from '../policy/inventory.ts';
import { externalEndpoints, podEndpoints } from '../policy/endpoints.ts';
import { makeGrouper, parseNodeLabels } from '../flows/grouping.ts';
import type { DiagnoseReport } from '../cluster/diagnose/diagnose-rules.ts';
import { deployedDiff, planView } from './plan-view.ts';
import { daemonSet } from '../cluster/snapshot/objects.testkit.ts';
import type { ClusterState } from '../cluster/snapshot/state.ts';
import { diffView, matrixView, traceView } from './policy-view.ts';
import { bucketSeconds, flowsView } from './flows-view.ts';
import { findingsView } from './findings-view.ts';

const POLICY = join(EXAMPLES, 'policy');

async function policyInputs() {
  const pols = await loadPolicies([join(POLICY, 'current')]);
  const inv = await loadInventory([join(POLICY, 'inventory.yaml'), join(POLICY, 'inventory-extras.yaml')]);
  return { sets: pols.sets, endpoints: [...podEndpoints(inv), ...externalEndpoints(inv)] };
}

describe('plan view model', () => {
  it('gives per group the MTU breakdown, map sizes and memory against the budget', async () => {
    const spec = await loadSpec(join(EXAMPLES, 'edge-cluster.yaml'));
    const plan = buildPlan(spec.value!);
    const v = planView(plan, 'edge-cluster.yaml');
    expect(v.groups.map((g) => g.name)).toEqual(plan.groups.map((g) => g.name));
    const g = v.groups[0]!;
    expect(g.mtu.pod).toBe(g.mtu.link - g.mtu.overhead);
    expect(g.mtu.overhead).toBe(g.mtu.tunnel + g.mtu.encryption);
    expect(Object.keys(g.maps).sort()).toEqual(['ctAny', 'ctTcp', 'nat', 'neigh', 'policy', 'sockRevNat']);
    expect(g.memory.withinBudget).toBe(g.memory.estimateBytes <= g.memory.budgetBytes);
    expect(v.decisions.length).toBe(plan.decisions.length);
    expect(v.decisions[0]!.title).toBe(plan.decisions[0]!.title);
    expect(v.cilium).toBe(plan.cilium.version);
  });
});

describe('plan against what is deployed', () => {
  it('compares the planned agent arguments of each group with its edge DaemonSet', async () => {
    const plan = buildPlan((await loadSpec(join(EXAMPLES, 'edge-cluster.yaml'))).value!);
    const [a, b, ...rest] = plan.groups;
    const state = (daemonSets: ClusterState['daemonSets']): ClusterState => ({
      namespace: 'kube-system',
      collectedAt: '',
      groups: [],
      nodes: [],
      daemonSets,
      deployments: [],
      pods: [],
      errors: [],
    });
    const changed = b!.agentArgs.map((x) => (x.startsWith('--mtu=') ? '--mtu=9000' : x));
    const d = deployedDiff(
      plan,
      state([
        daemonSet(a!.daemonSet, { args: a!.agentArgs }),
        daemonSet(b!.daemonSet, { args: [...changed, '--debug'] }),
      ]),
    );
    expect(d[0]).toEqual({ group: a!.name, daemonSet: a!.daemonSet, status: 'matches', missing: [], unexpected: [] });
    expect(d[1]).toEqual({
      group: b!.name,
      daemonSet: b!.daemonSet,
      status: 'differs',
      missing: [b!.agentArgs.find((x) => x.startsWith('--mtu='))],
      unexpected: ['--mtu=9000', '--debug'],
    });
    for (const r of d.slice(2)) expect(r.status).toBe('not deployed');
    expect(rest.length).toBe(d.length - 2);
    expect(planView(plan, 'x').deployed).toBeUndefined();
  });
});

describe('policy view models', () => {
  it('is the compiled reachability matrix of one port, with the ports to choose from', async () => {
    const { sets, endpoints } = await policyInputs();
    const m = matrixView(sets, endpoints, { port: 80, protocol: 'TCP' });
    const n = m.endpoints.length;
    expect(m.allowed).toHaveLength(n * n);
    const at = (from: string, to: string): number =>
      m.allowed[m.endpoints.indexOf(from) * n + m.endpoints.indexOf(to)]!;
    expect(at('y/a', 'x/a')).toBe(1);
    expect(at('z/a', 'x/a')).toBe(0);
    expect(m.allowedCount).toBe(m.allowed.filter((x) => x === 1).length);
    expect(m.ports).toContainEqual({ port: 80, protocol: 'TCP' });
  });

  it('traces a cell with the rule that decided it', async () => {
    const { sets, endpoints } = await policyInputs();
    const ep = (id: string) => endpoints.find((e) => e.id === id)!;
    const denied = traceView(sets, ep('z/a'), ep('x/a'), { port: 80, protocol: 'TCP' });
    expect(denied.verdict).toBe('denied');
    expect(denied.ingress.verdict).toBe('denied');
    expect(denied.deciding).toMatchObject({ effect: 'default-deny', policy: 'x/allow-a-from-y' });
    const allowed = traceView(sets, ep('y/a'), ep('x/a'), { port: 80, protocol: 'TCP' });
    expect(allowed.verdict).toBe('allowed');
    expect(allowed.deciding).toMatchObject({ effect: 'allow', policy: 'x/allow-a-from-y', kind: 'NetworkPolicy' });
    expect(allowed.deciding.rule).toMatch(/ingress/);
  });
});

describe('flows view model', () => {
  const lines = readFileSync(join(FIXTURES, 'observe', 'flows-edge.jsonl'), 'utf8').split('\n');
  const grouper = makeGrouper(
    undefined,
    parseNodeLabels(readFileSync(join(FIXTURES, 'observe', 'nodes.json'), 'utf8'), 'nodes.json'),
  );

  it('counts verdicts over time per site, consistent with the summary', () => {
    const v = flowsView(lines, { source: 'flows-edge.jsonl', grouper });
    expect(v.by).toBe('group');
    const perSite = Object.fromEntries(
      v.series.map((s) => [
        s.site,
        Object.values(s.verdicts)
          .flat()
          .reduce((a, b) => a + b, 0),
      ]),
    );
    for (const site of v.sites) expect(perSite[site.site]).toBe(site.total);
    const dropped = v.series.reduce((a, s) => a + (s.verdicts['DROPPED'] ?? []).reduce((x, y) => x + y, 0), 0);
    expect(dropped).toBe(v.byVerdict['DROPPED']);
    expect(v.buckets.length).toBeGreaterThan(1);
    for (const s of v.series) for (const arr of Object.values(s.verdicts)) expect(arr).toHaveLength(v.buckets.length);
    expect(v.topDropReasons[0]).toEqual({ reason: 'POLICY_DENIED', count: 6 });
    expect(v.policyDenies[0]).toMatchObject({ destination: 'store/api-66f-qwe34', port: 8080, count: 5 });
    expect(v.malformed).toBe(5);
  });

  it('falls back to nodes without node labels', () => {
    const v = flowsView(lines, { source: 'x' });
    expect(v.by).toBe('node');
    expect(v.series.every((s) => !s.site.startsWith('('))).toBe(true);
  });

  it('chooses the bucket width from the span', () => {
    expect(bucketSeconds(3000)).toBe(1);
    expect(bucketSeconds(10 * 60_000)).toBe(30);
    expect(bucketSeconds(24 * 3600_000)).toBe(1800);
  });
});

describe('findings view model', () => {
  it('lists errors first, with counts and fixes', () => {
    const report: DiagnoseReport = {
      findings: [
        { rule: 'w', title: 'a warning', severity: 'warning', evidence: ['e1'], fix: 'do w' },
        { rule: 'e', title: 'an error', severity: 'error', evidence: ['e2'], fix: 'do e' },
      ],
      notChecked: [{ rule: 'x', reason: 'no access' }],
      rulesRun: 12,
      unavailable: [],
      collectionErrors: [],
      ok: false,
    };
    const v = findingsView(report, '2026-11-27T10:00:00.000Z');
    expect(v.findings.map((f) => [f.severity, f.fix])).toEqual([
      ['error', 'do e'],
      ['warning', 'do w'],
    ]);
    expect(v.counts).toEqual({ error: 1, warning: 1 });
    expect(v).toMatchObject({ source: 'live', rulesRun: 12, checkedAt: '2026-11-27T10:00:00.000Z' });
    expect(findingsView(undefined)).toMatchObject({ source: 'none', findings: [] });
  });
});

describe('policy diff view model', () => {
  it('lists the verdicts that change between two policy sets, as kec policy diff', async () => {
    const { sets, endpoints } = await policyInputs();
    const next = (await loadPolicies([join(POLICY, 'proposed')])).sets;
    const d = diffView(sets, next, endpoints, 'proposed');
    expect(d.changes).toEqual([
      { from: 'edge-apps/sensor-gw', to: 'cidr:198.51.100.53/32', port: 1883, protocol: 'TCP', old: false, new: true },
      { from: 'edge-apps/dashboard', to: 'edge-apps/sensor-gw', port: 1883, protocol: 'TCP', old: false, new: true },
    ]);
    expect([d.opened, d.closed]).toEqual([2, 0]);
    expect(d.probes).toContain('1883/TCP');
    expect(diffView(sets, sets, endpoints, 'same').changes).toEqual([]);
  });
});
