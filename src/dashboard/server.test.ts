import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COOKIE, tokenMatches } from './auth.ts';
import type { DashboardServer } from './server.ts';
import { HttpError, startServer } from './server.ts';

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(
  s: DashboardServer,
  path: string,
  o: { method?: string; headers?: Record<string, string> } = {},
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: s.port, path, method: o.method ?? 'GET', headers: o.headers ?? {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const bearer = (s: DashboardServer): Record<string, string> => ({ Authorization: `Bearer ${s.token}` });

let server: DashboardServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(): Promise<DashboardServer> {
  const assets = mkdtempSync(join(tmpdir(), 'kec-dash-'));
  writeFileSync(join(assets, 'index.html'), '<!doctype html><title>kec dashboard</title>');
  server = await startServer({
    port: 0,
    assets,
    routes: {
      '/api/hello': (q) => ({ hello: q.get('name') ?? 'world' }),
      '/api/missing': () => undefined,
      '/api/bad': () => {
        throw new HttpError(400, 'bad port');
      },
    },
  });
  return server;
}

describe('dashboard server', () => {
  it('listens on 127.0.0.1 only, on a random port, with a token of at least 128 bits', async () => {
    const s = await start();
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/`);
    expect(s.port).toBeGreaterThan(0);
    expect(Buffer.from(s.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const other = await startServer({ port: 0, routes: {} });
    expect(other.token).not.toBe(s.token);
    await other.close();
  });

  it('answers 401 to every request without the token (API, page, events, wrong token)', async () => {
    const s = await start();
    for (const path of ['/', '/api/hello', '/api/events', '/index.html', '/nope'])
      expect((await call(s, path)).status, path).toBe(401);
    expect((await call(s, '/api/hello', { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await call(s, '/api/hello?token=wrong')).status).toBe(401);
    expect((await call(s, '/api/hello', { headers: { Cookie: `${COOKIE}=wrong` } })).status).toBe(401);
  });

  it('answers 200 with the token as a bearer, and turns ?token= into an HttpOnly SameSite=Strict cookie', async () => {
    const s = await start();
    const ok = await call(s, '/api/hello?name=edge', { headers: bearer(s) });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ hello: 'edge' });
    const first = await call(s, `/?token=${s.token}`);
    expect(first.status).toBe(303);
    expect(first.headers['location']).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await call(s, '/', { headers: { Cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('kec dashboard');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('is read-only: POST, PUT, PATCH and DELETE get 405 even with the token', async () => {
    const s = await start();
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const r = await call(s, '/api/hello', { method, headers: bearer(s) });
      expect(r.status, method).toBe(405);
      expect(r.headers['allow']).toBe('GET, HEAD');
    }
  });

  it('answers 404 for unknown endpoints and data, 400 for bad queries, 403 for a foreign Host', async () => {
    const s = await start();
    expect((await call(s, '/api/nope', { headers: bearer(s) })).status).toBe(404);
    expect((await call(s, '/api/missing', { headers: bearer(s) })).status).toBe(404);
    const bad = await call(s, '/api/bad', { headers: bearer(s) });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({ error: 'bad port' });
    expect((await call(s, '/api/hello', { headers: { ...bearer(s), Host: 'evil.example:80' } })).status).toBe(403);
    // Paths outside the UI directory are not served; unknown ones get the app.
    const up = await call(s, '/../../etc/passwd', { headers: bearer(s) });
    expect(up.body).not.toContain('root:');
  });

  it('delivers a published update to a connected browser over server-sent events', async () => {
    const s = await start();
    const got = new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: s.port, path: '/api/events', headers: bearer(s) }, (res) => {
        expect(res.headers['content-type']).toContain('text/event-stream');
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          buf += c;
          if (buf.includes(': connected')) {
            if (!buf.includes('event: fleet')) s.publish('fleet', { groups: ['site-a'] });
          }
          const m = /event: fleet\ndata: (.*)\n\n/.exec(buf);
          if (m) {
            resolve(m[1]!);
            req.destroy();
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(await got)).toEqual({ groups: ['site-a'] });
  });

  it('says the port is in use, naming --port', async () => {
    const s = await start();
    await expect(startServer({ port: s.port, routes: {} })).rejects.toThrow(`--port ${s.port}: in use on 127.0.0.1`);
  });

  it('compares tokens whatever their length', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abcd', 'abc')).toBe(false);
    expect(tokenMatches(undefined, 'abc')).toBe(false);
  });
});

describe('the web UI directory', () => {
  it('is found beside the bundle, through a symlink, and from the sources; not elsewhere', async () => {
    const { findAssets } = await import('./static.ts');
    const { mkdirSync, symlinkSync } = await import('node:fs');
    const root = mkdtempSync(join(tmpdir(), 'kec-assets-'));
    mkdirSync(join(root, 'dist', 'dashboard'), { recursive: true });
    writeFileSync(join(root, 'dist', 'dashboard', 'index.html'), '<!doctype html>');
    writeFileSync(join(root, 'dist', 'kec.mjs'), '');
    mkdirSync(join(root, 'src', 'cli'), { recursive: true });
    writeFileSync(join(root, 'src', 'cli', 'launcher.ts'), '');
    mkdirSync(join(root, 'bin'));
    symlinkSync(join(root, 'dist', 'kec.mjs'), join(root, 'bin', 'kec'));
    const want = join(root, 'dist', 'dashboard');
    expect(findAssets(join(root, 'dist', 'kec.mjs'))).toBe(want);
    expect(findAssets(join(root, 'bin', 'kec'))).toBe(want);
    expect(findAssets(join(root, 'src', 'cli', 'launcher.ts'))).toBe(want);
    expect(findAssets(join(root, 'bin', 'missing'))).toBeUndefined();
    expect(findAssets(undefined)).toBeUndefined();
  });
});
