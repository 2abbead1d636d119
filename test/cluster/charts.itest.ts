// `kec install` with the REAL Cilium chart package of every version kec supports, on the harness:
// a real API server, real cloudcore, hollow KubeEdge edge nodes whose kubelet (edged) runs the
// agents' real probes. Each version: install with the plan's values through the user's helm,
// the edge DaemonSets derived from the chart's own DaemonSet, agent pods Running and Ready on
// every hollow edge node, cloud agents kept off them, and uninstall back to the seed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cluster, edgeNodes, harness, helmBinary, resetCluster, waitFor } from './harness/index.ts';
import { connect } from '../../src/cluster/client.ts';
import type { Obj } from '../../src/cluster/types.ts';
import { CILIUM_CHART_VERSIONS } from '../../src/knowledge/cilium.ts';
import { upstream } from '../paths.ts';
import { harnessSpec, runKec } from './kec-process.ts';

const h = harness();
const dir = mkdtempSync(join(tmpdir(), 'kec-charts-'));

type Pod = Obj & {
  spec: { nodeName?: string };
  status?: { phase?: string; conditions?: Array<{ type: string; status: string }> };
};
const ready = (p: Pod): boolean =>
  p.status?.phase === 'Running' && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

describe.runIf(h.available).each([...CILIUM_CHART_VERSIONS])('kec install with the real Cilium chart %s', (version) => {
  afterAll(async () => {
    await resetCluster(cluster());
  });

  it('installs; edge agents Running and Ready on every hollow edge node; uninstall restores', async () => {
    await resetCluster(cluster());
    const kubeconfig = cluster().kubeconfig;
    const helm = await helmBinary();
    const chart = upstream('cilium-chart', version, `cilium-${version}.tgz`);
    const r = await runKec([
      'install',
      '-f',
      harnessSpec(dir, version),
      '--helm',
      helm,
      '--chart',
      chart,
      '--kubeconfig',
      kubeconfig,
      '--wait',
      '--timeout',
      '4m',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);

    const api = connect({ kubeconfig });
    const edges = edgeNodes();
    expect(edges.length).toBe(4);
    // One agent of the group's DaemonSet on each hollow edge node, Running and Ready (edged ran its probes).
    await waitFor(
      `edge agents of Cilium ${version} Ready on ${edges.map((n) => n.name).join(', ')}`,
      async () => {
        const pods = (await api.list('v1', 'Pod', {
          namespace: 'kube-system',
          labelSelector: 'k8s-app=cilium',
        })) as Pod[];
        return edges.every((n) =>
          pods.some(
            (p) => p.spec.nodeName === n.name && p.metadata?.labels?.['kec.kubeedge.io/group'] === n.group && ready(p),
          ),
        );
      },
      { timeoutMs: 180_000 },
    );
    const pods = (await api.list('v1', 'Pod', { namespace: 'kube-system', labelSelector: 'k8s-app=cilium' })) as Pod[];
    // The chart's own agents stay off edge nodes (affinity in the plan's values).
    const cloudOnEdge = pods.filter(
      (p) =>
        p.metadata?.labels?.['kec.kubeedge.io/group'] === undefined && edges.some((n) => n.name === p.spec.nodeName),
    );
    expect(cloudOnEdge.map((p) => p.metadata?.name)).toEqual([]);
    // The edge DaemonSets run the chart's image of this version.
    const ds = await api.get({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      name: 'cilium-edge-site-a',
      namespace: 'kube-system',
    });
    const containers = (ds?.['spec'] as { template: { spec: { containers: Array<{ name: string; image: string }> } } })
      .template.spec.containers;
    expect(containers.find((c) => c.name === 'cilium-agent')!.image).toContain(`:v${version}`);

    const un = await runKec(['uninstall', '--helm', helm, '--kubeconfig', kubeconfig, '--wait', '--timeout', '2m']);
    expect(un.stderr).toBe('');
    expect(un.code).toBe(0);
    expect(
      await api.get({ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'cilium-edge-site-a', namespace: 'kube-system' }),
    ).toBeUndefined();
  });
});
