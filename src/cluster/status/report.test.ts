import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../test/paths.ts';
import { summariseCiliumStatus } from './cilium-status.ts';
import { buildStatusReport, DEFAULT_OFFLINE_GRACE_MS } from './report.ts';
import type { AgentProbe } from './report.ts';
import type { ClusterState } from '../snapshot/state.ts';
import { discoverGroups } from '../snapshot/state.ts';
import { daemonSet, deployment, node, NOW, pod } from '../snapshot/objects.testkit.ts';
import { parseDuration } from '../../util/duration.ts';

const fixture = (f: string): string => readFileSync(join(ROOT, 'test', 'fixtures', 'cluster', f), 'utf8');

function state(over: Partial<ClusterState> = {}): ClusterState {
  const nodes = [
    node('cloud-1'),
    node('edge-a-1', { edge: 'site-a' }),
    node('edge-a-2', { edge: 'site-a' }),
    node('edge-b-1', { edge: 'site-b' }),
    node('edge-b-2', { edge: 'site-b' }),
  ];
  const daemonSets = [
    daemonSet('cilium', { desired: 1 }),
    daemonSet('cilium-edge-site-a', { group: 'site-a' }),
    daemonSet('cilium-edge-site-b', { group: 'site-b' }),
  ];
  const pods = [
    pod('cilium-c1', 'cilium', 'cloud-1'),
    pod('cilium-edge-a-1', 'cilium-edge-site-a', 'edge-a-1'),
    pod('cilium-edge-a-2', 'cilium-edge-site-a', 'edge-a-2'),
    pod('cilium-edge-b-1', 'cilium-edge-site-b', 'edge-b-1'),
    pod('cilium-edge-b-2', 'cilium-edge-site-b', 'edge-b-2'),
  ];
  const s: ClusterState = {
    namespace: 'kube-system',
    collectedAt: new Date(NOW).toISOString(),
    groups: [],
    nodes,
    daemonSets,
    deployments: [deployment('cilium-operator')],
    pods,
    errors: [],
    ...over,
  };
  if (!over.groups) s.groups = discoverGroups(s.daemonSets, s.nodes);
  return s;
}

const opts = { now: NOW, offlineGraceMs: DEFAULT_OFFLINE_GRACE_MS };

describe('buildStatusReport', () => {
  it('reports a healthy cluster as ok with both discovered groups', () => {
    const r = buildStatusReport(state(), opts);
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.groups.map((g) => [g.name, g.counts.nodes, g.counts.ready, g.daemonSet.ready])).toEqual([
      ['site-a', 2, 2, 2],
      ['site-b', 2, 2, 2],
    ]);
    expect(r.cloud.relay).toMatchObject({ present: false, ok: true, message: 'not installed' });
    expect(r.cloud.operator.ok).toBe(true);
  });

  it('reports an offline edge group as "offline (autonomous)" within the grace, not as a failure', () => {
    const s = state();
    s.nodes = s.nodes.map((n) =>
      n.metadata?.name?.startsWith('edge-b')
        ? node(n.metadata.name, { edge: 'site-b', ready: 'Unknown', heartbeatAgoMs: 10 * 60_000 })
        : n,
    );
    // The node lifecycle controller marks pods on unreachable nodes not ready.
    s.pods = s.pods.map((p) =>
      p.metadata?.name?.startsWith('cilium-edge-b')
        ? pod(p.metadata.name, 'cilium-edge-site-b', p.metadata.name.replace('cilium-', ''), { ready: false })
        : p,
    );
    s.daemonSets = s.daemonSets.map((d) =>
      d.metadata?.name === 'cilium-edge-site-b' ? daemonSet('cilium-edge-site-b', { group: 'site-b', ready: 0 }) : d,
    );
    const r = buildStatusReport(s, opts);
    expect(r.ok).toBe(true);
    const b = r.groups.find((g) => g.name === 'site-b')!;
    expect(b.nodes.map((n) => n.state)).toEqual(['offline (autonomous)', 'offline (autonomous)']);
    expect(b.nodes[0]?.lastHeartbeat).toBe(new Date(NOW - 10 * 60_000).toISOString());
    expect(b.counts).toEqual({ nodes: 2, ready: 0, notReady: 0, offline: 2 });
    expect(b.daemonSet.message).toBe('2 on offline nodes');
    expect(b.agents.every((a) => a.nodeOffline && !a.failure)).toBe(true);
  });

  it('reads timestamps that the client deserialised into Date objects', () => {
    const s = state();
    const n = node('edge-b-1', { edge: 'site-b', ready: 'Unknown', heartbeatAgoMs: 60_000 });
    const c = (n['status'] as { conditions: Array<Record<string, unknown>> }).conditions[0]!;
    c['lastHeartbeatTime'] = new Date(NOW - 60_000);
    c['lastTransitionTime'] = new Date(NOW - 60_000);
    s.nodes[3] = n;
    const st = buildStatusReport(s, opts).groups[1]!.nodes[0]!;
    expect(st).toMatchObject({
      state: 'offline (autonomous)',
      lastHeartbeat: new Date(NOW - 60_000).toISOString(),
      offlineFor: '1m',
    });
  });

  it('counts an edge node offline longer than the grace as a failure', () => {
    const s = state();
    s.nodes[3] = node('edge-b-1', { edge: 'site-b', ready: 'Unknown', heartbeatAgoMs: 3 * 3600_000 });
    const r = buildStatusReport(s, opts);
    expect(r.ok).toBe(false);
    expect(r.failures).toEqual(['group site-b: node edge-b-1 offline: no heartbeat for 3h, more than the grace of 1h']);
    expect(buildStatusReport(s, { ...opts, offlineGraceMs: parseDuration('4h')! }).ok).toBe(true);
  });

  it('fails on a connected NotReady node, a CrashLoopBackOff agent and an agent restarting often', () => {
    const s = state();
    s.nodes[1] = node('edge-a-1', { edge: 'site-a', ready: 'False' });
    s.pods[2] = pod('cilium-edge-a-2', 'cilium-edge-site-a', 'edge-a-2', {
      ready: false,
      restarts: 7,
      waiting: 'CrashLoopBackOff',
    });
    s.pods[3] = pod('cilium-edge-b-1', 'cilium-edge-site-b', 'edge-b-1', {
      restarts: 5,
      lastExit: { agoMs: 30_000, ranMs: 75_000 },
    });
    const r = buildStatusReport(s, opts);
    expect(r.ok).toBe(false);
    expect(r.failures).toContain('group site-a: node edge-a-1 NotReady: KubeletNotReady');
    expect(r.failures).toContain('group site-a: agent cilium-edge-a-2 on edge-a-2: CrashLoopBackOff (7 restarts)');
    expect(r.failures.find((f) => f.includes('cilium-edge-b-1'))).toMatch(
      /restarting often: 5 restarts, last exit .* after 75s/,
    );
  });

  it('does not count old restarts as restarting often', () => {
    const s = state();
    s.pods[1] = pod('cilium-edge-a-1', 'cilium-edge-site-a', 'edge-a-1', {
      restarts: 9,
      lastExit: { agoMs: 5 * 3600_000, ranMs: 60_000 },
    });
    expect(buildStatusReport(s, opts).ok).toBe(true);
  });

  it('reports missing workloads and partial collection failures as failures', () => {
    const s = state({
      deployments: [],
      errors: [{ what: 'pods in kube-system', error: 'HTTP 403 Forbidden: pods is forbidden' }],
    });
    s.daemonSets = s.daemonSets.filter((d) => d.metadata?.name !== 'cilium-edge-site-b');
    const r = buildStatusReport(s, opts);
    expect(r.failures).toEqual(
      expect.arrayContaining([
        'Deployment cilium-operator: missing',
        'group site-b: DaemonSet cilium-edge-site-b missing',
        'could not collect pods in kube-system: HTTP 403 Forbidden: pods is forbidden',
      ]),
    );
    expect(r.collectionErrors).toHaveLength(1);
  });

  it('shows objects whose list failed as unknown, never missing', () => {
    const s = state({
      deployments: [],
      errors: [
        {
          what: 'Deployments in kube-system',
          error: 'HTTP 403 Forbidden: deployments is forbidden',
          kind: 'Deployment',
        },
      ],
    });
    const r = buildStatusReport(s, opts);
    expect(r.cloud.operator).toMatchObject({ present: false, unknown: true, ok: false });
    expect(r.failures.join('\n')).not.toMatch(/missing/);
    expect(r.failures).toContain('Deployment cilium-operator: unknown: HTTP 403 Forbidden: deployments is forbidden');
  });

  it('uses spec groups and their selectors, listing edge nodes no group selects', () => {
    const r = buildStatusReport(
      state({ groups: [{ name: 'site-a', nodeSelector: { 'kec.kubeedge.io/group': 'site-a' }, source: 'spec' }] }),
      opts,
    );
    expect(r.groups.map((g) => g.name)).toEqual(['site-a']);
    expect(r.ungroupedEdgeNodes).toEqual(['edge-b-1', 'edge-b-2']);
  });

  it('attaches cilium-dbg summaries, and exec unavailable is data, not a failure', () => {
    const probes = new Map<string, AgentProbe>([
      ['cilium-edge-a-1', { summary: summariseCiliumStatus(fixture('cilium-dbg-status-ok.json')) }],
      ['cilium-edge-a-2', { unavailable: 'exec unavailable: HTTP 0: connection refused' }],
      ['cilium-edge-b-1', { summary: summariseCiliumStatus(fixture('cilium-dbg-status-degraded.json')) }],
    ]);
    const r = buildStatusReport(state(), { ...opts, probes });
    const a = r.groups[0]!.agents;
    expect(a[0]?.cilium).toMatchObject({ summary: { health: 'ok' } });
    expect(a[1]).toMatchObject({
      failure: false,
      cilium: { unavailable: expect.stringContaining('exec unavailable') },
    });
    expect(r.failures).toEqual([
      'group site-b: agent cilium-edge-b-1 on edge-b-1: cilium-dbg status: cilium: Failure (Kubernetes service is not ready)',
    ]);
  });
});

describe('summariseCiliumStatus', () => {
  it('summarises a healthy agent', () => {
    expect(summariseCiliumStatus(fixture('cilium-dbg-status-ok.json'))).toEqual({
      health: 'ok',
      cilium: 'Ok',
      kubernetes: 'Ok',
      kvstore: 'Disabled',
      controllers: { total: 2, failing: 0, failingNames: [] },
      clusterHealth: 'Ok',
      ipamAllocated: 3,
      encryption: 'Wireguard',
      kubeProxyReplacement: 'False',
      problems: [],
    });
  });

  it('lists failing components and controllers of a degraded agent', () => {
    const s = summariseCiliumStatus(fixture('cilium-dbg-status-degraded.json'));
    expect(s.health).toBe('failure');
    expect(s.controllers).toEqual({ total: 3, failing: 2, failingNames: ['cilium-health-ep', 'k8s-heartbeat'] });
    expect(s.problems).toEqual([
      'cilium: Failure (Kubernetes service is not ready)',
      'kubernetes: Failure (Get "http://127.0.0.1:10550/version": dial tcp 127.0.0.1:10550: connect: connection refused)',
      'controller cilium-health-ep failing (4x): Get "http://10.0.4.20:4240/hello": context deadline exceeded',
      'controller k8s-heartbeat failing (1x): Get "http://127.0.0.1:10550/healthz": connection refused',
      'cilium-health: Warning (cilium-health daemon unreachable)',
    ]);
  });

  it('rejects output that is not a StatusResponse', () => {
    expect(() => summariseCiliumStatus('Error: cannot connect to agent')).toThrow(
      /printed no JSON: Error: cannot connect/,
    );
    expect(() => summariseCiliumStatus('{"foo":1}')).toThrow(/neither "cilium" nor "kubernetes"/);
  });
});
