import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentResources } from '../../knowledge/agent-resources.ts';
import type { AgentResource } from '../../knowledge/agent-resources.ts';
import { WATCH_GRACE_MS, get, probe, watch } from './client.ts';
import { closedPort, cloudList, startFakeMetaServer, status } from './metaserver.testkit.ts';
import type { FakeMetaServer, Route } from './metaserver.testkit.ts';

const node = agentResources('1.20.0').find((r) => r.resource === 'nodes')!;
const r = (resource: string): AgentResource => ({ ...node, resource });

const routes = new Map<string, Route>([
  ['/api/v1/nodes', { list: cloudList(node, 2), watch: { events: 2 } }],
  ['/api/v1/forbidden', { list: status(403, 'nope'), watch: { status: 403, message: 'watch forbidden' } }],
  ['/api/v1/hang', { list: 'hang', watch: 'hang' }],
  ['/api/v1/slow', { list: { ...cloudList(r('slow'), 1), delayMs: 150 } }],
  ['/api/v1/cut', { list: 'cut' }],
  ['/api/v1/error-event', { list: cloudList(node, 0), watch: { error: 'too old resource version', code: 410 } }],
  ['/api/v1/early', { list: cloudList(node, 0), watch: 'early-end' }],
  ['/api/v1/relayed', { list: cloudList(node, 0), watch: { events: 2, endAfterMs: 300 } }],
  ['/api/v1/quiet', { list: cloudList(node, 0), watch: { events: 0, endAfterMs: 1300 } }],
  ['/api/v1/open', { list: cloudList(node, 0), watch: 'open' }],
]);

let srv: FakeMetaServer;
beforeAll(async () => {
  srv = await startFakeMetaServer(routes);
});
afterAll(async () => {
  await srv.close();
});

describe('get', () => {
  it('reads a list answer', async () => {
    const res = await get(srv.endpoint, '/api/v1/nodes', 2000);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ kind: 'NodeList', metadata: { resourceVersion: '4711' } });
  });

  it('returns 403 and 404 answers as they are', async () => {
    expect(await get(srv.endpoint, '/api/v1/forbidden', 2000)).toMatchObject({ ok: true, status: 403 });
    expect(await get(srv.endpoint, '/apis/cilium.io/v2/nothing', 2000)).toMatchObject({ ok: true, status: 404 });
  });

  it('waits for a slow answer within the deadline', async () => {
    const res = await get(srv.endpoint, '/api/v1/slow', 2000);
    expect(res).toMatchObject({ ok: true, status: 200 });
    expect(res.ms).toBeGreaterThanOrEqual(140);
  });

  it('times out on a connected server that does not answer', async () => {
    const res = await get(srv.endpoint, '/api/v1/hang', 300);
    expect(res).toMatchObject({ ok: false, failure: { kind: 'timeout' } });
    expect(res.ms).toBeLessThan(2000);
  });

  it('times out when the answer is slower than the deadline', async () => {
    expect(await get(srv.endpoint, '/api/v1/slow', 50)).toMatchObject({ ok: false, failure: { kind: 'timeout' } });
  });

  it('reports an answer cut off mid-body', async () => {
    const res = await get(srv.endpoint, '/api/v1/cut', 2000);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(['reset', 'error']).toContain(res.failure.kind);
  });

  it('reports a refused connection as unreachable', async () => {
    const port = await closedPort();
    const res = await get({ host: '127.0.0.1', port }, '/api/v1/nodes', 2000);
    expect(res).toMatchObject({ ok: false, failure: { kind: 'unreachable' } });
    if (!res.ok) expect(res.failure.message).toContain('connection refused');
  });
});

describe('probe', () => {
  it('connects or says why not', async () => {
    expect(await probe(srv.endpoint, 2000)).toBeUndefined();
    const port = await closedPort();
    expect(await probe({ host: '127.0.0.1', port }, 2000)).toMatchObject({ kind: 'unreachable' });
  });
});

describe('watch', () => {
  it('is ok when the stream lasts until timeoutSeconds, counting events', async () => {
    const w = await watch(srv.endpoint, '/api/v1/nodes', { resourceVersion: '4711', watchMs: 1000, timeoutMs: 2000 });
    expect(w).toMatchObject({ ok: true, httpStatus: 200, events: 2, reason: null });
    expect(w.ms).toBeGreaterThanOrEqual(800);
    expect(srv.requests).toContain('/api/v1/nodes?watch=true&timeoutSeconds=1&resourceVersion=4711');
  });

  it('fails on an ERROR event with its message', async () => {
    const w = await watch(srv.endpoint, '/api/v1/error-event', { watchMs: 1000, timeoutMs: 2000 });
    expect(w.ok).toBe(false);
    expect(w.reason).toContain('too old resource version (410)');
  });

  it('fails a very short watch: ended by the server within 1 s without an event (as client-go counts it)', async () => {
    const w = await watch(srv.endpoint, '/api/v1/early', { watchMs: 1000, timeoutMs: 2000 });
    expect(w.ok).toBe(false);
    expect(w.reason).toMatch(/ended the watch after \d+ ms \(asked for 1s\) with no event: a very short watch/);
  });

  it('accepts a watch the server ends early after events, or after 1 s, with a note (real MetaServer does)', async () => {
    const relayed = await watch(srv.endpoint, '/api/v1/relayed', { watchMs: 3000, timeoutMs: 2000 });
    expect(relayed).toMatchObject({ ok: true, events: 2 });
    expect(relayed.reason).toMatch(/ended the watch after \d+ ms \(asked for 3s\); informers watch again/);
    const quiet = await watch(srv.endpoint, '/api/v1/quiet', { watchMs: 3000, timeoutMs: 2000 });
    expect(quiet).toMatchObject({ ok: true, events: 0 });
    expect(quiet.ms).toBeGreaterThanOrEqual(1000);
  });

  it('fails with the HTTP status of a refused watch', async () => {
    const w = await watch(srv.endpoint, '/api/v1/forbidden', { watchMs: 1000, timeoutMs: 2000 });
    expect(w).toMatchObject({ ok: false, httpStatus: 403 });
    expect(w.reason).toContain('HTTP 403: watch forbidden');
  });

  it('fails when no answer comes before the deadline', async () => {
    const w = await watch(srv.endpoint, '/api/v1/hang', { watchMs: 1000, timeoutMs: 300 });
    expect(w).toMatchObject({ ok: false, httpStatus: null });
    expect(w.reason).toContain('no answer within 0.3s');
  });

  it('ends a watch the server keeps open past timeoutSeconds itself, and counts it as working', async () => {
    const w = await watch(srv.endpoint, '/api/v1/open', { watchMs: 1000, timeoutMs: 2000 });
    expect(w).toMatchObject({ ok: true, events: 0 });
    expect(w.ms).toBeGreaterThanOrEqual(1000 + WATCH_GRACE_MS - 50);
    expect(w.ms).toBeLessThan(5000);
  });
});
