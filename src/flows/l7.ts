// DNS and HTTP summaries from flows that carry L7 data (flow.l7, present when the
// proxy saw the traffic: DNS policies, L7 policies or visibility annotations).
import { Counter } from './counter.ts';
import type { Flow } from './flow.ts';
import { DNS_RCODES } from '../knowledge/hubble.ts';

export interface DnsSummary {
  queries: number;
  responses: number;
  /** Response codes by name; proto3 JSON omits rcode 0, so a response without one is NOERROR. */
  byRcode: Record<string, number>;
  topQueries: Array<{ query: string; count: number }>;
  /** Names answered NXDOMAIN most often (typical of search-path expansion or a wrong clusterDNS). */
  topNxdomain: Array<{ query: string; count: number }>;
}

export interface HttpSummary {
  requests: number;
  responses: number;
  byMethod: Record<string, number>;
  byStatus: Record<string, number>;
  /** Mean of latency_ns over responses that carry it, in milliseconds; null when none did. */
  meanLatencyMs: number | null;
  topPaths: Array<{ path: string; count: number }>;
}

function pathOf(url: string): string {
  // "http://reviews:9080/reviews/0?x=1" → "reviews:9080/reviews/0": host and path, no query.
  const scheme = url.indexOf('://');
  const rest = scheme >= 0 ? url.slice(scheme + 3) : url;
  const q = rest.search(/[?#]/);
  return q >= 0 ? rest.slice(0, q) : rest;
}

export class L7Summary {
  private dnsSeen = false;
  private dnsQueries = 0;
  private dnsResponses = 0;
  private readonly rcodes = new Counter(64);
  private readonly names: Counter;
  private readonly nx: Counter;
  private httpSeen = false;
  private httpRequests = 0;
  private httpResponses = 0;
  private readonly methods = new Counter(64);
  private readonly statuses = new Counter(128);
  private readonly paths: Counter;
  private latencySum = 0;
  private latencyCount = 0;

  constructor(maxKeys: number) {
    this.names = new Counter(maxKeys);
    this.nx = new Counter(maxKeys);
    this.paths = new Counter(maxKeys);
  }

  add(l7: NonNullable<Flow['l7']>): void {
    const isResponse = l7.type === 'RESPONSE';
    if (l7.dns) {
      this.dnsSeen = true;
      const query = l7.dns.query ?? '';
      if (isResponse) {
        this.dnsResponses++;
        const rcode = typeof l7.dns.rcode === 'number' ? l7.dns.rcode : 0;
        const name = DNS_RCODES[rcode] ?? `RCODE_${rcode}`;
        this.rcodes.add(name);
        if (rcode === 3) this.nx.add(query);
      } else if (l7.type === 'REQUEST') {
        this.dnsQueries++;
        this.names.add(query);
      }
    } else if (l7.http) {
      this.httpSeen = true;
      if (isResponse) {
        this.httpResponses++;
        this.statuses.add(String(l7.http.code ?? 0));
        const ns = Number(l7.latency_ns);
        if (l7.latency_ns !== undefined && Number.isFinite(ns)) {
          this.latencySum += ns;
          this.latencyCount++;
        }
      } else if (l7.type === 'REQUEST') {
        this.httpRequests++;
        this.methods.add(l7.http.method ?? 'UNKNOWN');
        this.paths.add(pathOf(l7.http.url ?? ''));
      }
    }
  }

  dns(top: number): DnsSummary | null {
    if (!this.dnsSeen) return null;
    return {
      queries: this.dnsQueries,
      responses: this.dnsResponses,
      byRcode: this.rcodes.toObject(),
      topQueries: this.names.top(top).map(([query, count]) => ({ query, count })),
      topNxdomain: this.nx.top(top).map(([query, count]) => ({ query, count })),
    };
  }

  http(top: number): HttpSummary | null {
    if (!this.httpSeen) return null;
    return {
      requests: this.httpRequests,
      responses: this.httpResponses,
      byMethod: this.methods.toObject(),
      byStatus: this.statuses.toObject(),
      meanLatencyMs: this.latencyCount ? Math.round(this.latencySum / this.latencyCount / 1e3) / 1e3 : null,
      topPaths: this.paths.top(top).map(([path, count]) => ({ path, count })),
    };
  }
}
