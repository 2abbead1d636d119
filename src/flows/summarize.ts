// The flow summariser: a library function over an async iterable of lines (so the CLI,
// the follow mode and the tests share it). One pass, JSON.parse per line, bounded maps:
// memory does not grow with the number of lines.
import { classify, dropReasonOf, endpointName, l4Of, verdictOf } from './flow.ts';
import type { Flow } from './flow.ts';
import { Counter, DEFAULT_MAX_KEYS, OTHER } from './counter.ts';
import { L7Summary } from './l7.ts';
import type { DnsSummary, HttpSummary } from './l7.ts';
import type { Grouper } from './grouping.ts';
import { POLICY_DENY_REASONS } from '../knowledge/hubble.ts';

export type BreakdownBy = 'group' | 'node' | 'namespace' | 'pod';
export const BREAKDOWNS: readonly BreakdownBy[] = ['group', 'node', 'namespace', 'pod'];
export const MALFORMED_SHOWN = 5;

export interface SummarizeOptions {
  by?: BreakdownBy;
  /** Node → group; without one (or with source "none") a group breakdown falls back to nodes. */
  grouper?: Grouper;
  /** Length of the top lists (policy denies, talkers, DNS names, HTTP paths). */
  top?: number;
  /** Distinct keys kept per table before counting under "(other)". */
  maxKeys?: number;
}

export interface PolicyDeny {
  source: string;
  destination: string;
  port: number | null;
  protocol: string;
  count: number;
}
export interface Talker {
  source: string;
  destination: string;
  count: number;
  dropped: number;
}
export interface BreakdownRow {
  total: number;
  byVerdict: Record<string, number>;
  dropped: number;
  policyDenied: number;
  byDropReason: Record<string, number>;
}

export interface FlowSummary {
  /** Flows counted (wrapped and legacy bare flows). */
  total: number;
  malformed: number;
  /** The first few malformed lines: 1-based line number and why. */
  malformedLines: Array<{ line: number; error: string }>;
  /** Non-empty lines read, including malformed and non-flow responses. */
  lines: number;
  /** Events Hubble reported as lost (lost_events.num_events_lost). */
  lostEvents: number;
  byVerdict: Record<string, number>;
  byDropReason: Record<string, number>;
  policyDenies: PolicyDeny[];
  topTalkers: Talker[];
  dns: DnsSummary | null;
  http: HttpSummary | null;
  /** The breakdown actually used for byGroup (a group breakdown without node labels falls back to node). */
  by: BreakdownBy;
  grouping: 'spec+nodes' | 'nodes' | 'none';
  byGroup: Record<string, BreakdownRow>;
}

class Row {
  total = 0;
  dropped = 0;
  policyDenied = 0;
  readonly verdicts = new Counter(64);
  readonly reasons = new Counter(256);
  toJSON(): BreakdownRow {
    return {
      total: this.total,
      byVerdict: this.verdicts.toObject(),
      dropped: this.dropped,
      policyDenied: this.policyDenied,
      byDropReason: this.reasons.toObject(),
    };
  }
}

export class FlowSummarizer {
  private total = 0;
  private lines = 0;
  private malformed = 0;
  private readonly malformedLines: Array<{ line: number; error: string }> = [];
  private lost = 0;
  private readonly verdicts = new Counter(64);
  private readonly reasons = new Counter(256);
  private readonly denies: Counter;
  private readonly talkers: Counter;
  private readonly talkerDrops: Counter;
  private readonly rows = new Map<string, Row>();
  private readonly l7: L7Summary;
  private readonly maxKeys: number;
  private readonly top: number;
  readonly by: BreakdownBy;
  private readonly grouper: Grouper | undefined;

  constructor(opts: SummarizeOptions = {}) {
    this.maxKeys = opts.maxKeys ?? DEFAULT_MAX_KEYS;
    this.top = opts.top ?? 10;
    this.grouper = opts.grouper;
    const by = opts.by ?? 'group';
    this.by = by === 'group' && (!this.grouper || this.grouper.source === 'none') ? 'node' : by;
    this.denies = new Counter(this.maxKeys);
    this.talkers = new Counter(this.maxKeys);
    this.talkerDrops = new Counter(this.maxKeys);
    this.l7 = new L7Summary(this.maxKeys);
  }

  /** Adds one line; lineNo is 1-based (defaults to the count of lines seen). */
  addLine(line: string, lineNo?: number): void {
    if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '')) return;
    this.lines++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      this.bad(lineNo ?? this.lines, `not JSON (${(e as Error).message})`);
      return;
    }
    const c = classify(value);
    if (c.kind === 'flow') this.addFlow(c.flow, c.node);
    else if (c.kind === 'lost') this.lost += c.lost;
    else if (c.kind === 'malformed') this.bad(lineNo ?? this.lines, c.error);
  }

  /** A line too long to be a flow, dropped unread by the line splitter: counted as malformed. */
  addOverlong(lineNo: number, maxBytes: number): void {
    this.lines++;
    this.bad(lineNo, `longer than ${Math.round(maxBytes / 1024)} KiB; skipped unread`);
  }

  private bad(line: number, error: string): void {
    this.malformed++;
    if (this.malformedLines.length < MALFORMED_SHOWN) this.malformedLines.push({ line, error });
  }

  addFlow(f: Flow, node: string): void {
    this.total++;
    const verdict = verdictOf(f);
    this.verdicts.add(verdict);
    const src = endpointName(f.source, f.IP?.source);
    const dst = endpointName(f.destination, f.IP?.destination);
    const pair = `${src}\t${dst}`;
    this.talkers.add(pair);
    const row = this.row(this.keyFor(f, node || f.node_name || '(unknown node)'));
    row.total++;
    row.verdicts.add(verdict);
    if (verdict === 'DROPPED') {
      const reason = dropReasonOf(f);
      this.reasons.add(reason);
      this.talkerDrops.add(pair);
      row.dropped++;
      row.reasons.add(reason);
      if (POLICY_DENY_REASONS.has(reason)) {
        row.policyDenied++;
        const { protocol, port } = l4Of(f);
        this.denies.add(`${pair}\t${port ?? ''}\t${protocol}`);
      }
    }
    if (f.l7) this.l7.add(f.l7);
  }

  private keyFor(f: Flow, node: string): string {
    switch (this.by) {
      case 'group':
        return this.grouper!.groupOf(node);
      case 'node':
        return node;
      case 'namespace':
        return f.source?.namespace || f.destination?.namespace || '(no namespace)';
      case 'pod':
        return f.source?.pod_name
          ? endpointName(f.source, undefined)
          : f.destination?.pod_name
            ? endpointName(f.destination, undefined)
            : '(no pod)';
    }
  }

  private row(key: string): Row {
    let r = this.rows.get(key);
    if (r === undefined) {
      if (this.rows.size >= this.maxKeys) key = OTHER;
      r = this.rows.get(key);
      if (r === undefined) this.rows.set(key, (r = new Row()));
    }
    return r;
  }

  summary(): FlowSummary {
    const policyDenies = this.denies.top(this.top).map(([k, count]): PolicyDeny => {
      const [source = '', destination = '', port = '', protocol = ''] = k.split('\t');
      return { source, destination, port: port === '' ? null : Number(port), protocol, count };
    });
    const topTalkers = this.talkers.top(this.top).map(([k, count]): Talker => {
      const [source = '', destination = OTHER] = k.split('\t');
      return { source, destination, count, dropped: this.talkerDrops.get(k) };
    });
    const rows = [...this.rows].sort((a, b) => b[1].total - a[1].total || (a[0] < b[0] ? -1 : 1));
    return {
      total: this.total,
      malformed: this.malformed,
      malformedLines: [...this.malformedLines],
      lines: this.lines,
      lostEvents: this.lost,
      byVerdict: this.verdicts.toObject(),
      byDropReason: this.reasons.toObject(),
      policyDenies,
      topTalkers,
      dns: this.l7.dns(this.top),
      http: this.l7.http(this.top),
      by: this.by,
      grouping: this.grouper?.source ?? 'none',
      byGroup: Object.fromEntries(rows.map(([k, r]) => [k, r.toJSON()])),
    };
  }
}

/** Summarises Hubble JSON lines (`hubble observe -o json`, wrapped or legacy bare flows). */
export async function summarizeFlows(
  lines: AsyncIterable<string> | Iterable<string>,
  opts: SummarizeOptions = {},
): Promise<FlowSummary> {
  const s = new FlowSummarizer(opts);
  let n = 0;
  for await (const line of lines) s.addLine(line, ++n);
  return s.summary();
}
