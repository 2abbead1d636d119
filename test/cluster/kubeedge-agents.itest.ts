// Cilium agents on real KubeEdge nodes: two edge groups of two hollow nodes each (real edged,
// edgehub and MetaServer; fake CRI), each node in its own network namespace, behind the real
// cloudcore v1.23.1 (harness/kubeedge-site.ts). `kec install` with the real 1.18.12 chart puts
// an agent pod on every hollow node, Running and Ready through the kubelet's own probes
// (the harness answers the agent's health endpoint 127.0.0.1:9879 in each namespace); the edge
// agents reach the API through their node's MetaServer, which `kec node metaserver check`
// confirms from inside the node. A canary upgrade to 1.19.6 whose canary node withdraws its
// agent health fails its gate and is rolled back; once health is back the upgrade goes through.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cluster, harness, helmBinary, kubeConfig, resetCluster, waitFor, waitNodesReady } from './harness/index.ts';
import type { KubeEdgeSite } from './harness/kubeedge-site.ts';
import { hollowNodes, startKubeEdgeSite } from './harness/kubeedge-site.ts';
import { harnessSpec, realChart, runKec } from './kec-process.ts';
import type { Ran } from './kec-process.ts';
import { connect } from '../../src/cluster/client.ts';
import type { Cluster, Obj } from '../../src/cluster/types.ts';
import { KEC_BIN } from '../paths.ts';

const exec = promisify(execFile);
const h = harness();
const GROUPS = ['site-c', 'site-d'];
const CANARY_NODE = 'edge-site-c-1';

interface PodView {
  name: string;
  node: string;
  image: string;
  ready: boolean;
  running: boolean;
  env: Record<string, string | undefined>;
  /** creation -> Ready, seconds (undefined while not Ready). */
  startSeconds: number | undefined;
}

function view(p: Obj): PodView {
  const spec = p['spec'] as {
    nodeName?: string;
    containers: Array<{ name: string; image: string; env?: Array<{ name: string; value?: string }> }>;
  };
  const st = (p['status'] ?? {}) as {
    phase?: string;
    conditions?: Array<{ type: string; status: string; lastTransitionTime?: string }>;
  };
  const agent = spec.containers.find((c) => c.name === 'cilium-agent')!;
  const ready = st.conditions?.find((c) => c.type === 'Ready');
  const created = Date.parse(String(p.metadata?.['creationTimestamp']));
  return {
    name: p.metadata?.name ?? '',
    node: spec.nodeName ?? '',
    image: agent.image,
    ready: ready?.status === 'True',
    running: st.phase === 'Running',
    env: Object.fromEntries((agent.env ?? []).map((e) => [e.name, e.value])),
    startSeconds:
      ready?.status === 'True' && ready.lastTransitionTime
        ? Math.round((Date.parse(ready.lastTransitionTime) - created) / 1000)
        : undefined,
  };
}

const pinned = (v: string): RegExp =>
  new RegExp(`^quay\\.io/cilium/cilium:v${v.replaceAll('.', '\\.')}@sha256:[0-9a-f]{64}$`);

describe.skipIf(!h.available)('Cilium agents on real KubeEdge nodes: 2 groups x 2 hollow edge nodes', () => {
  let site: KubeEdgeSite;
  let api: Cluster;
  let helm: string;
  let dir: string;
  const kubeconfig = (): string => cluster().kubeconfig;
  const spec = (v: string): string =>
    harnessSpec(dir, v, { kubeedgeVersion: '1.23.1', extraGroups: GROUPS.map((name) => ({ name, nodes: 2 })) });
  const hollow = (): string[] => site.nodes.map((n) => n.name);

  /** The agent pods of the edge DaemonSets of the hollow groups, by node. */
  const edgeAgents = async (): Promise<PodView[]> =>
    (await api.list('v1', 'Pod', { namespace: 'kube-system', labelSelector: 'k8s-app=cilium' }))
      .filter((p) => !p.metadata?.['deletionTimestamp'])
      .map(view)
      .filter((p) => hollow().includes(p.node));

  /** Waits until every hollow node runs one Ready agent whose image matches. */
  const agentsReady = (image: RegExp, timeoutMs: number): Promise<PodView[]> =>
    waitFor(
      `an agent pod Running and Ready (${image.source}) on each of ${hollow().join(', ')}`,
      async () => {
        const pods = await edgeAgents();
        const ok = hollow().every((n) => {
          const on = pods.filter((p) => p.node === n);
          return on.length === 1 && on[0]!.running && on[0]!.ready && image.test(on[0]!.image);
        });
        return ok && pods;
      },
      { timeoutMs, intervalMs: 1000 },
    );

  const upgrade = (from: string, to: string, more: string[]): Promise<Ran> =>
    runKec(['upgrade', '-f', spec(from), '--to', to, ...realChart(helm, to, kubeconfig()), '-o', 'json', ...more]);

  beforeAll(async () => {
    await resetCluster(cluster());
    dir = mkdtempSync(join(tmpdir(), 'kec-kubeedge-agents-'));
    helm = await helmBinary();
    api = connect({ kubeconfig: kubeconfig() });
    site = await startKubeEdgeSite(
      cluster(),
      GROUPS.flatMap((g) => hollowNodes(g, 2)),
      (l) => console.error(`kubeedge: ${l}`),
    );
  });
  afterAll(async () => {
    if (process.env['KEC_DEBUG_KEEP']) cpSync(site.dir, process.env['KEC_DEBUG_KEEP'], { recursive: true });
    await site?.stop();
    await resetCluster(cluster());
  });

  it('kec install (real helm, real 1.18.12 chart): an agent Running and Ready on every hollow node, through its MetaServer', async () => {
    const r = await runKec([
      'install',
      '-f',
      spec('1.18.12'),
      ...realChart(helm, '1.18.12', kubeconfig()),
      '--wait',
      '--timeout',
      '5m',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // kec install turned dynamicController on and restarted cloudcore. edgehub reconnects within
    // 2 x heartbeat, but a Lease renewal in flight across the restart is lost and edged waits out
    // its 60 s sync-message timeout before renewing again (kubeedge#4850): the nodes flap
    // NotReady meanwhile. Every later step needs the edge settled: a Lease renewed through the
    // new cloudcore and Ready.
    const t0 = Date.now();
    await waitFor(
      'the real cloudcore restarted with dynamicController on',
      async () => site.cloudcore()?.dynamicController,
      {
        timeoutMs: 60_000,
      },
    );
    await site.waitReconnected(240_000);
    console.error(`kubeedge-agents: edge settled ${Math.round((Date.now() - t0) / 1000)} s after kec install returned`);
    const pods = await agentsReady(pinned('1.18.12'), 300_000);
    console.error(
      `kubeedge-agents: agent pod creation -> Ready on hollow nodes: ${pods.map((p) => `${p.node} ${p.startSeconds}s`).join(', ')}`,
    );
    for (const p of pods) {
      // The edge DaemonSet of the node's group, talking to the node's own MetaServer.
      expect(p.name).toMatch(new RegExp(`^cilium-edge-${p.node.replace(/^edge-(.*)-\d+$/, '$1')}-`));
      expect(p.env['KUBERNETES_SERVICE_HOST']).toBe('127.0.0.1');
      expect(p.env['KUBERNETES_SERVICE_PORT']).toBe('10550');
      // The node's MetaServer knows its agent pod (edged got it through cloudcore, not from kwok).
      const local = await site.metaServerGet(p.node, `/api/v1/namespaces/kube-system/pods/${p.name}`);
      expect(local.status, `${p.node}: ${local.body.slice(0, 200)}`).toBe(200);
    }
    const st = await runKec(['status', '-f', spec('1.18.12'), '--kubeconfig', kubeconfig(), '--no-exec', '-o', 'json']);
    const report = JSON.parse(st.stdout) as {
      groups: Array<{ name: string; nodes: Array<{ name: string; state: string }> }>;
    };
    for (const g of GROUPS) {
      const nodes = report.groups.find((x) => x.name === g)?.nodes ?? [];
      expect(nodes.map((n) => n.name).sort(), g).toEqual([`edge-${g}-1`, `edge-${g}-2`]);
      for (const n of nodes) expect(n.state, `${g}/${n.name}`).not.toMatch(/offline|missing|unknown/);
    }
  }, 420_000);

  it('kec node metaserver check passes on a hollow node of each group (dynamicController on, agents installed)', async () => {
    for (const g of GROUPS) {
      const node = `edge-${g}-2`;
      const args = ['netns', 'exec', site.netns(node), process.execPath, KEC_BIN, 'node', 'metaserver', 'check'];
      const out = await waitFor(
        `metaserver check to pass on ${node}`,
        async () => {
          const x = await exec('ip', [...args, '--cilium-version', '1.18.12', '-o', 'json'], {
            maxBuffer: 16 << 20,
          }).then(
            (y) => ({ code: 0, stdout: y.stdout }),
            (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
          );
          return x.code === 0 && x;
        },
        { timeoutMs: 120_000, intervalMs: 3000 },
      );
      const report = JSON.parse(out.stdout) as {
        ok: boolean;
        resources: Array<{ resource: string; source: string; level: string }>;
      };
      expect(report.ok).toBe(true);
      const ciliumNodes = report.resources.find((x) => x.resource === 'ciliumnodes');
      expect(ciliumNodes).toMatchObject({ source: 'cloud' });
      // Feature-gated resources whose CRD the harness does not install are not asked for.
      expect(report.resources.find((x) => x.resource === 'ciliumbgpnodeconfigs')).toMatchObject({
        status: 'not installed',
        level: 'pass',
      });
    }
    // Asking for them would have made cloudcore exit and crash-loop (kubeedge#7303): it ran
    // twice, at the start and after kec install's restart, never more.
    expect(site.cloudcore()?.starts).toBe(2);
  }, 300_000);

  it('a canary node that withdraws its agent health fails the gate and is rolled back; healthy again, the upgrade goes through', async () => {
    const siteD = await api.get({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      name: 'cilium-edge-site-d',
      namespace: 'kube-system',
    });
    await waitNodesReady(kubeConfig(), hollow(), 'True', 120_000);
    await site.setAgentHealthy(CANARY_NODE, false);
    let failed: Ran;
    try {
      failed = await upgrade('1.18.12', '1.19.6', ['--canary', 'site-c', '--auto-rollback', '--timeout', '60']);
    } finally {
      await site.setAgentHealthy(CANARY_NODE, true);
    }
    expect(failed.code, `${failed.stderr}\n${failed.stdout.slice(0, 3000)}`).toBe(1);
    const report = JSON.parse(failed.stdout) as {
      cloud: { status: string };
      groups: Array<{ group: string; status: string; detail: string }>;
    };
    const c = report.groups.find((g) => g.group === 'site-c');
    expect(c).toMatchObject({ status: 'rolled-back' });
    expect(c?.detail).toMatch(new RegExp(`not ready: .*cilium-edge-site-c-\\S+ on ${CANARY_NODE}\\b`));
    expect(report.groups.find((g) => g.group === 'site-d')?.status).toBe('skipped');
    expect(report.cloud.status).toBe('rolled-back');
    // site-d was never touched; site-c is back on 1.18.12 and Ready on every node again.
    const siteDNow = await api.get({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      name: 'cilium-edge-site-d',
      namespace: 'kube-system',
    });
    expect(siteDNow?.metadata?.['generation']).toBe(siteD?.metadata?.['generation']);
    await agentsReady(pinned('1.18.12'), 240_000);

    const ok = await upgrade('1.18.12', '1.19.6', ['--canary', 'site-c', '--timeout', '180']);
    expect(ok.code, `${ok.stderr}\n${ok.stdout.slice(0, 2000)}`).toBe(0);
    const done = JSON.parse(ok.stdout) as {
      cloud: { status: string };
      groups: Array<{ group: string; status: string }>;
    };
    expect(done.cloud.status).toBe('upgraded');
    for (const g of GROUPS) expect(done.groups.find((x) => x.group === g)?.status, g).toBe('upgraded');
    await agentsReady(pinned('1.19.6'), 240_000);
  }, 900_000);
});
