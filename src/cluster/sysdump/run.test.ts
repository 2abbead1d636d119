import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Io } from '../../output/io.ts';
import { palette } from '../../output/color.ts';
import type { ListOptions, Obj, ObjectReader, ObjectRef, PodExec, PodLogs } from '../types.ts';
import { ApiError } from '../errors.ts';
import { daemonSet, deployment, node, pod } from '../snapshot/objects.testkit.ts';
import { sysdumpCommand } from './run.ts';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJl';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fakeCluster(): ObjectReader & PodLogs & PodExec & { listed: string[] } {
  const objs: Obj[] = [
    node('cloud-1'),
    node('edge-a-1', { edge: 'site-a' }),
    daemonSet('cilium'),
    daemonSet('cilium-edge-site-a', { group: 'site-a', env: [{ name: 'EDGE_TOKEN', value: 'tok-env-123' }] }),
    deployment('cilium-operator'),
    pod('cilium-1', 'cilium', 'cloud-1', { restarts: 2 }),
    pod('cilium-edge-1', 'cilium-edge-site-a', 'edge-a-1'),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cilium-config', namespace: 'kube-system' },
      data: { 'routing-mode': 'tunnel', token: 'cm-secret-456' },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kec-state', namespace: 'kube-system' },
      data: { 'state.json': JSON.stringify({ installed: '1.19.6', bootstrapToken: 'abcdef.0123456789abcdef' }) },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cloudcore', namespace: 'kubeedge' },
      data: { 'cloudcore.yaml': `modules:\n  cloudHub:\n    token: ${JWT}\n` },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'tokensecret', namespace: 'kubeedge' },
      data: { tokendata: 'c2VjcmV0LXNlY3JldA==' },
    },
  ];
  const listed: string[] = [];
  return {
    listed,
    async get(ref: ObjectRef) {
      return objs.find(
        (o) =>
          o.kind === ref.kind &&
          o.metadata?.name === ref.name &&
          (ref.namespace === undefined || o.metadata?.namespace === ref.namespace || o.kind === 'Node'),
      );
    },
    async list(_apiVersion: string, kind: string, opts: ListOptions = {}) {
      listed.push(kind);
      if (kind === 'Event')
        throw new ApiError(403, 'events is forbidden: User "x" cannot list resource "events"', 'Forbidden');
      return objs.filter(
        (o) =>
          o.kind === kind &&
          (opts.namespace === undefined ||
            o.metadata?.namespace === opts.namespace ||
            (o.metadata?.namespace === undefined && kind !== 'Pod')),
      );
    },
    async logs(_ns: string, p: string, _c: string, o = {}) {
      if (p === 'cilium-edge-1') throw new ApiError(0, 'connect ECONNREFUSED 10.201.1.11:10350');
      return `level=info msg="starting" pod=${p}${o.previous ? ' previous' : ''}\nlevel=info msg="auth" header="Authorization: Bearer ${JWT}"\n`;
    },
    async exec() {
      throw new ApiError(0, 'exec unavailable on simulated node');
    },
  };
}

describe('kec sysdump', () => {
  it('writes a redacted archive without Secrets, with errors.json, and exits 1 on partial failure', async () => {
    const d = mkdtempSync(join(tmpdir(), 'kec-sysdump-'));
    dirs.push(d);
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), color: palette(false), cwd: d };
    const cluster = fakeCluster();
    const code = await sysdumpCommand(io, { output: ['dump.tar.gz', 'json'], connect: {}, cluster, concurrency: 3 });
    expect(code).toBe(1);
    expect(cluster.listed).not.toContain('Secret');
    const summary = JSON.parse(out.join('\n')) as { archive: string; errors: Array<{ what: string }> };
    expect(summary.archive).toBe(join(d, 'dump.tar.gz'));
    expect(statSync(summary.archive).mode & 0o777).toBe(0o600);
    const x = join(d, 'x');
    execFileSync('mkdir', [x]);
    execFileSync('tar', ['-xzf', summary.archive, '-C', x]);
    const files = execFileSync('find', ['.', '-type', 'f'], { cwd: x, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .sort();
    expect(files).toEqual(
      expect.arrayContaining([
        './README.txt',
        './errors.json',
        './manifest.json',
        './kec-state/state.json',
        './cluster/nodes.json',
        './cluster/cilium-crds.json',
        './kube-system/configmaps.json',
        './kube-system/daemonsets.json',
        './kubeedge/configmaps.json',
        './reports/status.json',
        './reports/diagnose.json',
        './logs/kube-system/cilium-1/cilium-agent.log',
        './logs/kube-system/cilium-1/cilium-agent.previous.log',
      ]),
    );
    const errors = JSON.parse(readFileSync(join(x, 'errors.json'), 'utf8')) as Array<{ what: string; error: string }>;
    expect(errors.map((e) => e.what)).toEqual(
      expect.arrayContaining([
        'Event list in kube-system',
        'logs of kube-system/cilium-edge-1/cilium-agent',
        'cilium-dbg status in kube-system/cilium-1',
      ]),
    );
    expect(summary.errors).toHaveLength(errors.length);
    const all = files.map((f) => readFileSync(join(x, f), 'utf8')).join('\n');
    for (const secret of [
      JWT,
      'tok-env-123',
      'cm-secret-456',
      'abcdef.0123456789abcdef',
      'c2VjcmV0LXNlY3JldA==',
      'tokensecret',
    ])
      expect(all).not.toContain(secret);
    expect(all).toContain('routing-mode');
    expect(readdirSync(d)).toEqual(['dump.tar.gz', 'x']); // no .partial left
    expect([...out, ...err].join('\n')).not.toContain(JWT);
  });

  it('rejects an archive name that is not .tar.gz (exit 2 via InputError)', async () => {
    const io: Io = { out: () => {}, err: () => {}, color: palette(false), cwd: tmpdir() };
    await expect(sysdumpCommand(io, { output: ['dump.zip'], connect: {}, cluster: fakeCluster() })).rejects.toThrow(
      /-o dump.zip: the archive name must end in .tar.gz/,
    );
  });
});
