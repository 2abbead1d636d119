// A fault-injecting HTTPS proxy in front of the harness apiserver, for reliability tests:
// answers chosen requests with 409/429/500/503 Status objects, delays them, resets the
// connection, or cuts watch streams. Listens on 127.0.0.1 only.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ClusterInfo } from './control-plane.ts';
import { writeKubeconfig } from './kubeconfig.ts';

export type Fault =
  /** Answer with this HTTP status and a metav1.Status body (reason from the code). */
  | { type: 'status'; status: number; message?: string; retryAfterSeconds?: number }
  /** Wait, then forward. */
  | { type: 'delay'; ms: number }
  /** Forward, then sever the response stream after ms (for watches: a dropped watch). */
  | { type: 'cut'; afterMs: number }
  /** Destroy the client connection without any response. */
  | { type: 'reset' };

export interface FaultRule {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Matched against path + query, e.g. /apis/apps/v1/namespaces/x/daemonsets/cilium. */
  path?: RegExp | string;
  /** true: only watch requests; false: only non-watch requests. */
  watch?: boolean;
  /** Number of matching requests to affect (default: every one until removed). */
  times?: number;
  fault: Fault;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  watch: boolean;
  /** Status the client got, or 'reset'/'cut' when the connection was severed. */
  outcome: number | 'reset' | 'cut' | 'error';
  fault?: Fault['type'];
}

export interface FaultProxy {
  /** https://127.0.0.1:<port> */
  url: string;
  /** Admin kubeconfig pointing at the proxy (same CA and credentials as the cluster). */
  kubeconfig: string;
  /** Adds a rule (first matching rule with times left wins); returns a function removing it. */
  inject: (rule: FaultRule) => () => void;
  clear: () => void;
  /** Severs every watch stream open right now. Returns how many were cut. */
  cutWatches: () => number;
  /** Every request seen, in order (the log a reliability test asserts on). */
  requests: ProxiedRequest[];
  close: () => Promise<void>;
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  410: 'Expired',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

function isWatch(path: string): boolean {
  const q = new URL(path, 'https://x').searchParams.get('watch');
  return q === 'true' || q === '1';
}

function statusBody(f: Extract<Fault, { type: 'status' }>): string {
  const reason = REASONS[f.status] ?? 'Unknown';
  const message =
    f.message ??
    (f.status === 409
      ? 'Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again (injected by the kec fault proxy)'
      : `${reason} (injected by the kec fault proxy)`);
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code: f.status,
  });
}

export async function startFaultProxy(info: ClusterInfo, opts: { kubeconfigPath?: string } = {}): Promise<FaultProxy> {
  const target = new URL(info.server);
  const ca = readFileSync(info.caFile);
  // Requests carrying a bearer token (ServiceAccount kubeconfigs) go upstream as that token;
  // all others as the harness admin, since TLS ends at the proxy.
  const adminAgent = new Agent({
    keepAlive: true,
    ca,
    cert: readFileSync(info.adminCert.cert),
    key: readFileSync(info.adminCert.key),
  });
  const tokenAgent = new Agent({ keepAlive: true, ca });
  const rules: { rule: FaultRule; left: number }[] = [];
  const watches = new Set<{ res: ServerResponse; cut: () => void }>();
  const requests: ProxiedRequest[] = [];

  const match = (req: IncomingMessage, path: string, watch: boolean): FaultRule | undefined => {
    for (const r of rules) {
      const { rule } = r;
      if (r.left <= 0) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== req.method) continue;
      if (rule.watch !== undefined && rule.watch !== watch) continue;
      if (rule.path !== undefined && !(typeof rule.path === 'string' ? path.includes(rule.path) : rule.path.test(path)))
        continue;
      r.left -= 1;
      return rule;
    }
    return undefined;
  };

  const forward = (req: IncomingMessage, res: ServerResponse, record: ProxiedRequest, cutAfterMs?: number): void => {
    const headers = { ...req.headers, host: target.host };
    const upstream = request(
      {
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: record.path,
        headers,
        agent: req.headers.authorization !== undefined ? tokenAgent : adminAgent,
      },
      (up) => {
        record.outcome = up.statusCode ?? 502;
        res.writeHead(up.statusCode ?? 502, up.headers);
        let entry: { res: ServerResponse; cut: () => void } | undefined;
        const cut = (): void => {
          record.outcome = 'cut';
          up.destroy();
          res.destroy();
        };
        if (record.watch) {
          entry = { res, cut };
          watches.add(entry);
        }
        const timer = cutAfterMs !== undefined ? setTimeout(cut, cutAfterMs) : undefined;
        res.on('close', () => {
          if (timer !== undefined) clearTimeout(timer);
          if (entry !== undefined) watches.delete(entry);
          up.destroy();
        });
        // Flush watch events as they arrive.
        res.flushHeaders();
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      record.outcome = 'error';
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(statusBody({ type: 'status', status: 503, message: 'fault proxy: upstream connection failed' }));
      } else {
        res.destroy();
      }
    });
    req.pipe(upstream);
  };

  const server = createServer(
    { cert: readFileSync(info.servingCert.cert), key: readFileSync(info.servingCert.key) },
    (req, res) => {
      const path = req.url ?? '/';
      const watch = isWatch(path);
      const record: ProxiedRequest = { method: req.method ?? 'GET', path, watch, outcome: 'error' };
      requests.push(record);
      const rule = match(req, path, watch);
      const fault = rule?.fault;
      if (fault !== undefined) record.fault = fault.type;
      switch (fault?.type) {
        case 'status': {
          req.resume();
          record.outcome = fault.status;
          const h: Record<string, string> = { 'content-type': 'application/json' };
          if (fault.retryAfterSeconds !== undefined) h['retry-after'] = String(fault.retryAfterSeconds);
          res.writeHead(fault.status, h);
          res.end(statusBody(fault));
          return;
        }
        case 'reset':
          record.outcome = 'reset';
          req.socket.destroy();
          return;
        case 'delay':
          setTimeout(() => forward(req, res, record), fault.ms);
          return;
        case 'cut':
          forward(req, res, record, fault.afterMs);
          return;
        default:
          forward(req, res, record);
      }
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  const kubeconfig = await writeKubeconfig(opts.kubeconfigPath ?? join(info.dir, `fault-proxy-${port}.kubeconfig`), {
    server: url,
    caFile: info.caFile,
    user: 'kec-harness-admin',
    credentials: { clientCert: info.adminCert },
  });

  return {
    url,
    kubeconfig,
    requests,
    inject: (rule) => {
      const entry = { rule, left: rule.times ?? Number.POSITIVE_INFINITY };
      rules.push(entry);
      return () => {
        const i = rules.indexOf(entry);
        if (i >= 0) rules.splice(i, 1);
      };
    },
    clear: () => {
      rules.length = 0;
    },
    cutWatches: () => {
      const n = watches.size;
      for (const w of [...watches]) w.cut();
      return n;
    },
    close: async () => {
      for (const w of [...watches]) w.cut();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      adminAgent.destroy();
      tokenAgent.destroy();
    },
  };
}
