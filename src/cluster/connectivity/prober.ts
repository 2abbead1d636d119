// Probes are pluggable: the executor hands each action to a Prober. The real one execs
// curl / nslookup in the client pod (PodExec); tests inject others.
import type { PodExec } from '../types.ts';

/** A deployed test pod. */
export interface Endpoint {
  pod: string;
  node: string;
  ip: string;
  site: string;
}

export type ProbeTarget =
  | { kind: 'pod'; pod: Endpoint; port: number }
  | { kind: 'service'; name: string; ip: string; port: number }
  | { kind: 'dns'; name: string };

/** One probe of a test, e.g. client-cloud → echo-edge-site-a. */
export interface Action {
  /** `<test>/<n>` as cilium-cli numbers actions. */
  name: string;
  test: string;
  namespace: string;
  client: Endpoint;
  target: ProbeTarget;
}

export interface ProbeResult {
  ok: boolean;
  /** Why not (or what was seen). */
  detail?: string;
  /** The command run, for reports. */
  command?: string[];
}

export interface Prober {
  readonly name: string;
  /** Must settle; the executor also enforces the timeout and aborts the signal. */
  probe(action: Action, o: { timeoutMs: number; signal: AbortSignal }): Promise<ProbeResult>;
}

export const CLIENT_CONTAINER = 'client';

const hostPort = (ip: string, port: number): string => `${ip.includes(':') ? `[${ip}]` : ip}:${port}`;

/** The command the exec prober runs in the client container (argument array, no shell). */
export function probeCommand(target: ProbeTarget, timeoutMs: number): string[] {
  const secs = String(Math.max(1, Math.floor(timeoutMs / 1000)));
  switch (target.kind) {
    case 'pod':
      return [
        'curl',
        '-sS',
        '--fail',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '--connect-timeout',
        secs,
        '--max-time',
        secs,
        `http://${hostPort(target.pod.ip, target.port)}/`,
      ];
    case 'service':
      return [
        'curl',
        '-sS',
        '--fail',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '--connect-timeout',
        secs,
        '--max-time',
        secs,
        `http://${hostPort(target.ip, target.port)}/`,
      ];
    case 'dns':
      return ['nslookup', target.name];
  }
}

const firstLine = (s: string): string => s.trim().split('\n')[0]?.slice(0, 200) ?? '';

export function execProber(exec: PodExec): Prober {
  return {
    name: 'exec',
    async probe(action, o) {
      const command = probeCommand(action.target, o.timeoutMs);
      let r: Awaited<ReturnType<PodExec['exec']>>;
      try {
        r = await exec.exec(action.namespace, action.client.pod, CLIENT_CONTAINER, command, o.timeoutMs);
      } catch (e) {
        return { ok: false, command, detail: `exec failed: ${firstLine((e as Error)?.message ?? String(e))}` };
      }
      if (r.code === 0)
        return {
          ok: true,
          command,
          detail: action.target.kind === 'dns' ? 'resolved' : `HTTP ${r.stdout.trim() || '?'}`,
        };
      const why = firstLine(r.stderr) || firstLine(r.stdout);
      return { ok: false, command, detail: `${command[0] ?? ''} exited ${r.code}${why ? `: ${why}` : ''}` };
    },
  };
}
