import { describe, expect, it } from 'vitest';
import type { Deployed } from './execute.ts';
import { actionsFor, executeTests } from './execute.ts';
import type { PlannedTest } from './test-matrix.ts';
import type { PodExec } from '../types.ts';
import type { Endpoint } from './prober.ts';
import { execProber, probeCommand } from './prober.ts';
import { scriptedProber } from './probers.testkit.ts';

const ep = (site: string, role: string, ip: string): Endpoint => ({
  pod: `${role}-${site}-x`,
  node: `${site}-1`,
  ip,
  site,
});
const deployed: Deployed = {
  namespace: 'cilium-test-1',
  clients: new Map([
    ['cloud', ep('cloud', 'client', '10.0.0.1')],
    ['site-a', ep('site-a', 'client', '10.0.1.1')],
  ]),
  echoes: new Map([
    ['cloud', ep('cloud', 'echo', '10.0.0.2')],
    ['site-a', ep('site-a', 'echo', 'fd00::2')],
  ]),
  problems: new Map([['site-c', 'site-c: not ready after 2m: echo pod not scheduled']]),
  service: { name: 'echo', ip: '10.96.0.42', port: 8080 },
  dnsName: 'echo.cilium-test-1.svc.cluster.local',
  echoPort: 8080,
};
const t = (name: string, kind: PlannedTest['kind'], from: string, to?: string, skipped?: string): PlannedTest => ({
  name,
  kind,
  from,
  ...(to !== undefined ? { to } : {}),
  ...(skipped !== undefined ? { skipped } : {}),
});

const tests: PlannedTest[] = [
  t('pod-to-pod/cloud→site-a', 'pod-to-pod', 'cloud', 'site-a'),
  t('pod-to-pod/site-a→cloud', 'pod-to-pod', 'site-a', 'cloud'),
  t('pod-to-service/cloud', 'pod-to-service', 'cloud'),
  t('dns/site-a', 'dns', 'site-a'),
  t('pod-to-pod/cloud→site-b', 'pod-to-pod', 'cloud', 'site-b', 'edge group site-b offline'),
  t('pod-to-pod/cloud→site-c', 'pod-to-pod', 'cloud', 'site-c'),
];

describe('executeTests', () => {
  it('passes, skips with the plan reason, and fails a test whose pod never came up with the site problem', async () => {
    const p = scriptedProber();
    const r = await executeTests(tests, deployed, p, { timeoutMs: 1000, concurrency: 3 });
    expect(r.map((x) => [x.name, x.status, x.reason])).toEqual([
      ['pod-to-pod/cloud→site-a', 'passed', undefined],
      ['pod-to-pod/site-a→cloud', 'passed', undefined],
      ['pod-to-service/cloud', 'passed', undefined],
      ['dns/site-a', 'passed', undefined],
      ['pod-to-pod/cloud→site-b', 'skipped', 'edge group site-b offline'],
      ['pod-to-pod/cloud→site-c', 'failed', 'site-c: not ready after 2m: echo pod not scheduled'],
    ]);
    expect(p.seen.sort()).toEqual([
      'dns/site-a/0',
      'pod-to-pod/cloud→site-a/0',
      'pod-to-pod/site-a→cloud/0',
      'pod-to-service/cloud/0',
    ]);
    expect(r[0]?.actions[0]).toMatchObject({ from: 'client-cloud-x', to: 'echo-site-a-x', status: 'passed' });
  });

  it('reports a failing probe, a throwing prober and a hanging one (timeout, signal aborted) as data', async () => {
    const p = scriptedProber({ fail: /site-a→cloud/, throws: /pod-to-service/, hang: /^dns/ });
    const start = Date.now();
    const r = await executeTests(tests.slice(0, 4), deployed, p, { timeoutMs: 150, concurrency: 4 });
    expect(Date.now() - start).toBeLessThan(1000);
    const byName = new Map(r.map((x) => [x.name, x]));
    expect(byName.get('pod-to-pod/site-a→cloud')).toMatchObject({
      status: 'failed',
      reason: 'pod-to-pod/site-a→cloud/0: client-site-a-x → echo-cloud-x: connection refused',
    });
    expect(byName.get('pod-to-service/cloud')).toMatchObject({
      status: 'failed',
      reason: 'pod-to-service/cloud/0: client-cloud-x → service/echo: scripted prober: exec websocket closed',
    });
    const dns = byName.get('dns/site-a');
    expect(dns).toMatchObject({
      status: 'failed',
      reason: 'dns/site-a/0: client-site-a-x → echo.cilium-test-1.svc.cluster.local: timed out after 150ms',
    });
    expect(dns?.actions[0]?.status).toBe('timeout');
    expect(p.aborted).toEqual(['dns/site-a/0']);
  });

  it('bounds concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const p = {
      name: 'count',
      probe: async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((res) => setTimeout(res, 20));
        inFlight--;
        return { ok: true };
      },
    };
    const many = Array.from({ length: 10 }, (_, i) => t(`dns/x${i}`, 'dns', 'cloud'));
    const r = await executeTests(many, deployed, p, { timeoutMs: 1000, concurrency: 2 });
    expect(r.every((x) => x.status === 'passed')).toBe(true);
    expect(peak).toBe(2);
  });

  it('on abort (SIGINT) stops running probes and skips tests not started as interrupted', async () => {
    const ctl = new AbortController();
    const p = scriptedProber({ hang: /./ });
    setTimeout(() => ctl.abort(), 50);
    const r = await executeTests(tests.slice(0, 4), deployed, p, {
      timeoutMs: 10_000,
      concurrency: 1,
      signal: ctl.signal,
    });
    expect(r[0]).toMatchObject({ status: 'failed' });
    expect(r[0]?.actions[0]?.detail).toMatch(/interrupted/);
    expect(r.slice(1).map((x) => [x.status, x.reason])).toEqual([
      ['skipped', 'interrupted'],
      ['skipped', 'interrupted'],
      ['skipped', 'interrupted'],
    ]);
  });

  it('builds actions with the targets the probes need', () => {
    expect(actionsFor(tests[2] as PlannedTest, deployed)).toEqual([
      {
        name: 'pod-to-service/cloud/0',
        test: 'pod-to-service/cloud',
        namespace: 'cilium-test-1',
        client: deployed.clients.get('cloud'),
        target: { kind: 'service', name: 'echo', ip: '10.96.0.42', port: 8080 },
      },
    ]);
    expect(actionsFor(t('dns/site-z', 'dns', 'site-z'), deployed)).toEqual({ error: 'no client pod in site-z' });
  });
});

describe('execProber', () => {
  it('runs curl / nslookup as argument arrays in the client container and maps exit codes', async () => {
    const calls: unknown[][] = [];
    const exec: PodExec = {
      exec: async (...a) => {
        calls.push(a);
        return a[3][0] === 'nslookup'
          ? { stdout: '', stderr: "nslookup: can't resolve 'echo'\n", code: 1 }
          : { stdout: '200', stderr: '', code: 0 };
      },
    };
    const p = execProber(exec);
    const [podAction] = actionsFor(tests[0] as PlannedTest, deployed) as [Parameters<typeof p.probe>[0]];
    expect(await p.probe(podAction, { timeoutMs: 5000, signal: new AbortController().signal })).toMatchObject({
      ok: true,
      detail: 'HTTP 200',
    });
    expect(calls[0]).toEqual([
      'cilium-test-1',
      'client-cloud-x',
      'client',
      [
        'curl',
        '-sS',
        '--fail',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '--connect-timeout',
        '5',
        '--max-time',
        '5',
        'http://[fd00::2]:8080/',
      ],
      5000,
    ]);
    const [dnsAction] = actionsFor(tests[3] as PlannedTest, deployed) as [Parameters<typeof p.probe>[0]];
    expect(await p.probe(dnsAction, { timeoutMs: 5000, signal: new AbortController().signal })).toMatchObject({
      ok: false,
      detail: "nslookup exited 1: nslookup: can't resolve 'echo'",
    });
    expect(probeCommand({ kind: 'service', name: 'echo', ip: '10.96.0.42', port: 8080 }, 300).at(-1)).toBe(
      'http://10.96.0.42:8080/',
    );
  });
});
