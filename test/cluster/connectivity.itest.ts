// kec connectivity test against the real local control plane. Pods there are Running and
// Ready (kwok) but do not network and exec fails, so the runs inject probers: one that
// checks the real deployed objects through the API, one that fails and hangs; and one
// CLI run uses the real exec prober, whose failures must come back as data.
// Edge nodes: kwok's site-a/site-b, not hollow KubeEdge nodes (docs/harness.md): the test cuts and
// restores edge links many times within seconds (setEdgeNodeConnected) and runs echo pods on every
// node; Cilium agents and MetaServer on real KubeEdge nodes are in kubeedge-agents.itest.ts.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';
import { connect } from '../../src/cluster/client.ts';
import { connectivityTestCommand } from '../../src/cluster/connectivity/run.ts';
import type { ConnectivityReport } from '../../src/cluster/connectivity/report.ts';
import { apiStatusProber, scriptedProber } from '../../src/cluster/connectivity/probers.testkit.ts';
import {
  cluster,
  edgeNodes,
  harness,
  kubeConfig,
  resetCluster,
  setEdgeNodeConnected,
  waitFor,
} from './harness/index.ts';
import { captureIo } from './cluster-ops-fixtures.ts';

const h = harness();
const LABEL = 'kec.kubeedge.io/connectivity-test=true';

async function testNamespaces(): Promise<Array<{ name: string; terminating: boolean }>> {
  const core = kubeConfig().makeApiClient(k8s.CoreV1Api);
  const list = await core.listNamespace({ labelSelector: LABEL });
  return list.items.map((n) => ({
    name: n.metadata?.name ?? '',
    terminating: n.metadata?.deletionTimestamp !== undefined || n.status?.phase === 'Terminating',
  }));
}

const live = async (): Promise<string[]> => (await testNamespaces()).filter((n) => !n.terminating).map((n) => n.name);

/** JUnit counts read back by an independent parser (python3 xml.etree). */
function junitCounts(file: string): {
  totals: Record<string, string>;
  cases: Array<{ name: string; status: string; message?: string; type?: string }>;
} {
  const py = `
import sys, json, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
assert r.tag == 'testsuites'
cases = []
for s in r.findall('testsuite'):
    for c in s.findall('testcase'):
        f, sk = c.find('failure'), c.find('skipped')
        cases.append({'name': c.get('name'), 'status': 'failed' if f is not None else 'skipped' if sk is not None else 'passed',
                      **({'message': (f if f is not None else sk).get('message')} if (f is not None or sk is not None) else {}),
                      **({'type': f.get('type')} if f is not None else {})})
print(json.dumps({'totals': {k: r.get(k) for k in ('tests','failures','errors','skipped')}, 'cases': cases}))`;
  return JSON.parse(execFileSync('python3', ['-c', py, file], { encoding: 'utf8' })) as ReturnType<typeof junitCounts>;
}
const python = spawnSync('python3', ['-c', 'import xml.etree.ElementTree'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!h.available)('kec connectivity test (integration)', () => {
  let kubeconfig: string;
  const dir = mkdtempSync(join(tmpdir(), 'kec-conn-itest-'));
  beforeAll(async () => {
    kubeconfig = cluster().kubeconfig;
    for (const n of edgeNodes('site-b')) await setEdgeNodeConnected(n.name, false);
  });
  afterAll(async () => {
    if (h.available) await resetCluster(cluster());
  });

  it.skipIf(!python)(
    'with site-b offline: skips its tests with the reason, runs the rest against the real pods, writes valid JUnit, deletes the namespace',
    async () => {
      const c = connect({ kubeconfig });
      const io = captureIo(dir);
      const code = await connectivityTestCommand(io, {
        format: 'json',
        connect: { kubeconfig },
        cluster: c,
        prober: apiStatusProber(c),
        junit: 'junit.xml',
        handleSigint: false,
        deployTimeout: '90s',
        pollIntervalMs: 500,
      });
      const r = JSON.parse(io.stdout.join('')) as ConnectivityReport;
      expect(r.errors).toEqual([]);
      expect(r.summary.line).toMatch(/^\[cilium-test-\d+\] All 8 tests \(8 actions\) successful, 7 tests skipped\.$/);
      expect(code).toBe(0);
      const siteB = r.sites.find((s) => s.name === 'site-b');
      expect(siteB?.skipped).toMatch(
        /^edge group site-b offline: all 2 nodes are offline \(autonomous\) \(edge-site-b-1, edge-site-b-2; no heartbeat for/,
      );
      // Pods really ran where the plan pinned them.
      expect(r.sites.find((s) => s.name === 'cloud')?.client).toMatch(/@cloud-[12]$/);
      expect(r.sites.find((s) => s.name === 'site-a')?.echo).toMatch(/@edge-site-a-[12]$/);
      const pp = r.tests.find((t) => t.name === 'pod-to-pod/cloud→site-a');
      expect(pp?.actions[0]?.detail).toMatch(/^echo echo-edge-site-a-[a-z0-9-]+ Ready at \d+\.\d+\.\d+\.\d+$/);
      expect(r.tests.find((t) => t.name === 'pod-to-service/site-a')?.actions[0]?.detail).toMatch(
        /^service echo at \d+\.\d+\.\d+\.\d+$/,
      );
      expect(r.cleanup).toBe('deleted');
      expect(await live()).toEqual([]);

      const j = junitCounts(join(dir, 'junit.xml'));
      expect(j.totals).toEqual({ tests: '15', failures: '0', errors: '0', skipped: '7' });
      expect(j.cases.filter((x) => x.status === 'skipped').map((x) => x.name)).toEqual([
        'pod-to-pod/cloud→site-b',
        'pod-to-pod/site-a→site-b',
        'pod-to-pod/site-b→cloud',
        'pod-to-pod/site-b→site-a',
        'pod-to-pod/site-b→site-b',
        'pod-to-service/site-b',
        'dns/site-b',
      ]);
      expect(j.cases.find((x) => x.name === 'dns/site-b')?.message).toMatch(
        /^edge group site-b offline: all 2 nodes are offline \(autonomous\)/,
      );
    },
  );

  it.skipIf(!python)(
    'reports a failing and a timed-out probe (exit 1, JUnit failure types) and still deletes the namespace',
    async () => {
      const c = connect({ kubeconfig });
      const io = captureIo(dir);
      const code = await connectivityTestCommand(io, {
        format: 'human',
        connect: { kubeconfig },
        cluster: c,
        prober: scriptedProber({ fail: /^pod-to-service\/cloud$/, hang: /^dns\/site-a$/ }),
        junit: 'junit-fail.xml',
        testTimeout: '1s',
        handleSigint: false,
        pollIntervalMs: 500,
      });
      expect(code).toBe(1);
      const text = io.stdout.join('\n');
      expect(text).toMatch(/\[cilium-test-\d+\] 2\/8 tests failed \(2\/8 actions\), 7 tests skipped\./);
      expect(text).toMatch(
        /Test \[dns\/site-a\]:\n {2}✗ dns\/site-a\/0: client-edge-site-a-\S+ → echo\.cilium-test-\d+\.svc\.cluster\.local: timed out after 1s/,
      );
      const j = junitCounts(join(dir, 'junit-fail.xml'));
      expect(j.totals).toEqual({ tests: '15', failures: '2', errors: '0', skipped: '7' });
      expect(j.cases.filter((x) => x.status === 'failed').map((x) => [x.name, x.type])).toEqual([
        ['pod-to-service/cloud', 'failure'],
        ['dns/site-a', 'timeout'],
      ]);
      expect(await live()).toEqual([]);
    },
  );

  it('through the CLI with the real exec prober: exec failures are data (exit 1), --keep keeps the namespace, connectivity cleanup deletes it', async () => {
    const io = captureIo(dir);
    const code = await run(
      [
        'connectivity',
        'test',
        '--kubeconfig',
        kubeconfig,
        '-o',
        'json',
        '--test',
        '^pod-to-pod/cloud→site-a$',
        '--test-timeout',
        '10s',
        '--keep',
      ],
      io,
    );
    expect(code).toBe(1);
    const r = JSON.parse(io.stdout.join('')) as ConnectivityReport;
    expect(r.prober).toBe('exec');
    expect(r.tests).toHaveLength(1);
    expect(r.tests[0]).toMatchObject({ name: 'pod-to-pod/cloud→site-a', status: 'failed' });
    expect(r.tests[0]?.actions[0]?.command?.[0]).toBe('curl');
    expect(r.tests[0]?.actions[0]?.detail).toMatch(/^(exec failed|curl exited)/);
    expect(r.cleanup).toBe('kept');
    expect(await live()).toEqual([r.namespace]);
    // Only the sites the selected test needs were deployed.
    const apps = kubeConfig().makeApiClient(k8s.AppsV1Api);
    const deps = await apps.listNamespacedDeployment({ namespace: r.namespace });
    expect(deps.items.map((d) => d.metadata?.name).sort()).toEqual([
      'client-cloud',
      'client-edge-site-a',
      'echo-cloud',
      'echo-edge-site-a',
    ]);

    const clean = captureIo(dir);
    expect(await run(['connectivity', 'cleanup', '--kubeconfig', kubeconfig], clean)).toBe(0);
    expect(clean.stdout).toEqual([`Deleted namespace ${r.namespace}`]);
    await waitFor('test namespace terminating or gone', async () => (await live()).length === 0, { timeoutMs: 30_000 });
  });
});
