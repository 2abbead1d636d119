// Runs planned tests against deployed pods through a Prober: actions within a test one
// after another under the test's timeout, tests with bounded concurrency. Every outcome
// (pass, failure, timeout, a prober that throws, pods that never came up) is data.
import { mapLimit } from '../snapshot/pool.ts';
import type { PlannedTest, TestKind } from './test-matrix.ts';
import type { Action, Endpoint, Prober, ProbeTarget } from './prober.ts';

export interface Deployed {
  namespace: string;
  /** Ready client / echo pod per site name. */
  clients: ReadonlyMap<string, Endpoint>;
  echoes: ReadonlyMap<string, Endpoint>;
  /** Why a site's client or echo pod is not usable. */
  problems: ReadonlyMap<string, string>;
  service?: { name: string; ip: string; port: number };
  /** FQDN the dns tests resolve. */
  dnsName: string;
  echoPort: number;
}

export type Outcome = 'passed' | 'failed' | 'skipped';

export interface ActionResult {
  name: string;
  from: string;
  to: string;
  status: 'passed' | 'failed' | 'timeout';
  durationMs: number;
  detail?: string;
  command?: string[];
}

export interface TestResult {
  name: string;
  kind: TestKind;
  from: string;
  to?: string;
  status: Outcome;
  /** Why skipped or failed. */
  reason?: string;
  durationMs: number;
  actions: ActionResult[];
}

export interface ExecuteOptions {
  /** Budget of one test (all its actions). */
  timeoutMs: number;
  concurrency: number;
  /** Aborted (SIGINT): tests not started are skipped as interrupted; running probes are aborted. */
  signal?: AbortSignal;
  now?: () => number;
  /** Called as each test ends (progress on stderr). */
  onResult?: (r: TestResult) => void;
}

/** The actions of a test, or why it cannot run (a pod it needs is missing). */
export function actionsFor(t: PlannedTest, d: Deployed): Action[] | { error: string } {
  const client = d.clients.get(t.from);
  if (!client) return { error: d.problems.get(t.from) ?? `no client pod in ${t.from}` };
  let target: ProbeTarget;
  if (t.kind === 'pod-to-pod') {
    const echo = t.to === undefined ? undefined : d.echoes.get(t.to);
    if (!echo)
      return { error: (t.to !== undefined ? d.problems.get(t.to) : undefined) ?? `no echo pod in ${t.to ?? '?'}` };
    target = { kind: 'pod', pod: echo, port: d.echoPort };
  } else if (t.kind === 'pod-to-service') {
    if (!d.service) return { error: 'echo Service has no ClusterIP' };
    target = { kind: 'service', ...d.service };
  } else {
    target = { kind: 'dns', name: d.dnsName };
  }
  return [{ name: `${t.name}/0`, test: t.name, namespace: d.namespace, client, target }];
}

const targetName = (a: Action): string =>
  a.target.kind === 'pod' ? a.target.pod.pod : a.target.kind === 'service' ? `service/${a.target.name}` : a.target.name;

class Timeout extends Error {}

async function runAction(
  a: Action,
  prober: Prober,
  budgetMs: number,
  now: () => number,
  parent?: AbortSignal,
): Promise<ActionResult> {
  const start = now();
  const ctl = new AbortController();
  const onAbort = (): void => ctl.abort(parent?.reason);
  parent?.addEventListener('abort', onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const base = { name: a.name, from: a.client.pod, to: targetName(a) };
  try {
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => {
          ctl.abort(new Timeout());
          reject(new Timeout());
        },
        Math.max(0, budgetMs),
      );
    });
    const interrupted = new Promise<never>((_, reject) => {
      if (parent?.aborted) reject(new Error('interrupted'));
      parent?.addEventListener('abort', () => reject(new Error('interrupted')), { once: true });
    });
    const r = await Promise.race([
      prober.probe(a, { timeoutMs: Math.max(0, budgetMs), signal: ctl.signal }),
      limit,
      interrupted,
    ]);
    const out: ActionResult = { ...base, status: r.ok ? 'passed' : 'failed', durationMs: now() - start };
    if (r.detail !== undefined) out.detail = r.detail;
    if (r.command !== undefined) out.command = r.command;
    return out;
  } catch (e) {
    if (e instanceof Timeout)
      return { ...base, status: 'timeout', durationMs: now() - start, detail: `timed out after ${formatMs(budgetMs)}` };
    return {
      ...base,
      status: 'failed',
      durationMs: now() - start,
      detail: `${prober.name} prober: ${(e as Error)?.message ?? String(e)}`,
    };
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onAbort);
  }
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(1)}s` : `${Math.round(ms)}ms`;
}

export async function executeTests(
  tests: readonly PlannedTest[],
  d: Deployed,
  prober: Prober,
  o: ExecuteOptions,
): Promise<TestResult[]> {
  const now = o.now ?? Date.now;
  return mapLimit(tests, Math.max(1, o.concurrency), async (t): Promise<TestResult> => {
    const base = { name: t.name, kind: t.kind, from: t.from, ...(t.to !== undefined ? { to: t.to } : {}) };
    const done = (r: TestResult): TestResult => {
      o.onResult?.(r);
      return r;
    };
    if (t.skipped !== undefined)
      return done({ ...base, status: 'skipped', reason: t.skipped, durationMs: 0, actions: [] });
    if (o.signal?.aborted)
      return done({ ...base, status: 'skipped', reason: 'interrupted', durationMs: 0, actions: [] });
    const actions = actionsFor(t, d);
    if (!Array.isArray(actions))
      return done({ ...base, status: 'failed', reason: actions.error, durationMs: 0, actions: [] });
    const start = now();
    const results: ActionResult[] = [];
    for (const a of actions) {
      const left = o.timeoutMs - (now() - start);
      results.push(await runAction(a, prober, left, now, o.signal));
      if (o.signal?.aborted) break;
    }
    const bad = results.filter((r) => r.status !== 'passed');
    const r: TestResult = {
      ...base,
      status: bad.length === 0 && results.length === actions.length ? 'passed' : 'failed',
      durationMs: now() - start,
      actions: results,
    };
    if (bad.length) r.reason = bad.map((b) => `${b.name}: ${b.from} → ${b.to}: ${b.detail ?? b.status}`).join('; ');
    else if (results.length < actions.length) r.reason = 'interrupted';
    return done(r);
  });
}
