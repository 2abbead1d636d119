// One Hubble flow line as `hubble observe -o json` prints it: a GetFlowsResponse
// ({"flow":{…},"node_name":…,"time":…}) or, in the legacy form, the bare flow.
// Field names follow cilium/cilium api/v1/flow/flow.proto and observer.proto
// (protojson: snake_case except IP, Type, Summary). Only what the summary needs is read.
import { dropReasonName } from '../knowledge/hubble.ts';

export interface FlowEndpoint {
  ID?: number;
  identity?: number;
  namespace?: string;
  labels?: string[];
  pod_name?: string;
}

export interface Flow {
  verdict?: string;
  drop_reason?: number;
  drop_reason_desc?: string;
  IP?: { source?: string; destination?: string };
  l4?: Record<string, { source_port?: number; destination_port?: number; type?: number } | undefined>;
  source?: FlowEndpoint;
  destination?: FlowEndpoint;
  node_name?: string;
  l7?: {
    type?: string;
    latency_ns?: string | number;
    dns?: { query?: string; rcode?: number };
    http?: { code?: number; method?: string; url?: string };
  };
}

/** What a parsed line turned out to be. */
export type LineKind =
  | { kind: 'flow'; flow: Flow; node: string }
  | { kind: 'lost'; lost: number }
  | { kind: 'other' }
  | { kind: 'malformed'; error: string };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Classifies one parsed JSON value: a wrapped flow, a bare (legacy) flow, lost events, or another response kind. */
export function classify(value: unknown): LineKind {
  if (!isObject(value)) return { kind: 'malformed', error: 'not a JSON object' };
  const wrapped = value['flow'];
  if (wrapped !== undefined) {
    if (!isObject(wrapped)) return { kind: 'malformed', error: '"flow" is not an object' };
    const node =
      typeof value['node_name'] === 'string'
        ? value['node_name']
        : typeof wrapped['node_name'] === 'string'
          ? wrapped['node_name']
          : '';
    return { kind: 'flow', flow: wrapped as Flow, node };
  }
  // Legacy bare flow: a flow has a verdict or at least source/destination/IP.
  if ('verdict' in value || 'IP' in value || ('source' in value && 'destination' in value)) {
    return {
      kind: 'flow',
      flow: value as Flow,
      node: typeof value['node_name'] === 'string' ? value['node_name'] : '',
    };
  }
  const lost = value['lost_events'];
  if (isObject(lost)) return { kind: 'lost', lost: Number(lost['num_events_lost'] ?? 0) || 0 };
  // node_status and other GetFlowsResponse kinds carry no flow: not an error.
  if ('node_status' in value || 'node_name' in value || 'time' in value) return { kind: 'other' };
  return {
    kind: 'malformed',
    error: 'neither a flow nor a GetFlowsResponse (no "flow", "verdict", "IP" or "source"/"destination")',
  };
}

/** Proto3 JSON omits zero values: a missing verdict is VERDICT_UNKNOWN. */
export function verdictOf(f: Flow): string {
  return typeof f.verdict === 'string' && f.verdict !== '' ? f.verdict : 'VERDICT_UNKNOWN';
}

/** drop_reason_desc (enum name), else the deprecated numeric drop_reason. */
export function dropReasonOf(f: Flow): string {
  if (typeof f.drop_reason_desc === 'string' && f.drop_reason_desc !== '') return f.drop_reason_desc;
  if (typeof f.drop_reason === 'number' && f.drop_reason > 0) return dropReasonName(f.drop_reason);
  return 'DROP_REASON_UNKNOWN';
}

/**
 * A readable endpoint name: namespace/pod; else the reserved identity label
 * (reserved:world, reserved:host …); else identity N; else the IP.
 */
export function endpointName(e: FlowEndpoint | undefined, ip: string | undefined): string {
  if (e) {
    if (e.pod_name) return e.namespace ? `${e.namespace}/${e.pod_name}` : e.pod_name;
    const labels = e.labels;
    if (Array.isArray(labels)) {
      for (const l of labels) if (typeof l === 'string' && l.startsWith('reserved:')) return l;
    }
    if (e.namespace) return `${e.namespace}/identity:${e.identity ?? 0}`;
    if (typeof e.identity === 'number' && e.identity > 0) return `identity:${e.identity}`;
  }
  return ip ?? 'unknown';
}

/** The L4 protocol key (TCP, UDP, SCTP, ICMPv4, ICMPv6) and destination port (ICMP: type). */
export function l4Of(f: Flow): { protocol: string; port: number | null } {
  const l4 = f.l4;
  if (!isObject(l4)) return { protocol: 'unknown', port: null };
  for (const protocol in l4) {
    const v = l4[protocol];
    if (!v) continue;
    if (protocol.startsWith('ICMP')) return { protocol, port: typeof v.type === 'number' ? v.type : 0 };
    return { protocol, port: typeof v.destination_port === 'number' ? v.destination_port : 0 };
  }
  return { protocol: 'unknown', port: null };
}
