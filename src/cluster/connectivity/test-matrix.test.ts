import { describe, expect, it } from 'vitest';
import type { Obj } from '../types.ts';
import { NOW, node } from '../snapshot/objects.testkit.ts';
import type { GroupDef } from '../snapshot/state.ts';
import { planConnectivity, planSites, planTests } from './test-matrix.ts';
import { DEFAULT_OFFLINE_GRACE_MS } from '../status/report.ts';

const groups: GroupDef[] = [
  { name: 'site-a', nodeSelector: { 'kec.kubeedge.io/group': 'site-a' }, source: 'discovered' },
  { name: 'site-b', nodeSelector: { 'kec.kubeedge.io/group': 'site-b' }, source: 'discovered' },
];
const opts = { now: NOW, offlineGraceMs: DEFAULT_OFFLINE_GRACE_MS };
const healthy = (): Obj[] => [
  node('cloud-1'),
  node('cloud-2'),
  node('edge-a-1', { edge: 'site-a' }),
  node('edge-a-2', { edge: 'site-a' }),
  node('edge-b-1', { edge: 'site-b' }),
];

describe('planConnectivity', () => {
  it('plans pod-to-pod between every ordered pair of sites (within and across), then pod-to-service and dns per site', () => {
    const plan = planConnectivity(healthy(), groups, opts);
    expect(plan.sites.map((s) => [s.name, s.kind, s.id, s.nodes])).toEqual([
      ['cloud', 'cloud', 'cloud', ['cloud-1', 'cloud-2']],
      ['site-a', 'edge', 'edge-site-a', ['edge-a-1', 'edge-a-2']],
      ['site-b', 'edge', 'edge-site-b', ['edge-b-1']],
    ]);
    expect(plan.tests.map((t) => t.name)).toEqual([
      'pod-to-pod/cloud→cloud',
      'pod-to-pod/cloud→site-a',
      'pod-to-pod/cloud→site-b',
      'pod-to-pod/site-a→cloud',
      'pod-to-pod/site-a→site-a',
      'pod-to-pod/site-a→site-b',
      'pod-to-pod/site-b→cloud',
      'pod-to-pod/site-b→site-a',
      'pod-to-pod/site-b→site-b',
      'pod-to-service/cloud',
      'pod-to-service/site-a',
      'pod-to-service/site-b',
      'dns/cloud',
      'dns/site-a',
      'dns/site-b',
    ]);
    expect(plan.tests.every((t) => t.skipped === undefined)).toBe(true);
  });

  it('skips every test touching an edge group whose nodes are all offline (autonomous), with the reason kec status gives', () => {
    const nodes = [
      ...healthy().slice(0, 4),
      node('edge-b-1', { edge: 'site-b', ready: 'Unknown', heartbeatAgoMs: 90_000 }),
      node('edge-b-2', { edge: 'site-b', ready: 'Unknown', heartbeatAgoMs: 60_000 }),
    ];
    const plan = planConnectivity(nodes, groups, opts);
    const b = plan.sites.find((s) => s.name === 'site-b');
    expect(b?.nodes).toEqual([]);
    expect(b?.skipped).toBe(
      'edge group site-b offline: all 2 nodes are offline (autonomous) (edge-b-1, edge-b-2; no heartbeat for 1m30s (grace 1h))',
    );
    const skipped = plan.tests.filter((t) => t.skipped !== undefined).map((t) => t.name);
    expect(skipped).toEqual([
      'pod-to-pod/cloud→site-b',
      'pod-to-pod/site-a→site-b',
      'pod-to-pod/site-b→cloud',
      'pod-to-pod/site-b→site-a',
      'pod-to-pod/site-b→site-b',
      'pod-to-service/site-b',
      'dns/site-b',
    ]);
    expect(plan.tests.filter((t) => t.skipped === undefined)).toHaveLength(8);
  });

  it('keeps a partly offline group, pinned to its Ready nodes only', () => {
    const nodes = [
      ...healthy().slice(0, 3),
      node('edge-a-2', { edge: 'site-a', ready: 'Unknown' }),
      node('edge-b-1', { edge: 'site-b' }),
    ];
    const a = planSites(nodes, groups, opts).find((s) => s.name === 'site-a');
    expect(a?.skipped).toBeUndefined();
    expect(a?.nodes).toEqual(['edge-a-1']);
    expect(a?.nodeStates.map((s) => s.state)).toEqual(['Ready', 'offline (autonomous)']);
  });

  it('says why a group without a usable node is skipped: no nodes, NotReady, past the grace, tainted cloud', () => {
    const tainted = node('cloud-1');
    tainted['spec'] = { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] };
    const edgeTainted = node('edge-a-1', { edge: 'site-a' });
    edgeTainted['spec'] = { taints: [{ key: 'node-role.kubernetes.io/edge', effect: 'NoSchedule' }] };
    const nodes = [tainted, edgeTainted, node('edge-b-1', { edge: 'site-b', ready: 'False' })];
    const sites = planSites(
      nodes,
      [...groups, { name: 'site-c', nodeSelector: { 'kec.kubeedge.io/group': 'site-c' }, source: 'spec' }],
      opts,
    );
    expect(sites.map((s) => s.skipped)).toEqual([
      'cloud: no Ready schedulable node (cloud-1 unschedulable or tainted)',
      undefined, // the edge role taint is tolerated
      'edge group site-b: no Ready schedulable node (edge-b-1 NotReady)',
      'edge group site-c: no nodes',
    ]);
    const past = planSites(
      [node('edge-b-1', { edge: 'site-b', ready: 'Unknown', heartbeatAgoMs: 3 * 3600_000 })],
      groups,
      opts,
    )[2];
    expect(past?.skipped).toMatch(
      /^edge group site-b offline: its node is offline \(edge-b-1; no heartbeat for 3h, more than the grace of 1h\)$/,
    );
  });

  it('filters tests by name like cilium-cli --test', () => {
    const sites = planSites(healthy(), groups, opts);
    expect(planTests(sites, /^dns\//).map((t) => t.name)).toEqual(['dns/cloud', 'dns/site-a', 'dns/site-b']);
    expect(planTests(sites, /→site-a$/).map((t) => t.name)).toEqual([
      'pod-to-pod/cloud→site-a',
      'pod-to-pod/site-a→site-a',
      'pod-to-pod/site-b→site-a',
    ]);
  });
});
