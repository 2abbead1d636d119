// kec dashboard end to end in process: offline from files, live from a (fake, read-only)
// cluster with updates pushed over server-sent events, and bad input → exit 2 naming the flag.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, FIXTURES, ROOT } from '../../test/paths.ts';
import { palette } from '../output/color.ts';
import type { Io } from '../output/io.ts';
import { run } from '../cli/main.ts';
import type { Obj, ObjectReader, PodLogs } from '../cluster/types.ts';
import { daemonSet, deployment, node, NOW, pod } from '../cluster/snapshot/objects.testkit.ts';
import type { FleetView, MetaView } from './types.ts';
import { dashboardCommand, NOT_IN_BINARY, wantsLive } from './run.ts';
import type { DashboardOptions } from './run.ts';

function captureIo(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => void stdout.push(t),
    err: (t) => void stderr.push(t),
    color: palette(false),
    cwd: ROOT,
  };
}

/** Starts the dashboard; resolves once it printed its URL. */
async function startDashboard(o: Partial<DashboardOptions>) {
  const io = captureIo();
  const stop = new AbortController();
  const done = dashboardCommand(io, {
    port: 0,
    live: false,
    connect: {},
    signal: stop.signal,
    assets: join(FIXTURES, '..', '..', 'src', 'dashboard', 'web'),
    isSea: () => false,
    ...o,
  });
  const deadline = Date.now() + 20_000;
  while (io.stdout.length === 0) {
    if (Date.now() > deadline) throw new Error(`no URL printed: ${io.stderr.join('\n')}`);
    await Promise.race([done, new Promise((r) => setTimeout(r, 20))]);
  }
  const url = new URL(/http\S+/.exec(io.stdout[0]!)![0]);
  const token = url.searchParams.get('token')!;
  const get = async <T>(path: string): Promise<T> => {
    const r = await fetch(new URL(path, url), { headers: { Authorization: `Bearer ${token}` } });
    if (!r.ok) throw new Error(`${path}: ${r.status}`);
    return (await r.json()) as T;
  };
  return { io, url, token, get, stop: async () => (stop.abort(), done) };
}

describe('kec dashboard', () => {
  it('serves offline from files only, prints the URL with its token once, and stops on the signal', async () => {
    const d = await startDashboard({
      spec: join(EXAMPLES, 'edge-cluster.yaml'),
      policies: [join(EXAMPLES, 'policy', 'current')],
      inventory: [join(EXAMPLES, 'policy', 'inventory.yaml')],
      flows: join(FIXTURES, 'observe', 'flows-edge.jsonl'),
    });
    expect(d.url.hostname).toBe('127.0.0.1');
    expect(d.token.length).toBeGreaterThanOrEqual(22);
    expect(d.io.stdout).toHaveLength(1);
    expect(d.io.stderr.join('\n')).not.toContain(d.token);
    const meta = await d.get<MetaView>('/api/meta');
    expect(meta).toMatchObject({
      mode: 'offline',
      views: { fleet: false, plan: true, policy: true, flows: true, findings: false },
    });
    expect((await d.get<{ groups: unknown[] }>('/api/plan')).groups.length).toBeGreaterThan(0);
    expect(await d.stop()).toBe(0);
    await expect(fetch(d.url)).rejects.toThrow();
  });

  it('shows a saved kec status -o json as the offline fleet', async () => {
    const d = await startDashboard({ snapshot: join(FIXTURES, 'dashboard', 'status-snapshot.json') });
    const f = await d.get<FleetView>('/api/fleet');
    expect(f.source).toBe('snapshot');
    expect(f.groups.map((g) => [g.name, g.health])).toEqual([
      ['cloud', 'online'],
      ['site-a', 'online'],
      ['site-b', 'offline (autonomous)'],
    ]);
    await d.stop();
  });

  it('live: pushes the fleet to browsers and turns a node offline (autonomous) without a reload', async () => {
    let edgeB1 = node('edge-b-1', { edge: 'site-b' });
    const objects = (kind: string): Obj[] =>
      kind === 'Node'
        ? [node('cloud-1'), node('edge-a-1', { edge: 'site-a' }), edgeB1]
        : kind === 'DaemonSet'
          ? [
              daemonSet('cilium', { desired: 1 }),
              daemonSet('cilium-edge-site-a', { group: 'site-a', desired: 1 }),
              daemonSet('cilium-edge-site-b', { group: 'site-b', desired: 1 }),
            ]
          : kind === 'Deployment'
            ? [deployment('cilium-operator')]
            : kind === 'Pod'
              ? [pod('cilium-c1', 'cilium', 'cloud-1'), pod('cilium-b1', 'cilium-edge-site-b', 'edge-b-1')]
              : [];
    const calls: string[] = [];
    const cluster: ObjectReader & PodLogs = {
      get: () => Promise.resolve(undefined),
      list: (_v, kind) => (calls.push(kind), Promise.resolve(objects(kind))),
      logs: () => Promise.resolve(''),
    };
    const d = await startDashboard({ live: true, cluster, refreshMs: 50, now: () => NOW });
    const first = await d.get<FleetView>('/api/fleet');
    expect(first.groups.find((g) => g.name === 'site-b')?.health).toBe('online');

    const ac = new AbortController();
    const res = await fetch(new URL('/api/events', d.url), {
      headers: { Authorization: `Bearer ${d.token}` },
      signal: ac.signal,
    });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    edgeB1 = node('edge-b-1', { edge: 'site-b', ready: 'Unknown', heartbeatAgoMs: 30_000 });
    let buf = '';
    let seen: FleetView | undefined;
    while (!seen) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
      for (const m of buf.matchAll(/event: fleet\ndata: (.*)\n\n/g)) {
        const f = JSON.parse(m[1]!) as FleetView;
        if (f.groups.find((g) => g.name === 'site-b')?.health === 'offline (autonomous)') seen = f;
      }
    }
    ac.abort();
    expect(seen?.totals.offline).toBe(1);
    const rows = await d.get<Array<{ name: string; health: string }>>('/api/fleet/nodes?group=site-b');
    expect(rows).toEqual([expect.objectContaining({ name: 'edge-b-1', health: 'offline (autonomous)' })]);
    expect(await d.stop()).toBe(0);
    expect(new Set(calls)).toEqual(new Set(['Node', 'DaemonSet', 'Deployment', 'Pod']));
  });

  it('stops reading the cluster when the port is taken (exit 2 naming --port, no timer left behind)', async () => {
    const taken = await startDashboard({ flows: join(FIXTURES, 'observe', 'flows-edge.jsonl') });
    let lists = 0;
    const cluster: ObjectReader & PodLogs = {
      get: () => Promise.resolve(undefined),
      list: () => (lists++, Promise.resolve([])),
      logs: () => Promise.resolve(''),
    };
    const io = captureIo();
    await expect(
      dashboardCommand(io, {
        port: Number(taken.url.port),
        live: true,
        connect: {},
        cluster,
        refreshMs: 10,
        signal: new AbortController().signal,
        assets: join(ROOT, 'src', 'dashboard', 'web'),
        isSea: () => false,
      }),
    ).rejects.toThrow(`--port ${taken.url.port}: in use`);
    const after = lists;
    await new Promise((r) => setTimeout(r, 100)); // ten refresh intervals: none may run
    expect(lists).toBe(after);
    await taken.stop();
  });

  it('refuses to run as the standalone binary, with the message the binary test expects', async () => {
    const io = captureIo();
    await expect(
      dashboardCommand(io, {
        port: 0,
        live: false,
        connect: {},
        signal: new AbortController().signal,
        isSea: () => true,
      }),
    ).rejects.toThrow(NOT_IN_BINARY);
  });

  it('bad input exits 2 with a message naming the flag or file', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--port', 'x'], /--port x/],
      [['--port', '70000'], /--port 70000/],
      [['--flows', 'no-such.jsonl'], /--flows no-such\.jsonl: no such file/],
      [['--plan', 'no-such-dir'], /--plan no-such-dir/],
      [['--policies', join(EXAMPLES, 'policy', 'current')], /--policies needs -i/],
      [['--snapshot', join(EXAMPLES, 'edge-cluster.yaml')], /--snapshot .*not JSON/],
      [['-f', 'missing.yaml'], /missing\.yaml/],
      [['--offline-grace', 'soon', '--flows', join(FIXTURES, 'observe', 'flows-edge.jsonl')], /--offline-grace/],
    ];
    for (const [args, message] of cases) {
      const io = captureIo();
      expect(await run(['dashboard', ...args], io), args.join(' ')).toBe(2);
      expect(io.stderr.join('\n'), args.join(' ')).toMatch(message);
    }
  });

  it('is live with cluster flags or with nothing else to show; offline with files only', () => {
    expect(wantsLive({})).toBe(true);
    expect(wantsLive({ flows: 'f' })).toBe(false);
    expect(wantsLive({ flows: 'f', kubeconfig: 'k' })).toBe(true);
    expect(wantsLive({ policies: ['p'] })).toBe(false);
  });
});
