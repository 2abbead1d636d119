// kec sysdump against the real local control plane: archive extracted by the system tar;
// no Secret content or token in it or in the command's output.
// Edge nodes: kwok's site-a/site-b, not hollow KubeEdge nodes (docs/harness.md): sysdump collects
// objects and logs from the API server only.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';
import { cluster, harness, kubeConfig, resetCluster } from './harness/index.ts';
import { captureIo, createEdgeAgents } from './cluster-ops-fixtures.ts';

const h = harness();
const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImtlYyJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6a3ViZWVkZ2U6Y2xvdWRjb3JlIn0.ZmFrZS1zaWduYXR1cmUtZm9yLXRlc3Rz';

describe.skipIf(!h.available)('kec sysdump (integration)', () => {
  afterAll(async () => {
    if (h.available) await resetCluster(cluster());
  });

  it('collects objects, logs attempts and kec-state without any Secret or token', async () => {
    const kc = kubeConfig();
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedSecret({
      namespace: 'kubeedge',
      body: { metadata: { name: 'tokensecret' }, stringData: { tokendata: 'SECRET-VALUE-IN-A-SECRET' } },
    });
    await core.createNamespacedConfigMap({
      namespace: 'kube-system',
      body: {
        metadata: { name: 'edge-join' },
        data: { 'join.sh': `keadm join --token=${'f'.repeat(64)}.${JWT}`, password: 'CM-PASSWORD-1' },
      },
    });
    await core.createNamespacedConfigMap({
      namespace: 'kube-system',
      body: {
        metadata: { name: 'kec-state' },
        data: {
          'state.json': JSON.stringify({ version: 1, cilium: '1.19.6', bootstrapToken: 'abcdef.0123456789abcdef' }),
        },
      },
    });
    await createEdgeAgents(kc, ['site-a'], { env: [{ name: 'EDGE_API_TOKEN', value: 'ENV-TOKEN-VALUE-9' }] });
    const dir = mkdtempSync(join(tmpdir(), 'kec-sysdump-it-'));
    const io = captureIo(dir);
    const code = await run(
      ['sysdump', '--kubeconfig', cluster().kubeconfig, '-o', 'dump.tar.gz', '-o', 'json', '--log-lines', '50'],
      io,
    );
    const summary = JSON.parse(io.stdout.join('\n')) as { archive: string; errors: Array<{ what: string }> };
    // Logs and exec of simulated pods cannot be read: partial failure, listed, exit 1.
    expect(code).toBe(summary.errors.length ? 1 : 0);
    const x = join(dir, 'x');
    execFileSync('mkdir', [x]);
    execFileSync('tar', ['-xzf', summary.archive, '-C', x]);
    const files = execFileSync('find', ['.', '-type', 'f'], { cwd: x, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files).toEqual(
      expect.arrayContaining([
        './cluster/nodes.json',
        './cluster/cilium-crds.json',
        './kube-system/daemonsets.json',
        './kube-system/configmaps.json',
        './kube-system/events.json',
        './kubeedge/configmaps.json',
        './cilium/ciliumnetworkpolicys.json',
        './kec-state/state.json',
        './errors.json',
        './manifest.json',
        './reports/status.json',
      ]),
    );
    const errors = JSON.parse(readFileSync(join(x, 'errors.json'), 'utf8')) as unknown[];
    expect(errors).toHaveLength(summary.errors.length);
    const all =
      files.map((f) => readFileSync(join(x, f), 'utf8')).join('\n') + io.stdout.join('\n') + io.stderr.join('\n');
    for (const s of [
      'SECRET-VALUE-IN-A-SECRET',
      'tokensecret',
      JWT,
      'f'.repeat(64),
      'CM-PASSWORD-1',
      'ENV-TOKEN-VALUE-9',
      'abcdef.0123456789abcdef',
    ])
      expect(all).not.toContain(s);
    const token = kc.getCurrentUser()?.token;
    if (token) expect(all).not.toContain(token);
    expect(readFileSync(join(x, 'kube-system/configmaps.json'), 'utf8')).toContain('edge-join');
  });
});
