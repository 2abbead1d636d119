import { describe, expect, it } from 'vitest';
import type { Obj } from '../cluster/types.ts';
import type { ClusterState } from '../cluster/snapshot/state.ts';
import { discoverGroups } from '../cluster/snapshot/state.ts';
import { daemonSet, deployment, node, NOW, pod } from '../cluster/snapshot/objects.testkit.ts';
import { buildStatusReport } from '../cluster/status/report.ts';
import { CLOUD, fleetView, kubeedgeVersionOf, nodeDetail, nodeRows } from './fleet-view.ts';

const withKubelet = (n: Obj, v: string): Obj => {
  (n['status'] as { nodeInfo: Record<string, string> }).nodeInfo['kubeletVersion'] = v;
  return n;
};
const withImage = (p: Obj, image: string): Obj => {
  (p['spec'] as { containers: Array<Record<string, string>> }).containers[0]!['image'] = image;
  return p;
};

function state(): ClusterState {
  const nodes = [
    withKubelet(node('cloud-1'), 'v1.31.4'),
    withKubelet(node('edge-a-1', { edge: 'site-a' }), 'v1.31.4-kubeedge-v1.21.0'),
    withKubelet(node('edge-a-2', { edge: 'site-a', ready: 'False' }), 'v1.31.4-kubeedge-v1.21.0'),
    withKubelet(
      node('edge-b-1', { edge: 'site-b', ready: 'Unknown', heartbeatAgoMs: 125_000 }),
      'v1.30.1-kubeedge-v1.20.0',
    ),
    node('edge-b-2', { edge: 'site-b' }),
  ];
  const daemonSets = [
    daemonSet('cilium', { desired: 1 }),
    daemonSet('cilium-edge-site-a', { group: 'site-a' }),
    daemonSet('cilium-edge-site-b', { group: 'site-b', ready: 1 }),
  ];
  const pods = [
    withImage(pod('cilium-c1', 'cilium', 'cloud-1'), 'quay.io/cilium/cilium:v1.19.6@sha256:0df5'),
    withImage(pod('cilium-edge-a-1', 'cilium-edge-site-a', 'edge-a-1'), 'quay.io/cilium/cilium:v1.19.6'),
    withImage(pod('cilium-edge-a-2', 'cilium-edge-site-a', 'edge-a-2'), 'quay.io/cilium/cilium:v1.19.6'),
    withImage(
      pod('cilium-edge-b-1', 'cilium-edge-site-b', 'edge-b-1', { ready: false }),
      'quay.io/cilium/cilium:v1.18.3',
    ),
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
  };
  s.groups = discoverGroups(s.daemonSets, s.nodes);
  return s;
}

const report = (s: ClusterState) => buildStatusReport(s, { now: NOW, offlineGraceMs: 3600_000 });

describe('fleet view model', () => {
  it('has a tile for the cloud and each edge group with online / offline (autonomous) / failing counts', () => {
    const s = state();
    const v = fleetView(report(s), 'live', s);
    expect(v.groups.map((g) => [g.name, g.kind, g.health, g.counts])).toEqual([
      [CLOUD, 'cloud', 'online', { nodes: 1, online: 1, offline: 0, failing: 0 }],
      ['site-a', 'edge', 'failing', { nodes: 2, online: 1, offline: 0, failing: 1 }],
      ['site-b', 'edge', 'offline (autonomous)', { nodes: 2, online: 1, offline: 1, failing: 0 }],
    ]);
    expect(v.totals).toEqual({ groups: 2, nodes: 5, online: 3, offline: 1, failing: 1 });
    expect(v.ok).toBe(false);
    expect(v.failures.some((f) => f.includes('edge-a-2'))).toBe(true);
  });

  it('gives agent DaemonSet health and the Cilium and KubeEdge versions seen per group', () => {
    const s = state();
    const v = fleetView(report(s), 'live', s);
    const b = v.groups.find((g) => g.name === 'site-b')!;
    // The agent on the offline node is excused: the DaemonSet is ok.
    expect(b.agents).toMatchObject({ name: 'cilium-edge-site-b', desired: 2, ready: 1, ok: true });
    expect(b.ciliumVersions).toEqual(['1.18.3']);
    expect(b.kubeedgeVersions).toEqual(['1.20.0']);
    expect(v.groups[0]!.kubeedgeVersions).toEqual([]);
    expect(v.groups[0]!.ciliumVersions).toEqual(['1.19.6']);
  });

  it('says how long an autonomous node has been without a heartbeat', () => {
    const s = state();
    const rows = nodeRows(report(s), s);
    expect(rows.get('site-b')![0]).toMatchObject({
      name: 'edge-b-1',
      health: 'offline (autonomous)',
      state: 'offline (autonomous)',
      offlineFor: '2m5s',
      agent: { pod: 'cilium-edge-b-1', ready: false },
    });
    expect(rows.get('site-a')![1]).toMatchObject({ name: 'edge-a-2', health: 'failing', state: 'NotReady' });
  });

  it('drills down to a node: group, conditions, versions, agent pod', () => {
    const s = state();
    const r = report(s);
    const d = nodeDetail('edge-a-1', nodeRows(r, s), r, s)!;
    expect(d).toMatchObject({
      name: 'edge-a-1',
      group: 'site-a',
      health: 'online',
      kubeletVersion: 'v1.31.4-kubeedge-v1.21.0',
      kubeedgeVersion: '1.21.0',
      ciliumVersion: '1.19.6',
      agentPod: { pod: 'cilium-edge-a-1', phase: 'Running', ready: true, restarts: 0 },
    });
    expect(d.conditions).toEqual([expect.objectContaining({ type: 'Ready', status: 'True', reason: 'KubeletReady' })]);
    expect(nodeDetail('nope', nodeRows(r, s), r, s)).toBeUndefined();
  });

  it('works from a saved report alone (snapshot): no cloud nodes, no versions', () => {
    const r = report(state());
    const saved = JSON.parse(JSON.stringify(r)) as typeof r;
    const v = fleetView(saved, 'snapshot');
    expect(v.source).toBe('snapshot');
    expect(v.groups.map((g) => g.counts.nodes)).toEqual([0, 2, 2]);
    expect(v.groups.every((g) => g.ciliumVersions.length === 0)).toBe(true);
    expect(nodeDetail('edge-b-1', nodeRows(saved), saved)?.conditions).toEqual([]);
  });

  it('is empty without a report', () => {
    expect(fleetView(undefined, 'none')).toMatchObject({ source: 'none', groups: [], totals: { nodes: 0 } });
  });

  it('reads the KubeEdge version from the kubelet version', () => {
    expect(kubeedgeVersionOf('v1.31.4-kubeedge-v1.21.0')).toBe('1.21.0');
    expect(kubeedgeVersionOf('v1.31.4')).toBeUndefined();
    expect(kubeedgeVersionOf(undefined)).toBeUndefined();
  });
});
