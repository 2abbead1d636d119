// `kec node metaserver check` where it runs for real: inside a hollow KubeEdge edge node's
// network namespace, against that node's own MetaServer on 127.0.0.1:10550 (real edgecore
// metamanager), with cloudcore's dynamicController off (a fresh KubeEdge), on (after kec
// install), and with the node's link cut (edge cache only).
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cluster, cutLink, edgeNodes, harness, resetCluster, restoreLink, waitFor } from './harness/index.ts';
import { nodeNet } from './harness/netns.ts';
import { KEC_BIN } from '../paths.ts';
import { harnessSpec, runKec } from './kec-process.ts';

const exec = promisify(execFile);
const h = harness();

interface Resource {
  resource: string;
  status: string;
  level: string;
  source: string;
  list?: { ms?: number };
}
interface Report {
  ok: boolean;
  metaServer: { reachable: boolean };
  resources: Resource[];
}

/** kec, run by this test's Node 24, inside the node's namespace (as an operator would on the device). */
async function check(node: string): Promise<{ code: number; report: Report; ms: number }> {
  const { netns } = nodeNet(cluster().dir, node);
  const t = Date.now();
  const args = [
    'netns',
    'exec',
    netns,
    process.execPath,
    KEC_BIN,
    'node',
    'metaserver',
    'check',
    '--metaserver',
    '127.0.0.1:10550',
    '--cilium-version',
    '1.18.12',
    '-o',
    'json',
  ];
  const r = await exec('ip', args, { maxBuffer: 16 << 20 }).then(
    (x) => ({ code: 0, stdout: x.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
  return { code: r.code, report: JSON.parse(r.stdout) as Report, ms: Date.now() - t };
}
const byName = (r: Report, name: string): Resource => r.resources.find((x) => x.resource === name)!;

describe.runIf(h.available)('kec node metaserver check on a hollow KubeEdge node', () => {
  let node: string;
  beforeAll(async () => {
    await resetCluster(cluster());
    node = edgeNodes('site-a')[0]!.name;
  });
  afterAll(async () => {
    await restoreLink(node).catch(() => undefined);
    await resetCluster(cluster());
  });

  it('dynamicController off (fresh KubeEdge): cilium.io lists come from the edge store, exit 1', async () => {
    const { code, report } = await check(node);
    expect(report.metaServer.reachable).toBe(true);
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(byName(report, 'ciliumnodes').source).toBe('edge');
    expect(byName(report, 'ciliumnodes').level).toBe('fail');
  });

  it('after kec install (dynamicController on, RBAC): core and cilium.io lists come from the cloud', async () => {
    const install = await runKec([
      'install',
      '-f',
      harnessSpec(mkdtempSync(join(tmpdir(), 'kec-ms-')), '1.18.12'),
      '--skip-helm',
      '--kubeconfig',
      cluster().kubeconfig,
    ]);
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);
    // cloudcore restarts with dynamicController on; the node reconnects; then lists are served from the cloud.
    const r = await waitFor(
      'MetaServer to serve ciliumnodes from the cloud',
      async () => {
        const c = await check(node);
        return byName(c.report, 'ciliumnodes').source === 'cloud' && c;
      },
      { timeoutMs: 180_000, intervalMs: 2000 },
    );
    for (const name of ['nodes', 'namespaces', 'ciliumnodes', 'ciliumidentities']) {
      expect(byName(r.report, name), name).toMatchObject({ source: 'cloud' });
      expect(byName(r.report, name).level, name).not.toBe('fail');
    }
    expect(byName(r.report, 'nodes').status).toBe('ok');
  });

  it('link cut: MetaServer still answers from its cache, kec says the answers are the edge store', async () => {
    await cutLink(node);
    const r = await waitFor(
      'edgecore to notice the cut and answer from its store',
      async () => {
        const c = await check(node);
        return byName(c.report, 'nodes').source === 'edge' && c;
      },
      { timeoutMs: 120_000, intervalMs: 2000 },
    );
    expect(r.report.metaServer.reachable).toBe(true);
    expect(r.code).toBe(1);
    expect(['ok', 'empty']).toContain(byName(r.report, 'nodes').status);
    await restoreLink(node);
  });
});
