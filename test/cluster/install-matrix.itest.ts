// `kec install` through the real helm with the real Cilium chart package of every version kec
// supports (../shared/upstream/cilium-chart/<v>/cilium-<v>.tgz), each on a freshly reset cluster:
// the release is deployed with the plan's values, every object kec makes is accepted by the API
// server, the edge DaemonSets are derived from that chart's agent DaemonSet, and every agent pod
// is Running and Ready (kwok plays the kubelet on cloud and edge nodes), then uninstall restores
// the seed. A version matrix: each version is its own test.
// Edge nodes: kwok's site-a/site-b, not hollow KubeEdge nodes (docs/harness.md): five installs,
// each on a freshly reset cluster, roll every agent five times; agents on real KubeEdge nodes (real
// chart, kubelet probes) are in kubeedge-agents.itest.ts.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cluster, harness, helmBinary, resetCluster, waitFor } from './harness/index.ts';
import { connect } from '../../src/cluster/client.ts';
import type { Cluster, Obj } from '../../src/cluster/types.ts';
import { comparable } from '../../src/cluster/install/apply.ts';
import { CILIUM_CHART_VERSIONS } from '../../src/knowledge/cilium.ts';
import { GROUP_LABEL } from '../../src/names.ts';
import { KEC_BIN, upstream } from '../paths.ts';
import { harnessSpec } from './kec-process.ts';

const exec = promisify(execFile);
const h = harness();

async function run(bin: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    return { code: 0, ...(await exec(bin, args, { env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 16 << 20 })) };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

type Container = { name: string; image: string; args?: string[]; env?: Array<{ name: string; value?: string }> };
type PodSpec = { containers: Container[]; initContainers?: Container[] };
const podSpec = (o: Obj | undefined): PodSpec => (o?.['spec'] as { template: { spec: PodSpec } }).template.spec;
const agent = (o: Obj | undefined): Container => podSpec(o).containers.find((c) => c.name === 'cilium-agent')!;

describe.skipIf(!h.available)('kec install with the real Cilium chart of each supported version', () => {
  let dir: string;
  let helm: string;
  let api: Cluster;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kec-matrix-'));
    helm = await helmBinary();
    api = connect({ kubeconfig: cluster().kubeconfig });
  });
  afterAll(async () => {
    await resetCluster(cluster());
  });

  it.each([...CILIUM_CHART_VERSIONS])(
    'Cilium %s: installs, agents Ready on every node, uninstall restores',
    async (v) => {
      await resetCluster(cluster());
      const kubeconfig = cluster().kubeconfig;
      const spec = harnessSpec(dir, v);
      const seeded = [
        { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'cilium', namespace: 'kube-system' },
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'cilium-operator', namespace: 'kube-system' },
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'cilium-config', namespace: 'kube-system' },
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'cloudcore', namespace: 'kubeedge' },
      ];
      const snap = async (): Promise<string[]> =>
        Promise.all(seeded.map(async (ref) => comparable(await api.get(ref))));
      const before = await snap();
      const chart = upstream('cilium-chart', v, `cilium-${v}.tgz`);
      const args = ['-f', spec, '--helm', helm, '--chart', chart, '--kubeconfig', kubeconfig];
      const r = await run(process.execPath, [KEC_BIN, 'install', ...args, '--wait', '--timeout', '3m']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        new RegExp(`created\\s+helm release kube-system/cilium — .*${v.replaceAll('.', '\\.')}`),
      );

      const releases = JSON.parse(
        (await run(helm, ['list', '-n', 'kube-system', '-o', 'json', '--kubeconfig', kubeconfig])).stdout,
      ) as Array<{ chart: string; status: string }>;
      expect(releases).toEqual([expect.objectContaining({ chart: `cilium-${v}`, status: 'deployed' })]);

      // The cloud DaemonSet from the chart and each edge DaemonSet derived from it: same image
      // (pinned by digest in the real chart), same init containers, MetaServer instead of the API server.
      const cloud = await api.get({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        name: 'cilium',
        namespace: 'kube-system',
      });
      const image = agent(cloud).image;
      expect(image).toMatch(new RegExp(`^quay\\.io/cilium/cilium:v${v.replaceAll('.', '\\.')}@sha256:[0-9a-f]{64}$`));
      for (const group of ['site-a', 'site-b']) {
        const ds = await api.get({
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          name: `cilium-edge-${group}`,
          namespace: 'kube-system',
        });
        expect(ds, `edge DaemonSet of ${group}`).toBeDefined();
        expect(agent(ds).image).toBe(image);
        expect((podSpec(ds).initContainers ?? []).map((c) => c.name)).toEqual(
          (podSpec(cloud).initContainers ?? []).map((c) => c.name),
        );
        const env = Object.fromEntries((agent(ds).env ?? []).map((e) => [e.name, e.value]));
        expect(env['KUBERNETES_SERVICE_HOST']).toBe('127.0.0.1');
        expect(env['KUBERNETES_SERVICE_PORT']).toBe('10550');
      }

      // Every agent pod Running and Ready, one per node: the cloud DaemonSet's on cloud nodes, each
      // edge DaemonSet's on the nodes of its group.
      await waitFor(
        `Cilium ${v} agent pods Ready on every node`,
        async () => {
          const pods = await api.list('v1', 'Pod', { namespace: 'kube-system', labelSelector: 'k8s-app=cilium' });
          const nodes = await api.list('v1', 'Node');
          const groupOf = new Map(nodes.map((n) => [n.metadata?.name, n.metadata?.labels?.[GROUP_LABEL]]));
          const ready = pods.filter((p) => {
            const st = p['status'] as
              { phase?: string; conditions?: Array<{ type: string; status: string }> } | undefined;
            const node = (p['spec'] as { nodeName?: string }).nodeName;
            return (
              st?.phase === 'Running' &&
              st.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') &&
              groupOf.get(node) === p.metadata?.labels?.[GROUP_LABEL]
            );
          });
          const covered = new Set(ready.map((p) => (p['spec'] as { nodeName?: string }).nodeName));
          return nodes.every((n) => covered.has(n.metadata?.name)) && ready.length === nodes.length;
        },
        { timeoutMs: 180_000 },
      );

      const u = await run(process.execPath, [KEC_BIN, 'uninstall', '--helm', helm, '--kubeconfig', kubeconfig]);
      expect(u.stderr).toBe('');
      expect(u.code).toBe(0);
      expect(
        JSON.parse((await run(helm, ['list', '-n', 'kube-system', '-o', 'json', '--kubeconfig', kubeconfig])).stdout),
      ).toEqual([]);
      expect(await snap()).toEqual(before);
    },
  );
});
