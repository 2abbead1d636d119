// Flows view model: Hubble JSON lines → the flows summariser's summary (src/flows) plus
// verdicts over time per site, in one pass. Pure apart from reading the lines it is given.
import { classify, verdictOf } from '../flows/flow.ts';
import type { Grouper } from '../flows/grouping.ts';
import { FlowSummarizer } from '../flows/summarize.ts';
import type { FlowsView } from './types.ts';

/** At most this many time buckets: the bucket width follows the span of the flows. */
export const MAX_BUCKETS = 60;
const WIDTHS_S = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 21600, 86400];

interface Point {
  t: number;
  site: string;
  verdict: string;
}

export function bucketSeconds(spanMs: number, max = MAX_BUCKETS): number {
  return WIDTHS_S.find((w) => spanMs / (w * 1000) < max) ?? WIDTHS_S[WIDTHS_S.length - 1]!;
}

const timeOf = (v: unknown, flowTime: unknown): number | undefined => {
  const s = typeof flowTime === 'string' ? flowTime : typeof v === 'string' ? v : undefined;
  const t = s === undefined ? NaN : Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
};

export function flowsView(
  lines: Iterable<string>,
  opts: { source: string; grouper?: Grouper; top?: number },
): FlowsView {
  const s = new FlowSummarizer({
    by: 'group',
    ...(opts.grouper ? { grouper: opts.grouper } : {}),
    top: opts.top ?? 10,
  });
  const siteOf = (node: string): string =>
    s.by === 'group' && opts.grouper ? opts.grouper.groupOf(node) : node || '(unknown node)';
  const points: Point[] = [];
  let n = 0;
  for (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    // The summariser counts everything (malformed lines too); the time series needs the flow's time.
    s.addLine(line, n);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const c = classify(value);
    if (c.kind !== 'flow') continue;
    const rec = value as { time?: unknown; flow?: { time?: unknown } };
    const t = timeOf(rec.time, rec.flow?.time ?? (c.flow as { time?: unknown }).time);
    if (t !== undefined) points.push({ t, site: siteOf(c.node || c.flow.node_name || ''), verdict: verdictOf(c.flow) });
  }
  const sum = s.summary();
  const t0 = points.reduce((a, p) => Math.min(a, p.t), Infinity);
  const t1 = points.reduce((a, p) => Math.max(a, p.t), -Infinity);
  const width = points.length ? bucketSeconds(t1 - t0) : 60;
  const start = points.length ? Math.floor(t0 / (width * 1000)) * width * 1000 : 0;
  const count = points.length ? Math.floor((t1 - start) / (width * 1000)) + 1 : 0;
  const series = new Map<string, Record<string, number[]>>();
  for (const p of points) {
    let v = series.get(p.site);
    if (!v) series.set(p.site, (v = {}));
    const arr = (v[p.verdict] ??= new Array<number>(count).fill(0));
    arr[Math.floor((p.t - start) / (width * 1000))]!++;
  }
  return {
    source: opts.source,
    total: sum.total,
    malformed: sum.malformed,
    by: sum.by,
    buckets: Array.from({ length: count }, (_, i) => new Date(start + i * width * 1000).toISOString()),
    bucketSeconds: width,
    series: [...series].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([site, verdicts]) => ({ site, verdicts })),
    byVerdict: sum.byVerdict,
    topDropReasons: Object.entries(sum.byDropReason)
      .sort((a, b) => b[1] - a[1])
      .slice(0, opts.top ?? 10)
      .map(([reason, count]) => ({ reason, count })),
    policyDenies: sum.policyDenies,
    sites: Object.entries(sum.byGroup).map(([site, r]) => ({
      site,
      total: r.total,
      dropped: r.dropped,
      policyDenied: r.policyDenied,
    })),
    dns: sum.dns
      ? {
          queries: sum.dns.queries,
          byRcode: sum.dns.byRcode,
          topQueries: sum.dns.topQueries,
          topNxdomain: sum.dns.topNxdomain,
        }
      : null,
    http: sum.http
      ? {
          requests: sum.http.requests,
          byStatus: sum.http.byStatus,
          meanLatencyMs: sum.http.meanLatencyMs,
          topPaths: sum.http.topPaths,
        }
      : null,
  };
}
