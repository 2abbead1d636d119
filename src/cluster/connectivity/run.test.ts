import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../output/io.ts';
import { palette } from '../../output/color.ts';
import { InputError, UsageError } from '../../errors.ts';
import { NOW, node } from '../snapshot/objects.testkit.ts';
import { connectivityCleanupCommand, connectivityTestCommand } from './run.ts';
import type { ConnectivityReport } from './report.ts';
import { memoryCluster, scriptedProber } from './probers.testkit.ts';

function io(cwd = process.cwd()): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => void stdout.push(t),
    err: (t) => void stderr.push(t),
    color: palette(false),
    cwd,
  };
}

const nodes = () => [
  node('cloud-1'),
  node('edge-a-1', { edge: 'site-a' }),
  node('edge-b-1', { edge: 'site-b', ready: 'Unknown', heartbeatAgoMs: 30_000 }),
];
let clock = NOW;
/** Time advances 100 ms per reading, so deadlines pass without waiting. */
const base = {
  format: 'json' as const,
  connect: {},
  handleSigint: false,
  now: () => (clock += 100),
  pollIntervalMs: 1,
  sleep: async () => {},
};

describe('connectivityTestCommand (in-memory cluster)', () => {
  it('skips the offline group, deploys to the others in cilium-test-<n>, writes JUnit, deletes the namespace', async () => {
    const c = memoryCluster([...nodes(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cilium-test-1' } }]);
    const dir = mkdtempSync(join(tmpdir(), 'kec-conn-'));
    const out = io(dir);
    const code = await connectivityTestCommand(out, {
      ...base,
      cluster: c,
      prober: scriptedProber(),
      junit: 'report.xml',
    });
    const r = JSON.parse(out.stdout.join('')) as ConnectivityReport;
    expect(r.namespace).toBe('cilium-test-2');
    expect(r.summary.line).toBe('[cilium-test-2] All 8 tests (8 actions) successful, 7 tests skipped.');
    expect(code).toBe(0);
    expect(r.sites.map((s) => [s.name, s.skipped ?? s.client])).toEqual([
      ['cloud', 'client-cloud-abc12@cloud-1'],
      ['site-a', 'client-edge-site-a-abc12@edge-a-1'],
      [
        'site-b',
        'edge group site-b offline: its node is offline (autonomous) (edge-b-1; no heartbeat for 30s (grace 1h))',
      ],
    ]);
    expect(out.stderr.join('\n')).toContain('skipping edge group site-b: edge group site-b offline');
    expect(r.cleanup).toBe('deleted');
    expect(c.deleted).toEqual(['Namespace//cilium-test-2']);
    expect(c.objects.filter((o) => o.metadata?.namespace === 'cilium-test-2')).toEqual([]);
    // No workload for the skipped group was ever created.
    const xml = readFileSync(join(dir, 'report.xml'), 'utf8');
    expect(xml).toMatch(/<testsuites name="kec connectivity test" tests="15" failures="0" errors="0" skipped="7"/);
    expect(xml).toContain(
      '<testcase name="pod-to-pod/cloud→site-b" classname="connectivity test" time="0.000">\n      <skipped message="edge group site-b offline: its node is offline (autonomous)',
    );
  });

  it('never creates workloads for a skipped group', async () => {
    const c = memoryCluster(nodes());
    await connectivityTestCommand(io(), { ...base, cluster: c, prober: scriptedProber(), keep: true });
    const deps = c.objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata?.name);
    expect(deps).toEqual(['client-cloud', 'echo-cloud', 'client-edge-site-a', 'echo-edge-site-a']);
    expect(c.deleted).toEqual([]); // --keep
  });

  it('prints failures like cilium-cli, exits 1, and still cleans up; a pod that never gets ready fails its tests with the reason', async () => {
    const c = memoryCluster(nodes(), { unready: /^echo-edge-site-a$/ });
    const out = io();
    const code = await connectivityTestCommand(out, {
      ...base,
      format: 'human',
      cluster: c,
      prober: scriptedProber({ fail: /^dns\/cloud$/ }),
      deployTimeout: '1s',
    });
    expect(code).toBe(1);
    const text = out.stdout.join('\n');
    expect(text).toContain('[cilium-test-1] 3/8 tests failed (3/8 actions), 7 tests skipped.');
    expect(text).toContain(
      'Test [pod-to-pod/cloud→site-a]:\n  ✗ site-a: not ready after 1s: echo pod echo-edge-site-a-abc12 on edge-a-1 Pending, not ready (ContainersNotReady), no IP',
    );
    expect(text).toContain(
      'Test [dns/cloud]:\n  ✗ dns/cloud/0: client-cloud-abc12 → echo.cilium-test-1.svc.cluster.local: connection refused',
    );
    expect(text).toContain('- pod-to-pod/cloud→site-b  skipped: edge group site-b offline');
    expect(c.deleted).toEqual(['Namespace//cilium-test-1']);
  });

  it('records a failed deployment as data, reports the tests as not run, and deletes the namespace it created', async () => {
    const c = memoryCluster(nodes(), { failCreate: /^echo-cloud$/ });
    const out = io();
    expect(await connectivityTestCommand(out, { ...base, cluster: c, prober: scriptedProber() })).toBe(1);
    const r = JSON.parse(out.stdout.join('')) as ConnectivityReport;
    expect(r.errors).toEqual(['HTTP 403 Forbidden: admission webhook denied']);
    expect(
      r.tests
        .filter((t) => t.status === 'failed')
        .every((t) => t.reason === 'not run: HTTP 403 Forbidden: admission webhook denied'),
    ).toBe(true);
    expect(r.cleanup).toBe('deleted');
    expect(c.deleted).toEqual(['Namespace//cilium-test-1']);
  });

  it('on interrupt (SIGINT) while waiting for pods: stops, reports interrupted, exits 1 and still deletes the namespace', async () => {
    const c = memoryCluster(nodes(), { unready: /^echo-cloud$/ });
    const ctl = new AbortController();
    const out = io();
    const run = connectivityTestCommand(out, {
      ...base,
      now: Date.now,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      pollIntervalMs: 5,
      deployTimeout: '10m',
      cluster: c,
      prober: scriptedProber(),
      signal: ctl.signal,
    });
    setTimeout(() => ctl.abort(), 30);
    expect(await run).toBe(1);
    const r = JSON.parse(out.stdout.join('')) as ConnectivityReport;
    expect(r.interrupted).toBe(true);
    expect(r.tests.filter((t) => t.status !== 'skipped')).toEqual([]);
    expect(r.tests.filter((t) => t.reason === 'interrupted')).toHaveLength(8);
    expect(r.sites.find((s) => s.name === 'cloud')?.problem).toMatch(
      /^cloud: interrupted while waiting: echo pod echo-cloud-abc12 on cloud-1 Pending/,
    );
    expect(r.cleanup).toBe('deleted');
    expect(c.deleted).toEqual(['Namespace//cilium-test-1']);
  });

  it('with every site offline runs nothing, creates nothing, and exits 1', async () => {
    const c = memoryCluster([node('edge-b-1', { edge: 'site-b', ready: 'Unknown' })]);
    const out = io();
    expect(await connectivityTestCommand(out, { ...base, cluster: c, prober: scriptedProber() })).toBe(1);
    const r = JSON.parse(out.stdout.join('')) as ConnectivityReport;
    expect(r.summary.tests).toBe(0);
    expect(r.cleanup).toBe('not needed');
    expect(c.objects.filter((o) => o.kind !== 'Node')).toEqual([]);
  });

  it('rejects bad input with a clear error before touching the cluster', async () => {
    const c = memoryCluster(nodes());
    await expect(connectivityTestCommand(io(), { ...base, cluster: c, test: '(' })).rejects.toBeInstanceOf(UsageError);
    await expect(connectivityTestCommand(io(), { ...base, cluster: c, testTimeout: 'soon' })).rejects.toThrow(
      '--test-timeout soon: not a duration',
    );
    await expect(
      connectivityTestCommand(io(), { ...base, cluster: c, junit: '/nonexistent-dir/x.xml' }),
    ).rejects.toBeInstanceOf(InputError);
    await expect(
      connectivityTestCommand(io(), {
        ...base,
        cluster: memoryCluster([...nodes(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'mine' } }]),
        testNamespace: 'mine',
      }),
    ).rejects.toThrow('--test-namespace mine: exists already');
    expect(c.objects.filter((o) => o.kind !== 'Node')).toEqual([]);
  });

  it('cleanup deletes only labelled leftovers', async () => {
    const c = memoryCluster([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'cilium-test-1', labels: { 'kec.kubeedge.io/connectivity-test': 'true' } },
      },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cilium-test-2' } },
    ]);
    const out = io();
    expect(await connectivityCleanupCommand(out, { format: 'human', connect: {}, cluster: c })).toBe(0);
    expect(out.stdout).toEqual(['Deleted namespace cilium-test-1']);
    expect(c.deleted).toEqual(['Namespace//cilium-test-1']);
  });
});
