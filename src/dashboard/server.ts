// The dashboard's HTTP server (node:http): 127.0.0.1 only, every request needs the token,
// GET (and HEAD) only, JSON API routes, server-sent events, the built web UI.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.ts';
import { authenticate, newToken, sessionCookie } from './auth.ts';
import { assetFile } from './static.ts';

export const HOST = '127.0.0.1';

/** An API handler: the JSON to send, or undefined for 404. Throw HttpError for 400 etc. */
export type Route = (query: URLSearchParams) => unknown;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ServerOptions {
  port: number;
  routes: Readonly<Record<string, Route>>;
  /** Directory of the built web UI; without one only the API is served. */
  assets?: string;
  token?: string;
  /** Seconds between SSE keep-alive comments. */
  keepAliveMs?: number;
}

export interface DashboardServer {
  url: string;
  port: number;
  token: string;
  /** Sends one event to every connected browser. */
  publish(event: string, data: unknown): void;
  /** Browsers listening for events now. */
  listeners(): number;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
};

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

const json = (res: ServerResponse, status: number, data: unknown): void =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(data));

export async function startServer(o: ServerOptions): Promise<DashboardServer> {
  const token = o.token ?? newToken();
  const clients = new Set<ServerResponse>();
  let port = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = req.headers.host ?? '';
    // DNS rebinding: only our own address names this server.
    if (host !== `${HOST}:${port}` && host !== `localhost:${port}`) return json(res, 403, { error: 'unexpected Host' });
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    const how = authenticate(req, url, token);
    if (how === 'denied') return json(res, 401, { error: 'the dashboard needs its token: open the URL kec printed' });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, 'application/json; charset=utf-8', JSON.stringify({ error: 'read-only: GET only' }), {
        Allow: 'GET, HEAD',
      });
    }
    if (how === 'query') {
      // Token in the URL once: a cookie from now on, and the token out of the address bar and history.
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': sessionCookie(token),
        Location: url.pathname + url.search,
      });
      return void res.end();
    }
    if (url.pathname === '/api/events') return events(res);
    if (url.pathname.startsWith('/api/')) {
      const route = o.routes[url.pathname];
      if (!route) return json(res, 404, { error: `no such endpoint ${url.pathname}` });
      try {
        const data = await route(url.searchParams);
        return data === undefined ? json(res, 404, { error: 'not found' }) : json(res, 200, data);
      } catch (e) {
        if (e instanceof HttpError) return json(res, e.status, { error: e.message });
        return json(res, 500, { error: (e as Error).message });
      }
    }
    if (!o.assets) return json(res, 404, { error: 'the web UI is not built (run make build)' });
    const file = (await assetFile(o.assets, url.pathname)) ?? (await assetFile(o.assets, '/'));
    if (!file) return json(res, 404, { error: 'not found' });
    send(res, 200, file.type, file.body);
  };

  const events = (res: ServerResponse): void => {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    clients.add(res);
    res.on('close', () => clients.delete(res));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) json(res, 500, { error: (e as Error).message });
      else res.destroy();
    });
  });
  const keepAlive = setInterval(() => {
    for (const c of clients) c.write(': keep-alive\n\n');
  }, o.keepAliveMs ?? 15_000);
  keepAlive.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE' || e.code === 'EACCES'
          ? new UsageError(
              `--port ${o.port}: ${e.code === 'EADDRINUSE' ? 'in use' : 'not allowed'} on ${HOST}; choose another, or 0 for any free port`,
            )
          : e,
      ),
    );
    server.listen(o.port, HOST, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${HOST}:${port}/`,
    port,
    token,
    publish(event, data) {
      const payload = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
      for (const c of clients) c.write(payload);
    },
    listeners: () => clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(keepAlive);
        for (const c of clients) c.end();
        clients.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
