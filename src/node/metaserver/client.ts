// Plain-HTTP LIST and short WATCH against MetaServer (node:http, no keep-alive), each bounded
// by a deadline: a refused or never-connected socket is "unreachable", a connected socket
// without an answer in time is a "timeout".
import { request } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { connect } from 'node:net';

export interface Endpoint {
  host: string;
  port: number;
}

export type FailureKind = 'unreachable' | 'timeout' | 'reset' | 'error';
export interface Failure {
  kind: FailureKind;
  message: string;
}

export type GetResult =
  | { ok: true; status: number; headers: IncomingHttpHeaders; body: string; ms: number }
  | { ok: false; failure: Failure; ms: number };

export interface WatchResult {
  ok: boolean;
  httpStatus: number | null;
  events: number;
  /** From the request until the watch ended (or kec ended it). */
  ms: number;
  /** Why it failed; for a working watch, a note (e.g. the server ended it early), else null. */
  reason: string | null;
}

/** Largest answer kec reads (a cluster-wide pod list of a big cluster is tens of MiB). */
export const MAX_BODY_BYTES = 256 * 2 ** 20;
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOTFOUND']);

function failureOf(e: NodeJS.ErrnoException, connected: boolean, ep: Endpoint): Failure {
  const where = `${ep.host}:${ep.port}`;
  if (e.code !== undefined && UNREACHABLE_CODES.has(e.code))
    return { kind: 'unreachable', message: `${e.code === 'ECONNREFUSED' ? 'connection refused' : e.code} (${where})` };
  if (e.code === 'ECONNRESET' || e.code === 'EPIPE')
    return {
      kind: connected ? 'reset' : 'unreachable',
      message: `connection reset by ${where}${connected ? '' : ' before it was established'}`,
    };
  return { kind: connected ? 'error' : 'unreachable', message: e.message };
}

const timeoutFailure = (connected: boolean, ms: number, ep: Endpoint): Failure =>
  connected
    ? { kind: 'timeout', message: `no answer within ${ms / 1000}s (the connection to ${ep.host}:${ep.port} was open)` }
    : { kind: 'unreachable', message: `cannot connect to ${ep.host}:${ep.port} within ${ms / 1000}s` };

/** Can a TCP connection be made? undefined when it can, the failure otherwise. */
export function probe(ep: Endpoint, timeoutMs: number): Promise<Failure | undefined> {
  return new Promise((done) => {
    const sock = connect({ host: ep.host, port: ep.port });
    const timer = setTimeout(() => {
      sock.destroy();
      done(timeoutFailure(false, timeoutMs, ep));
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.destroy();
      done(undefined);
    });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      done(failureOf(e, false, ep));
    });
  });
}

interface Started {
  res?: IncomingMessage;
  connected: boolean;
  abort: () => void;
}

/** Starts a GET; `onResponse` gets the response, `onFail` a failure before it (each at most once overall). */
function start(
  ep: Endpoint,
  path: string,
  onResponse: (res: IncomingMessage) => void,
  onFail: (e: NodeJS.ErrnoException) => void,
): Started {
  const st: Started = { connected: false, abort: () => undefined };
  const req = request({
    host: ep.host,
    port: ep.port,
    path,
    method: 'GET',
    agent: false,
    headers: { Accept: 'application/json', 'User-Agent': 'kec-metaserver-check' },
  });
  req.on('socket', (s) => {
    if (!s.connecting) st.connected = true;
    else s.once('connect', () => (st.connected = true));
  });
  req.on('response', (res) => {
    st.res = res;
    onResponse(res);
  });
  req.on('error', onFail);
  req.end();
  st.abort = () => req.destroy();
  return st;
}

/** GET `path` and read the whole answer within `timeoutMs`. */
export function get(ep: Endpoint, path: string, timeoutMs: number): Promise<GetResult> {
  const t0 = performance.now();
  const ms = (): number => Math.round(performance.now() - t0);
  return new Promise((done) => {
    let settled = false;
    const finish = (r: GetResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      st.abort();
      done(r);
    };
    const st = start(
      ep,
      path,
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY_BYTES)
            finish({
              ok: false,
              failure: { kind: 'error', message: `answer larger than ${MAX_BODY_BYTES} bytes` },
              ms: ms(),
            });
          else chunks.push(c);
        });
        res.on('end', () =>
          finish({
            ok: true,
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: ms(),
          }),
        );
        res.on('error', (e: NodeJS.ErrnoException) => finish({ ok: false, failure: failureOf(e, true, ep), ms: ms() }));
        res.on('close', () => {
          if (!res.complete)
            finish({ ok: false, failure: { kind: 'reset', message: 'the answer was cut off' }, ms: ms() });
        });
      },
      (e) => finish({ ok: false, failure: failureOf(e, st.connected, ep), ms: ms() }),
    );
    const timer = setTimeout(
      () => finish({ ok: false, failure: timeoutFailure(st.connected, timeoutMs, ep), ms: ms() }),
      timeoutMs,
    );
  });
}

export interface WatchOptions {
  resourceVersion?: string;
  /** How long the watch should stay open (sent as timeoutSeconds, rounded up to whole seconds). */
  watchMs: number;
  /** Deadline for MetaServer's response headers (MetaServer may wait 10 s for cloudcore first). */
  timeoutMs: number;
}

/** Extra time kec gives the server to end the watch itself after timeoutSeconds. */
export const WATCH_GRACE_MS = 1_000;
/** A watch the server ends before this share of timeoutSeconds ended early. */
const EARLY_END = 0.8;
/**
 * client-go's reflector treats a watch that the server closed within 1 s without any event as an
 * error ("very short watch"), backs off and lists again; a longer one it simply watches again from
 * the last resourceVersion. Real MetaServer v1.23.1 (with cloudcore) sends a watch's response
 * headers 0.5-2 s after the request and ends it at timeoutSeconds counted from the request.
 */
export const VERY_SHORT_WATCH_MS = 1_000;

/** Messages of ERROR events and of a Status body. */
function statusMessage(text: string): string | undefined {
  try {
    const o = JSON.parse(text) as { message?: unknown; reason?: unknown; code?: unknown };
    if (typeof o.message === 'string') return `${o.message}${typeof o.code === 'number' ? ` (${o.code})` : ''}`;
  } catch {
    /* not JSON */
  }
  return undefined;
}

/** A WATCH with timeoutSeconds: ok when it streams (events or none) until the timeout without error. */
export function watch(ep: Endpoint, path: string, o: WatchOptions): Promise<WatchResult> {
  const seconds = Math.max(1, Math.ceil(o.watchMs / 1000));
  const q = new URLSearchParams({ watch: 'true', timeoutSeconds: String(seconds) });
  if (o.resourceVersion) q.set('resourceVersion', o.resourceVersion);
  const t0 = performance.now();
  const ms = (): number => Math.round(performance.now() - t0);
  return new Promise((done) => {
    let settled = false;
    let httpStatus: number | null = null;
    let events = 0;
    let timer: NodeJS.Timeout;
    const finish = (ok: boolean, reason: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      st.abort();
      done({ ok, httpStatus, events, ms: ms(), reason });
    };
    const st = start(
      ep,
      `${path}?${q.toString()}`,
      (res) => {
        httpStatus = res.statusCode ?? 0;
        let text = '';
        if (httpStatus !== 200) {
          res.on('data', (c: Buffer) => (text = (text + c.toString('utf8')).slice(0, 64 * 1024)));
          res.on('end', () =>
            finish(false, `HTTP ${httpStatus}${statusMessage(text) ? `: ${statusMessage(text)}` : ''}`),
          );
          res.on('error', () => finish(false, `HTTP ${httpStatus}`));
          return;
        }
        clearTimeout(timer);
        // The watch is alive: kec ends it itself if the server outlives timeoutSeconds.
        timer = setTimeout(() => finish(true, null), seconds * 1000 + WATCH_GRACE_MS);
        res.on('data', (c: Buffer) => {
          text += c.toString('utf8');
          let nl: number;
          while ((nl = text.indexOf('\n')) >= 0) {
            const line = text.slice(0, nl).trim();
            text = text.slice(nl + 1);
            if (!line) continue;
            let ev: { type?: unknown; object?: unknown };
            try {
              ev = JSON.parse(line) as typeof ev;
            } catch {
              finish(false, `not a watch event: ${line.slice(0, 120)}`);
              return;
            }
            if (ev.type === 'ERROR') {
              finish(false, `ERROR event: ${statusMessage(JSON.stringify(ev.object)) ?? JSON.stringify(ev.object)}`);
              return;
            }
            events += 1;
          }
        });
        res.on('end', () => {
          // From the request, as the server counts timeoutSeconds and client-go times a watch:
          // MetaServer may hold the response headers while it asks cloudcore.
          const lasted = Math.round(performance.now() - t0);
          if (lasted >= seconds * 1000 * EARLY_END) finish(true, null);
          else if (lasted < VERY_SHORT_WATCH_MS && events === 0)
            finish(
              false,
              `MetaServer ended the watch after ${lasted} ms (asked for ${seconds}s) with no event: a very short watch, which the agent's informers treat as an error`,
            );
          else
            finish(
              true,
              `MetaServer ended the watch after ${lasted} ms (asked for ${seconds}s); informers watch again from the last resourceVersion`,
            );
        });
        res.on('close', () => {
          if (!res.complete) finish(false, 'the watch stream was cut off');
        });
        res.on('error', (e: NodeJS.ErrnoException) => finish(false, failureOf(e, true, ep).message));
      },
      (e) => finish(false, failureOf(e, st.connected, ep).message),
    );
    timer = setTimeout(() => finish(false, timeoutFailure(st.connected, o.timeoutMs, ep).message), o.timeoutMs);
  });
}
