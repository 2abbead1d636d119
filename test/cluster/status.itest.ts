// kec status against the real local control plane: healthy, one edge group offline, and
// run by a ServiceAccount bound to a least-privilege ClusterRole.
// Edge nodes: kwok's site-a/site-b, not hollow KubeEdge nodes (docs/harness.md): the states under
// test (offline within and past grace, crash loops) are switched at once by kwok; offline autonomy
// on a real KubeEdge node is in kubeedge.itest.ts.
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';
import type { StatusReport } from '../../src/cluster/status/report.ts';
import {
  cluster,
  edgeNodes,
  harness,
  kubeConfig,
  mintServiceAccountKubeconfig,
  resetCluster,
  setEdgeNodeConnected,
} from './harness/index.ts';
import { captureIo, createEdgeAgents } from './cluster-ops-fixtures.ts';

const h = harness();

/** The rules kec status needs (README: least-privilege ClusterRole). */
export const STATUS_RULES: k8s.V1PolicyRule[] = [
  { apiGroups: [''], resources: ['nodes', 'pods'], verbs: ['get', 'list'] },
  { apiGroups: ['apps'], resources: ['daemonsets', 'deployments'], verbs: ['get', 'list'] },
  { apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'get'] },
];

async function status(args: string[]): Promise<{ code: number; report: StatusReport; stderr: string }> {
  const io = captureIo();
  const code = await run(['status', '-o', 'json', ...args], io);
  return { code, report: JSON.parse(io.stdout.join('\n')) as StatusReport, stderr: io.stderr.join('\n') };
}

describe.skipIf(!h.available)('kec status (integration)', () => {
  let kubeconfig: string;
  beforeAll(async () => {
    kubeconfig = cluster().kubeconfig;
    await createEdgeAgents(kubeConfig(), ['site-a', 'site-b']);
  });
  afterAll(async () => {
    if (h.available) await resetCluster(cluster());
  });

  it('reports cloud workloads and both edge groups ready; exec in simulated pods is "unavailable" data', async () => {
    const { code, report } = await status(['--kubeconfig', kubeconfig]);
    expect(report.failures).toEqual([]);
    expect(code).toBe(0);
    expect(report.cloud.agents).toMatchObject({ present: true, ok: true });
    expect(report.cloud.operator).toMatchObject({ present: true, desired: 2, ready: 2, ok: true });
    expect(report.groups.map((g) => [g.name, g.counts.ready, g.daemonSet.ready])).toEqual([
      ['site-a', 2, 2],
      ['site-b', 2, 2],
    ]);
    const probes = report.groups.flatMap((g) => g.agents).map((a) => a.cilium);
    expect(probes.length).toBe(4);
    for (const p of probes) expect(p && 'unavailable' in p ? p.unavailable : 'summary').toMatch(/unavailable|exit/);
  });

  it('reports an offline edge group as offline (autonomous) within the grace (exit 0), and as a failure past it (exit 1)', async () => {
    for (const n of edgeNodes('site-b')) await setEdgeNodeConnected(n.name, false);
    const within = await status(['--kubeconfig', kubeconfig, '--no-exec']);
    expect(within.report.failures).toEqual([]);
    expect(within.code).toBe(0);
    const b = within.report.groups.find((g) => g.name === 'site-b')!;
    expect(b.nodes.map((n) => n.state)).toEqual(['offline (autonomous)', 'offline (autonomous)']);
    expect(b.nodes.every((n) => typeof n.lastHeartbeat === 'string')).toBe(true);
    expect(b.counts).toMatchObject({ nodes: 2, ready: 0, offline: 2 });
    expect(within.report.groups.find((g) => g.name === 'site-a')?.counts.ready).toBe(2);

    const past = await status(['--kubeconfig', kubeconfig, '--no-exec', '--offline-grace', '0s']);
    expect(past.code).toBe(1);
    expect(past.report.failures.filter((f) => f.startsWith('group site-b: node'))).toHaveLength(2);

    const human = captureIo();
    expect(await run(['status', '--kubeconfig', kubeconfig, '--no-exec'], human)).toBe(0);
    expect(human.stdout.join('\n')).toMatch(/edge-site-b-1 {2}offline \(autonomous\) {2}last heartbeat/);
  });

  it('runs as a ServiceAccount bound to the least-privilege ClusterRole, with no collection error', async () => {
    const kc = kubeConfig();
    const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
    await rbac.createClusterRole({ body: { metadata: { name: 'kec-status-test' }, rules: STATUS_RULES } });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: 'kec-status-test' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kec-status-test' },
        subjects: [{ kind: 'ServiceAccount', name: 'kec-status', namespace: 'default' }],
      },
    });
    const sa = await mintServiceAccountKubeconfig(cluster(), 'default', 'kec-status');
    const r = await status(['--kubeconfig', sa]);
    expect(r.report.collectionErrors).toEqual([]);
    expect(r.report.groups).toHaveLength(2);
    // No Secret access and no token in what it printed.
    await expect(
      kubeConfig(sa).makeApiClient(k8s.CoreV1Api).listNamespacedSecret({ namespace: 'kube-system' }),
    ).rejects.toMatchObject({ code: 403 });
    const token = kubeConfig(sa).getCurrentUser()?.token ?? '';
    expect(token.length).toBeGreaterThan(20);
    expect(JSON.stringify(r)).not.toContain(token);
  });
});
