// kec node metaserver check: for every resource the Cilium agent lists and watches, a LIST
// and a short WATCH through this node's MetaServer, as the agent would make them.
import { agentResources } from '../../knowledge/agent-resources.ts';
import type { AgentResource } from '../../knowledge/agent-resources.ts';
import { collectionPath } from '../../knowledge/agent-resources.ts';
import type { ListSource } from '../../knowledge/agent-resources-metaserver.ts';
import { UsageError } from '../../errors.ts';
import { emit } from '../../output/emit.ts';
import type { Io, OutputFormat } from '../../output/io.ts';
import { resolveAddress } from './address.ts';
import type { MetaServerAddress } from './address.ts';
import { get, probe, watch } from './client.ts';
import type { Endpoint, GetResult } from './client.ts';
import { installedCrds, mayAsk } from './crds.ts';
import { evaluate, unasked } from './evaluate.ts';
import type { ResourceResult, ResourceStatus } from './evaluate.ts';
import { renderMetaserverCheck } from './render.ts';
import { resolveCilium } from './version.ts';

export interface MetaserverCheckOptions {
  format?: OutputFormat;
  /** HOST:PORT; default from edgecore.yaml under `root`, else 127.0.0.1:10550. */
  metaserver?: string;
  root?: string;
  ciliumVersion?: string;
  plan?: string;
  group?: string;
  /** Deadline of each request (ms). */
  timeoutMs?: number;
  /** How long each watch stays open (ms). */
  watchTimeoutMs?: number;
  /** Count failures of feature-gated resources as failures too. */
  strict?: boolean;
  /** Requests in flight at once. */
  concurrency?: number;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_WATCH_TIMEOUT_MS = 2_000;
/** The agent starts all its informers at once; so does kec (MetaServer may hold each for 10 s). */
const DEFAULT_CONCURRENCY = 32;

export interface MetaserverSummary {
  total: number;
  pass: number;
  warn: number;
  fail: number;
  statuses: Partial<Record<ResourceStatus, number>>;
  sources: Record<ListSource, number>;
}

export interface MetaserverReport {
  metaServer: MetaServerAddress & { reachable: boolean; reason: string | null };
  ciliumVersion: string;
  ciliumVersionFrom: 'flag' | 'plan' | 'default';
  /** The chart whose agent ClusterRole gave the resource list. */
  chartVersion: string;
  timeoutMs: number;
  watchTimeoutMs: number;
  resources: ResourceResult[];
  summary: MetaserverSummary;
  ok: boolean;
}

function positive(flag: string, ms: number | undefined, dflt: number): number {
  if (ms === undefined) return dflt;
  if (!Number.isFinite(ms) || ms <= 0) throw new UsageError(`${flag}: must be more than 0 (e.g. ${dflt / 1000}s)`);
  return ms;
}

async function pool<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function resourceVersionOf(list: GetResult): string | undefined {
  if (!list.ok || list.status !== 200) return undefined;
  try {
    const rv = (JSON.parse(list.body) as { metadata?: { resourceVersion?: unknown } }).metadata?.resourceVersion;
    return typeof rv === 'string' && rv !== '' ? rv : undefined;
  } catch {
    return undefined;
  }
}

async function checkOne(
  ep: Endpoint,
  r: AgentResource,
  o: { timeoutMs: number; watchMs: number; strict: boolean },
): Promise<ResourceResult> {
  const path = collectionPath(r);
  const list = await get(ep, path, o.timeoutMs);
  let w = null;
  if (list.ok && list.status === 200) {
    const rv = resourceVersionOf(list);
    w = await watch(ep, path, { watchMs: o.watchMs, timeoutMs: o.timeoutMs, ...(rv ? { resourceVersion: rv } : {}) });
  }
  return evaluate(r, list, w, { strict: o.strict });
}

export function summarize(resources: readonly ResourceResult[]): MetaserverSummary {
  const s: MetaserverSummary = {
    total: resources.length,
    pass: 0,
    warn: 0,
    fail: 0,
    statuses: {},
    sources: { cloud: 0, edge: 0, unknown: 0 },
  };
  for (const r of resources) {
    s[r.level] += 1;
    s.statuses[r.status] = (s.statuses[r.status] ?? 0) + 1;
    s.sources[r.source] += 1;
  }
  return s;
}

export async function checkMetaServer(opts: MetaserverCheckOptions = {}): Promise<MetaserverReport> {
  const timeoutMs = positive('--timeout', opts.timeoutMs, DEFAULT_TIMEOUT_MS);
  const watchTimeoutMs = positive('--watch-timeout', opts.watchTimeoutMs, DEFAULT_WATCH_TIMEOUT_MS);
  const cilium = resolveCilium(opts);
  const addr = resolveAddress(opts);
  const ep: Endpoint = { host: addr.host, port: addr.port };
  const list = agentResources(cilium.chartVersion);
  const strict = opts.strict === true;
  const down = await probe(ep, timeoutMs);
  // The CRD list first: cilium.io resources without a CRD are never asked for (crds.ts).
  const crds = down ? undefined : await installedCrds(ep, timeoutMs);
  const resources = down
    ? list.map((r) => evaluate(r, { ok: false, failure: down, ms: 0 }, null, { strict }))
    : await pool(list, opts.concurrency ?? DEFAULT_CONCURRENCY, async (r) => {
        const may = mayAsk(r, crds);
        return may.ask
          ? checkOne(ep, r, { timeoutMs, watchMs: watchTimeoutMs, strict })
          : unasked(r, may.status, { strict });
      });
  const summary = summarize(resources);
  return {
    metaServer: { ...addr, reachable: !down, reason: down ? down.message : null },
    ciliumVersion: cilium.version,
    ciliumVersionFrom: cilium.from,
    chartVersion: cilium.chartVersion,
    timeoutMs,
    watchTimeoutMs,
    resources,
    summary,
    ok: summary.fail === 0,
  };
}

/** The command: check, print in `format`, exit 0 when everything the agent needs works, 1 otherwise. */
export async function metaserverCheck(io: Io, opts: MetaserverCheckOptions = {}): Promise<number> {
  const report = await checkMetaServer(opts);
  emit(io, opts.format ?? 'human', report, () => renderMetaserverCheck(report, io.color));
  return report.ok ? 0 : 1;
}
