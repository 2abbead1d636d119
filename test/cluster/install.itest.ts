// kec install / uninstall against the real local control plane (KWOK nodes): fresh
// install, idempotence, dry run, exact restore, faults injected by the proxy, and a
// least-privilege ServiceAccount.
// Edge nodes: kwok's site-a/site-b, not hollow KubeEdge nodes (docs/harness.md): install/uninstall
// round trips and least-privilege installs on object state; real KubeEdge (cloudcore restart,
// MetaServer) is in kubeedge*.itest.ts.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  cluster,
  edgeNodes,
  harness,
  mintServiceAccountKubeconfig,
  resetCluster,
  startFaultProxy,
  waitFor,
} from './harness/index.ts';
import { connect } from '../../src/cluster/client.ts';
import type { Cluster, Obj } from '../../src/cluster/types.ts';
import { comparable } from '../../src/cluster/install/apply.ts';
import { KEC_BIN, ROOT } from '../paths.ts';
import { STATE_NAME } from '../../src/names.ts';

const exec = promisify(execFile);
const h = harness();

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}
async function kec(args: string[]): Promise<Ran> {
  try {
    const r = await exec(process.execPath, [KEC_BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      maxBuffer: 16 << 20,
    });
    return { code: 0, ...r };
  } catch (e) {
    const x = e as Ran;
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

function specFile(dir: string, memory = '4Gi'): string {
  const file = join(dir, `spec-${memory}.yaml`);
  writeFileSync(
    file,
    stringify({
      apiVersion: 'kec.kubeedge.io/v1alpha1',
      kind: 'EdgeNetwork',
      metadata: { name: 'harness' },
      spec: {
        kubernetes: {
          version: cluster().k8sVersion.replace(/^v/, '').split('.').slice(0, 2).join('.'),
          apiServer: { host: '127.0.0.1' },
          podCIDR: '10.32.0.0/11',
        },
        kubeedge: { version: '1.21.0' },
        cilium: { version: '1.18.12', kubeProxyReplacement: true },
        edgeGroups: [
          { name: 'site-a', memory, nodes: 2 },
          { name: 'site-b', memory: '8Gi', nodes: 2 },
        ],
      },
    }),
  );
  return file;
}

const TOUCHED = [
  { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'cilium', namespace: 'kube-system' },
  { apiVersion: 'v1', kind: 'ConfigMap', name: 'cloudcore', namespace: 'kubeedge' },
  { apiVersion: 'apps/v1', kind: 'Deployment', name: 'cloudcore', namespace: 'kubeedge' },
];
const CREATED = [
  { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'cilium-edge-site-a', namespace: 'kube-system' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'cilium-edge-site-b', namespace: 'kube-system' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'kec-cilium-edge' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: 'kec-cloudcore-cilium' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: 'kec-cloudcore-cilium-edge' },
  { apiVersion: 'v1', kind: 'ConfigMap', name: STATE_NAME, namespace: 'kube-system' },
];

async function snapshotTouched(api: Cluster): Promise<string[]> {
  return Promise.all(TOUCHED.map(async (r) => comparable(await api.get(r))));
}

async function podsOf(api: Cluster, ds: string): Promise<string[]> {
  const pods = await api.list('v1', 'Pod', { namespace: 'kube-system', labelSelector: 'k8s-app=cilium' });
  return pods
    .filter(
      (p) =>
        ((p.metadata?.['ownerReferences'] as Array<{ name: string }> | undefined) ?? []).some((o) => o.name === ds) &&
        !p.metadata?.['deletionTimestamp'],
    )
    .map((p) => String((p['spec'] as { nodeName?: string }).nodeName))
    .sort();
}

describe.skipIf(!h.available)('kec install / uninstall on the harness cluster', () => {
  let dir: string;
  let api: Cluster;
  let before: string[];

  beforeAll(async () => {
    await resetCluster(cluster());
    dir = mkdtempSync(join(tmpdir(), 'kec-install-'));
    api = connect({ kubeconfig: cluster().kubeconfig });
    before = await snapshotTouched(api);
  });
  afterAll(async () => {
    await resetCluster(cluster());
  });

  it('installs on a fresh cluster: edge DaemonSets with one agent per edge node, cloud agents off edge nodes', async () => {
    const r = await kec([
      'install',
      '-f',
      specFile(dir),
      '--skip-helm',
      '--kubeconfig',
      cluster().kubeconfig,
      '-o',
      'json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; steps: Array<{ object?: string; status: string }> };
    expect(report.ok).toBe(true);
    const status = Object.fromEntries(report.steps.filter((s) => s.object).map((s) => [s.object, s.status]));
    expect(status).toMatchObject({
      'DaemonSet/kube-system/cilium': 'changed',
      'ClusterRole/kec-cilium-edge': 'created',
      'ClusterRoleBinding/kec-cloudcore-cilium': 'created',
      'ConfigMap/kubeedge/cloudcore': 'changed',
      'Deployment/kubeedge/cloudcore': 'changed',
      'DaemonSet/kube-system/cilium-edge-site-a': 'created',
      'DaemonSet/kube-system/cilium-edge-site-b': 'created',
    });
    for (const ref of CREATED) expect(await api.get(ref), ref.name).toBeDefined();

    const siteA = edgeNodes('site-a')
      .map((n) => n.name)
      .sort();
    const siteB = edgeNodes('site-b')
      .map((n) => n.name)
      .sort();
    await waitFor(
      'site-a agents',
      async () => JSON.stringify(await podsOf(api, 'cilium-edge-site-a')) === JSON.stringify(siteA),
      { timeoutMs: 60_000 },
    );
    await waitFor(
      'site-b agents',
      async () => JSON.stringify(await podsOf(api, 'cilium-edge-site-b')) === JSON.stringify(siteB),
      { timeoutMs: 60_000 },
    );
    const edgeNames = new Set([...siteA, ...siteB]);
    await waitFor(
      'cloud agents off edge nodes',
      async () => (await podsOf(api, 'cilium')).every((n) => !edgeNames.has(n)),
      { timeoutMs: 60_000 },
    );

    const ds = (await api.get(CREATED[0]!)) as Obj;
    const agent = (
      ds['spec'] as { template: { spec: { containers: Array<{ name: string; args: string[] }> } } }
    ).template.spec.containers.find((c) => c.name === 'cilium-agent')!;
    expect(agent.args).toContain('--k8s-api-server=127.0.0.1:10550');
    const cm = (await api.get(TOUCHED[1]!)) as { data: Record<string, string> };
    expect(
      (parse(cm.data['cloudcore.yaml']!) as { modules: { dynamicController: { enable: boolean } } }).modules
        .dynamicController.enable,
    ).toBe(true);
  });

  it('reports no changes the second time', async () => {
    const r = await kec(['install', '-f', specFile(dir), '--skip-helm', '--kubeconfig', cluster().kubeconfig]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No changes: the cluster already matches the plan.');
    expect(r.stdout).not.toMatch(/^\s+(created|changed)\s/m);
  });

  it('shows a per-object diff in --dry-run and changes nothing', async () => {
    const rv = (await api.get(CREATED[0]!))?.metadata?.resourceVersion;
    const r = await kec([
      'install',
      '-f',
      specFile(dir, '2Gi'),
      '--skip-helm',
      '--dry-run',
      '--kubeconfig',
      cluster().kubeconfig,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/would-change\s+DaemonSet\/kube-system\/cilium-edge-site-a/);
    expect(r.stdout).toMatch(/^\s+-\s+memory: 1229Mi$/m); // 30% of 4Gi (the default memoryBudgetPercent)
    expect(r.stdout).toMatch(/^\s+\+\s+memory: 615Mi$/m);
    expect((await api.get(CREATED[0]!))?.metadata?.resourceVersion).toBe(rv);
  });

  it('uninstall restores the exact prior objects and removes what kec created', async () => {
    const r = await kec(['uninstall', '--skip-helm', '--kubeconfig', cluster().kubeconfig]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Restored the cluster to its state before kec install.');
    for (const ref of CREATED) expect(await api.get(ref), ref.name).toBeUndefined();
    expect(await snapshotTouched(api)).toEqual(before);
    const again = await kec(['uninstall', '--skip-helm', '--kubeconfig', cluster().kubeconfig]);
    expect(again.stdout).toContain('Nothing to undo');
  });

  it('converges through conflicts, 5xx and cut watches, with its record intact', async () => {
    const proxy = await startFaultProxy(cluster());
    try {
      proxy.inject({ method: 'PATCH', path: /daemonsets/, times: 2, fault: { type: 'status', status: 409 } });
      proxy.inject({ method: 'GET', path: /configmaps\/cloudcore/, times: 1, fault: { type: 'status', status: 503 } });
      proxy.inject({ method: 'PATCH', path: /clusterrolebindings/, times: 1, fault: { type: 'status', status: 500 } });
      proxy.inject({ method: 'PUT', path: /configmaps\/kec-state/, times: 1, fault: { type: 'status', status: 409 } });
      proxy.inject({ watch: true, fault: { type: 'cut', afterMs: 50 } });
      const r = await kec(['install', '-f', specFile(dir), '--skip-helm', '--kubeconfig', proxy.kubeconfig]);
      expect(r.stderr).toMatch(/retrying/);
      expect(r.code).toBe(0);
      expect(proxy.requests.filter((q) => q.fault === 'status').length).toBeGreaterThanOrEqual(4);
      const state = (await api.get(CREATED[5]!)) as { data: Record<string, string> };
      const recorded = JSON.parse(state.data['state.json']!) as { changes: Array<{ ref: { name: string } }> };
      expect(recorded.changes.map((c) => c.ref.name).sort()).toEqual([
        'cilium',
        'cilium-edge-site-a',
        'cilium-edge-site-b',
        'cloudcore',
        'cloudcore',
        'kec-cilium-edge',
        'kec-cloudcore-cilium',
        'kec-cloudcore-cilium-edge',
      ]);

      // A write failing for good stops install cleanly: what was done is recorded, uninstall undoes it.
      proxy.clear();
      const r2 = await kec(['install', '-f', specFile(dir, '2Gi'), '--skip-helm', '--kubeconfig', proxy.kubeconfig]);
      expect(r2.code).toBe(0);
      proxy.inject({ method: 'PATCH', path: /daemonsets\/cilium-edge-site-b/, fault: { type: 'status', status: 500 } });
      const r3 = await kec(['install', '-f', specFile(dir), '--skip-helm', '--kubeconfig', proxy.kubeconfig]);
      expect(r3.code).toBe(1);
      expect(r3.stdout).toMatch(/failed\s+edge\.daemonsets/);
      expect(r3.stderr).toContain('kec-state records what was changed');
    } finally {
      await proxy.close();
    }
    const u = await kec(['uninstall', '--skip-helm', '--kubeconfig', cluster().kubeconfig]);
    expect(u.code).toBe(0);
    expect(await snapshotTouched(api)).toEqual(before);
  });

  it('runs with the least-privilege ClusterRole of deploy/kec-operator-rbac.yaml', async () => {
    const docs = readFileSync(join(ROOT, 'deploy', 'kec-operator-rbac.yaml'), 'utf8')
      .split(/^---$/m)
      .map((d) => parse(d) as Obj);
    for (const d of docs) await api.apply(d);
    const kubeconfig = await mintServiceAccountKubeconfig(cluster(), 'kube-system', 'kec-operator', { create: false });
    const r = await kec(['install', '-f', specFile(dir), '--skip-helm', '--kubeconfig', kubeconfig]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/✓ rbac\.caller: the caller has every permission/);
    expect(r.code).toBe(0);
    const status = await kec(['status', '-f', specFile(dir), '--kubeconfig', kubeconfig, '-o', 'json']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).not.toMatch(/forbidden/i);
    expect(readFileSync(kubeconfig, 'utf8')).toMatch(/token:/);
    expect(r.stdout + r.stderr + status.stdout + status.stderr).not.toContain(
      (parse(readFileSync(kubeconfig, 'utf8')) as { users: Array<{ user: { token: string } }> }).users[0]!.user.token,
    );
    const u = await kec(['uninstall', '--skip-helm', '--kubeconfig', kubeconfig]);
    expect(u.code).toBe(0);
    for (const d of docs.reverse())
      await api.delete({
        apiVersion: String(d.apiVersion),
        kind: String(d.kind),
        name: String(d.metadata?.name),
        ...(d.metadata?.namespace ? { namespace: d.metadata.namespace } : {}),
      });
  });

  it('refuses a caller without the permissions, before changing anything', async () => {
    const kubeconfig = await mintServiceAccountKubeconfig(cluster(), 'default', 'nobody');
    const r = await kec(['install', '-f', specFile(dir), '--skip-helm', '--kubeconfig', kubeconfig]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ rbac\.caller: the caller may not: list nodes/);
    expect(await api.get(CREATED[5]!)).toBeUndefined();
  });
});
