// kec install / upgrade / uninstall with the real helm (built by the harness) and the real
// Cilium chart packages (../shared/upstream/cilium-chart/<v>/cilium-<v>.tgz): Helm adopting the
// seeded Cilium objects, canary upgrades 1.18.12 -> 1.19.6 -> 1.20.0 that pass and that fail
// their gate, deployed values the target chart no longer has, and uninstall restoring the
// cluster exactly.
// Edge nodes: kwok's site-a/site-b, not hollow KubeEdge nodes (docs/harness.md): a site mirror's
// crash-looping image is played by kwok (setCrashLoopImages), which a fake CRI cannot do, and three
// upgrades roll every agent; real edge agents and a canary gate on their health are in
// kubeedge-agents.itest.ts.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cluster, harness, helmBinary, resetCluster, setCrashLoopImages } from './harness/index.ts';
import { connect } from '../../src/cluster/client.ts';
import type { Cluster, Obj } from '../../src/cluster/types.ts';
import { comparable } from '../../src/cluster/install/apply.ts';
import { KEC_BIN } from '../paths.ts';
import type { HarnessSpecOptions } from './kec-process.ts';
import { chartPackage, harnessSpec, realChart } from './kec-process.ts';

const exec = promisify(execFile);
const h = harness();

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}
async function run(bin: string, args: string[]): Promise<Ran> {
  try {
    const r = await exec(bin, args, { env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 16 << 20 });
    return { code: 0, ...r };
  } catch (e) {
    const x = e as Ran;
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}
const kec = (args: string[]): Promise<Ran> => run(process.execPath, [KEC_BIN, ...args]);

const REFS = {
  cilium: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'cilium', namespace: 'kube-system' },
  operator: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'cilium-operator', namespace: 'kube-system' },
  config: { apiVersion: 'v1', kind: 'ConfigMap', name: 'cilium-config', namespace: 'kube-system' },
  cloudcore: { apiVersion: 'v1', kind: 'ConfigMap', name: 'cloudcore', namespace: 'kubeedge' },
  siteA: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'cilium-edge-site-a', namespace: 'kube-system' },
  siteB: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'cilium-edge-site-b', namespace: 'kube-system' },
};

/** The real chart pins its images by digest (image.useDigest). */
const pinned = (v: string): RegExp =>
  new RegExp(`^quay\\.io/cilium/cilium:v${v.replaceAll('.', '\\.')}@sha256:[0-9a-f]{64}$`);

function image(ds: Obj | undefined): string {
  return (
    ds?.['spec'] as { template: { spec: { containers: Array<{ name: string; image: string }> } } }
  ).template.spec.containers.find((c) => c.name === 'cilium-agent')!.image;
}

describe.skipIf(!h.available)('kec with real helm on the harness cluster', () => {
  let dir: string;
  let api: Cluster;
  let helm: string;
  let before: string[];
  const kubeconfig = (): string => cluster().kubeconfig;
  const spec = (version: string, extra: HarnessSpecOptions = {}): string => harnessSpec(dir, version, extra);
  /** kec upgrade from the release the spec describes to `to`, with the real chart of `to`. */
  const upgrade = (specFile: string, to: string, more: string[] = []): Promise<Ran> =>
    kec(['upgrade', '-f', specFile, '--to', to, ...realChart(helm, to, kubeconfig()), ...more]);
  const snap = async (): Promise<string[]> =>
    Promise.all(
      [REFS.cilium, REFS.operator, REFS.config, REFS.cloudcore].map(async (r) => comparable(await api.get(r))),
    );

  beforeAll(async () => {
    await resetCluster(cluster());
    dir = mkdtempSync(join(tmpdir(), 'kec-helm-'));
    helm = await helmBinary();
    api = connect({ kubeconfig: kubeconfig() });
    before = await snap();
  });
  afterAll(async () => {
    await resetCluster(cluster());
  });

  it('installs through helm, adopting the existing Cilium objects, then reports no changes', async () => {
    const r = await kec([
      'install',
      '-f',
      spec('1.18.12'),
      ...realChart(helm, '1.18.12', kubeconfig()),
      '--wait',
      '--timeout',
      '120',
    ]);
    expect(r.stderr, r.stdout).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/created\s+helm release kube-system\/cilium/);
    expect(image(await api.get(REFS.siteA))).toMatch(pinned('1.18.12'));
    const again = await kec(['install', '-f', spec('1.18.12'), ...realChart(helm, '1.18.12', kubeconfig())]);
    expect(again.stdout).toMatch(/unchanged\s+helm release kube-system\/cilium — revision 1, chart 1\.18\.12/);
    expect(again.stdout).toContain('No changes');
  });

  it('upgrades the release, then every group (canary first), each gated on its rollout', async () => {
    const r = await upgrade(spec('1.18.12'), '1.19.6', ['--canary', 'site-b', '--timeout', '90', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      ok: boolean;
      cloud: { status: string };
      groups: Array<{ group: string; status: string }>;
    };
    expect(report.cloud.status).toBe('upgraded');
    expect(report.groups.map((g) => [g.group, g.status])).toEqual([
      ['site-b', 'upgraded'],
      ['site-a', 'upgraded'],
    ]);
    expect(image(await api.get(REFS.cilium))).toMatch(pinned('1.19.6'));
    expect(image(await api.get(REFS.siteA))).toMatch(pinned('1.19.6'));
  });

  it('reports deployed values the target chart no longer has, before changing anything', async () => {
    // Someone set a value by hand that Cilium 1.20 dropped.
    const set = await run(helm, [
      'upgrade',
      'cilium',
      chartPackage('1.19.6'),
      '-n',
      'kube-system',
      '--reuse-values',
      '--set',
      'encryption.ipsec.encryptedOverlay=true',
      '--kubeconfig',
      kubeconfig(),
    ]);
    expect(set.code, set.stderr).toBe(0);
    const rv = (await api.get(REFS.siteA))?.metadata?.resourceVersion;
    const r = await upgrade(spec('1.19.6'), '1.20.0', []);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('value encryption.ipsec.encryptedOverlay is not in the Cilium 1.20.0 chart');
    expect(r.stderr).toMatch(/1 deployed value\(s\) do not exist in Cilium 1\.20\.0.*nothing upgraded/);
    expect((await api.get(REFS.siteA))?.metadata?.resourceVersion).toBe(rv);
    const list = JSON.parse(
      (await run(helm, ['list', '-n', 'kube-system', '-o', 'json', '--kubeconfig', kubeconfig()])).stdout,
    ) as Array<{ chart: string }>;
    expect(list[0]?.chart).toBe('cilium-1.19.6');
  });

  it('rolls back a canary that fails its gate (and the release), leaving the other groups untouched', async () => {
    const siteA = comparable(await api.get(REFS.siteA));
    const siteB = comparable(await api.get(REFS.siteB));
    const revision = (
      JSON.parse(
        (await run(helm, ['list', '-n', 'kube-system', '-o', 'json', '--kubeconfig', kubeconfig()])).stdout,
      ) as Array<{ revision: string }>
    )[0]!.revision;
    // site-b pulls from its site mirror, whose 1.20.0 image crash-loops there (kwok plays it so).
    await setCrashLoopImages(['registry.invalid/site-b/cilium:v1.20.0']);
    const r = await upgrade(spec('1.19.6', { siteBImage: 'registry.invalid/site-b/cilium:v{version}' }), '1.20.0', [
      '--canary',
      'site-b',
      '--auto-rollback',
      '--allow-removed-values',
      '--timeout',
      '60',
      '-o',
      'json',
    ]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      cloud: { status: string; detail: string };
      groups: Array<{ group: string; status: string; detail: string }>;
    };
    expect(report.groups[0]).toMatchObject({ group: 'site-b', status: 'rolled-back' });
    expect(report.groups[0]!.detail).toMatch(/crash-looping/);
    expect(report.groups[1]).toMatchObject({ group: 'site-a', status: 'skipped' });
    expect(report.cloud.status).toBe('rolled-back');
    expect(comparable(await api.get(REFS.siteA))).toBe(siteA);
    expect(comparable(await api.get(REFS.siteB))).toBe(siteB);
    const list = JSON.parse(
      (await run(helm, ['list', '-n', 'kube-system', '-o', 'json', '--kubeconfig', kubeconfig()])).stdout,
    ) as Array<{ chart: string; revision: string }>;
    expect(list[0]?.chart).toBe('cilium-1.19.6');
    expect(Number(list[0]?.revision)).toBeGreaterThan(Number(revision));
    await setCrashLoopImages([]);
  });

  it('with --auto-rollback, also restores groups upgraded before the failing one', async () => {
    const siteA = comparable(await api.get(REFS.siteA));
    const siteB = comparable(await api.get(REFS.siteB));
    await setCrashLoopImages(['registry.invalid/site-b/cilium:v1.20.0']);
    const r = await upgrade(spec('1.19.6', { siteBImage: 'registry.invalid/site-b/cilium:v{version}' }), '1.20.0', [
      '--canary',
      'site-a',
      '--auto-rollback',
      '--allow-removed-values',
      '--timeout',
      '60',
      '-o',
      'json',
    ]);
    await setCrashLoopImages([]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      cloud: { status: string };
      groups: Array<{ group: string; status: string; detail: string }>;
    };
    expect(report.groups.map((g) => [g.group, g.status])).toEqual([
      ['site-a', 'rolled-back'],
      ['site-b', 'rolled-back'],
    ]);
    expect(report.groups[0]!.detail).toMatch(/rolled back with the release after group site-b failed/);
    expect(report.cloud.status).toBe('rolled-back');
    expect(comparable(await api.get(REFS.siteA))).toBe(siteA);
    expect(comparable(await api.get(REFS.siteB))).toBe(siteB);
  });

  it('upgrades 1.19.6 -> 1.20.0 with the real chart once the canary is healthy', async () => {
    const r = await upgrade(spec('1.19.6'), '1.20.0', [
      '--canary',
      'site-b',
      '--allow-removed-values',
      '--timeout',
      '90',
      '-o',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      cloud: { status: string };
      groups: Array<{ group: string; status: string }>;
    };
    expect(report.cloud.status).toBe('upgraded');
    expect(report.groups.map((g) => [g.group, g.status])).toEqual([
      ['site-b', 'upgraded'],
      ['site-a', 'upgraded'],
    ]);
    for (const ref of [REFS.cilium, REFS.siteA, REFS.siteB])
      expect(image(await api.get(ref))).toMatch(pinned('1.20.0'));
    const list = JSON.parse(
      (await run(helm, ['list', '-n', 'kube-system', '-o', 'json', '--kubeconfig', kubeconfig()])).stdout,
    ) as Array<{ chart: string }>;
    expect(list[0]?.chart).toBe('cilium-1.20.0');
  });

  it('refuses a downgrade before touching anything (skipped minors: src/cluster/upgrade/path.test.ts)', async () => {
    const down = await upgrade(spec('1.20.0'), '1.19.6', []);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/does not downgrade/);
  });

  it('uninstall puts back the objects Helm adopted exactly and forgets the release', async () => {
    const r = await kec(['uninstall', '--helm', helm, '--kubeconfig', kubeconfig()]);
    expect(r.code, r.stderr).toBe(0);
    expect(await snap()).toEqual(before);
    for (const ref of [REFS.siteA, REFS.siteB]) expect(await api.get(ref)).toBeUndefined();
    const list = JSON.parse(
      (await run(helm, ['list', '-n', 'kube-system', '-o', 'json', '--kubeconfig', kubeconfig()])).stdout,
    ) as unknown[];
    expect(list).toEqual([]);
  });
});
