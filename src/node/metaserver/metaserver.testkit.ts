// A stand-in MetaServer for tests: a real HTTP server on 127.0.0.1, port 0, answering each
// collection path as told (list bodies shaped like MetaServer's cloud or edge-store answers,
// 403/404, hangs, slow answers, watch streams that end, fail or never answer).
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AgentResource } from '../../knowledge/agent-resources.ts';
import { collectionPath } from '../../knowledge/agent-resources.ts';
import { edgeStoreListKind } from '../../knowledge/agent-resources-metaserver.ts';

export type ListBehaviour =
  | { status: number; body: unknown; delayMs?: number }
  | 'hang'
  /** Headers and half a body, then the socket is destroyed. */
  | 'cut';
export type WatchBehaviour =
  /** 200, one ADDED event per item given, then the end after timeoutSeconds (or endAfterMs). */
  | { events: number; endAfterMs?: number }
  /** 200 and an ERROR event. */
  | { error: string; code: number }
  /** 200, then the end at once. */
  | 'early-end'
  /** 200 and nothing more, never ending. */
  | 'open'
  /** No answer at all. */
  | 'hang'
  | { status: number; message: string };

export interface Route {
  list: ListBehaviour;
  watch?: WatchBehaviour;
}

/** A list as the API server relays it through cloudcore: resourceVersion, no selfLink, the right kind. */
export function cloudList(r: AgentResource, items: number, rv = '4711'): { status: 200; body: unknown } {
  return {
    status: 200,
    body: {
      apiVersion: r.group ? `${r.group}/${r.version}` : r.version,
      kind: `${r.kind}List`,
      metadata: { resourceVersion: rv },
      items: Array.from({ length: items }, (_, i) => ({ metadata: { name: `${r.resource}-${i}` } })),
    },
  };
}

/** A list from MetaServer's edge store: selfLink with items, no resourceVersion without; its kind naming. */
export function edgeList(r: AgentResource, items: number): { status: 200; body: unknown } {
  return {
    status: 200,
    body: {
      apiVersion: r.group ? `${r.group}/${r.version}` : r.version,
      kind: edgeStoreListKind(r.resource),
      // An empty one has no metadata at all (seen on real edgecore v1.23.1).
      ...(items
        ? {
            metadata: { resourceVersion: '12', selfLink: `/${r.group || 'core'}/${r.version}/${r.resource}/null/null` },
          }
        : {}),
      items: Array.from({ length: items }, (_, i) => ({ metadata: { name: `${r.resource}-${i}` } })),
    },
  };
}

export const status = (code: number, message: string): { status: number; body: unknown } => ({
  status: code,
  body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code },
});

export interface FakeMetaServer {
  port: number;
  endpoint: { host: string; port: number };
  address: string;
  /** Requests seen, as path?query. */
  requests: string[];
  close(): Promise<void>;
}

/** Starts the server; `routes` maps collection paths (or resources via routeOf) to behaviours; others 404. */
export async function startFakeMetaServer(routes: Map<string, Route>): Promise<FakeMetaServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const json = (res: ServerResponse, code: number, body: unknown): void => {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    const route = routes.get(url.pathname);
    if (!route) return json(res, 404, status(404, `the server could not find the requested resource`).body);
    if (url.searchParams.get('watch') !== 'true') {
      const l = route.list;
      if (l === 'hang') return;
      if (l === 'cut') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
        res.write('{"kind":"');
        later(20, () => res.socket?.destroy());
        return;
      }
      if (l.delayMs) later(l.delayMs, () => json(res, l.status, l.body));
      else json(res, l.status, l.body);
      return;
    }
    const w = route.watch ?? { events: 0 };
    if (w === 'hang') return;
    if (typeof w === 'object' && 'status' in w) return json(res, w.status, status(w.status, w.message).body);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    if (w === 'early-end') return void res.end();
    if (w === 'open') return;
    if ('error' in w) {
      res.write(`${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', message: w.error, code: w.code } })}\n`);
      return void res.end();
    }
    for (let i = 0; i < w.events; i++)
      res.write(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: `o${i}` } } })}\n`);
    const seconds = Number(url.searchParams.get('timeoutSeconds') ?? '1');
    later(w.endAfterMs ?? seconds * 1000, () => res.end());
  };
  const server: Server = createServer(handler);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    endpoint: { host: '127.0.0.1', port },
    address: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}

/**
 * Routes for every resource: `fn` decides each one's behaviour. A CRD list relayed from the cloud
 * names the CRD of every cilium.io resource given, except those in `missingCrds` (resource names):
 * the cluster has them, as a real one with Cilium installed does.
 */
export function routesFor(
  resources: readonly AgentResource[],
  fn: (r: AgentResource) => Route,
  missingCrds: readonly string[] = [],
): Map<string, Route> {
  const routes = new Map(resources.map((r) => [collectionPath(r), fn(r)]));
  const crd = resources.find((r) => r.resource === 'customresourcedefinitions');
  const route = crd && routes.get(collectionPath(crd));
  if (crd && route && typeof route.list === 'object' && route.list.status === 200) {
    const body = route.list.body as { metadata?: { resourceVersion?: string; selfLink?: string }; items: unknown[] };
    if (body.metadata?.resourceVersion && !body.metadata.selfLink) {
      const names = resources
        .filter((r) => r.group === 'cilium.io' && !missingCrds.includes(r.resource))
        .map((r) => ({ metadata: { name: `${r.resource}.${r.group}` } }));
      routes.set(collectionPath(crd), { ...route, list: { ...route.list, body: { ...body, items: names } } });
    }
  }
  return routes;
}

/** A port on 127.0.0.1 on which nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}
