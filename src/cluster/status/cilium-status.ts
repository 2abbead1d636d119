// Summary of one agent's `cilium-dbg status -o json` (the agent API's StatusResponse,
// cilium/cilium api/v1/models/status_response.go: "cilium", "kubernetes", "kvstore" are
// Status {state: Ok|Warning|Failure|Disabled, msg}; "controllers" is a list of
// ControllerStatus {name, status{consecutive-failure-count, last-failure-msg}};
// "cluster".ciliumHealth a Status; "encryption".mode; "kube-proxy-replacement".mode;
// "ipam".allocations a map of IP to owner).
import { asArr, asNum, asRec, asStr } from '../snapshot/state.ts';

/** The command kec runs in the agent container. */
export const CILIUM_DBG_STATUS = ['cilium-dbg', 'status', '-o', 'json'];

export interface CiliumStatusSummary {
  health: 'ok' | 'warning' | 'failure';
  cilium: string;
  kubernetes: string;
  kvstore?: string;
  controllers: { total: number; failing: number; failingNames: string[] };
  clusterHealth?: string;
  ipamAllocated?: number;
  encryption?: string;
  kubeProxyReplacement?: string;
  /** WireGuard peers of the agent (encryption.wireguard.interfaces[].peers): endpoint and last handshake. */
  wireguardPeers?: Array<{ endpoint: string; lastHandshake?: string }>;
  /** IPsec (encryption.ipsec): keys in use and XFRM error counters. */
  ipsec?: { keysInUse: number; errors: Record<string, number> };
  /** Problems worth a line each (state and message of non-Ok components, failing controllers). */
  problems: string[];
}

const COMPONENTS = [
  ['cilium', 'cilium'],
  ['kubernetes', 'kubernetes'],
  ['kvstore', 'kvstore'],
  ['container-runtime', 'container runtime'],
  ['cni-file', 'CNI config file'],
  ['auth-certificate-provider', 'auth certificate provider'],
] as const;

/** Parses and summarises the JSON text; throws Error when it is not a StatusResponse. */
export function summariseCiliumStatus(text: string): CiliumStatusSummary {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`cilium-dbg status printed no JSON: ${text.trim().split('\n')[0]?.slice(0, 120) ?? ''}`);
  }
  const s = asRec(raw);
  if (!('cilium' in s) && !('kubernetes' in s))
    throw new Error('cilium-dbg status JSON has neither "cilium" nor "kubernetes"');
  const problems: string[] = [];
  let worst: CiliumStatusSummary['health'] = 'ok';
  const note = (level: 'warning' | 'failure', line: string): void => {
    problems.push(line);
    if (level === 'failure' || worst === 'ok') worst = level;
  };
  const stateOf = (key: string): string | undefined => asStr(asRec(s[key])['state']);
  for (const [key, label] of COMPONENTS) {
    const st = stateOf(key);
    if (st === undefined || st === 'Ok' || st === 'Disabled') continue;
    const msg = asStr(asRec(s[key])['msg']) ?? '';
    note(st === 'Failure' ? 'failure' : 'warning', `${label}: ${st}${msg ? ` (${msg})` : ''}`);
  }
  const controllers = asArr(s['controllers']).map(asRec);
  const failing = controllers.filter((c) => asNum(asRec(c['status'])['consecutive-failure-count']) > 0);
  for (const c of failing.slice(0, 5)) {
    const st = asRec(c['status']);
    note(
      'warning',
      `controller ${asStr(c['name']) ?? '?'} failing (${asNum(st['consecutive-failure-count'])}x): ${asStr(st['last-failure-msg']) ?? ''}`.trimEnd(),
    );
  }
  if (failing.length > 5) problems.push(`... and ${failing.length - 5} more failing controllers`);
  const health = asRec(asRec(s['cluster'])['ciliumHealth']);
  const healthState = asStr(health['state']);
  if (healthState !== undefined && healthState !== 'Ok' && healthState !== 'Disabled') {
    note('warning', `cilium-health: ${healthState}${asStr(health['msg']) ? ` (${asStr(health['msg'])})` : ''}`);
  }
  const out: CiliumStatusSummary = {
    health: worst,
    cilium: stateOf('cilium') ?? 'unknown',
    kubernetes: stateOf('kubernetes') ?? 'unknown',
    controllers: {
      total: controllers.length,
      failing: failing.length,
      failingNames: failing.map((c) => asStr(c['name']) ?? '?'),
    },
    problems,
  };
  const kv = stateOf('kvstore');
  if (kv !== undefined) out.kvstore = kv;
  if (healthState !== undefined) out.clusterHealth = healthState;
  const alloc = asRec(s['ipam'])['allocations'];
  if (alloc !== undefined) out.ipamAllocated = Object.keys(asRec(alloc)).length;
  const enc = asStr(asRec(s['encryption'])['mode']);
  if (enc !== undefined) out.encryption = enc;
  const wg = asRec(asRec(s['encryption'])['wireguard']);
  const peers = asArr(wg['interfaces'])
    .map(asRec)
    .flatMap((i) => asArr(i['peers']).map(asRec))
    .map((p) => {
      const hs = asStr(p['last-handshake-time']);
      return { endpoint: asStr(p['endpoint']) ?? '', ...(hs !== undefined ? { lastHandshake: hs } : {}) };
    });
  if (peers.length) out.wireguardPeers = peers;
  const ipsec = asRec(asRec(s['encryption'])['ipsec']);
  if (Object.keys(ipsec).length)
    out.ipsec = {
      keysInUse: asNum(ipsec['keys-in-use']),
      errors: Object.fromEntries(Object.entries(asRec(ipsec['xfrm-errors'])).map(([k, v]) => [k, asNum(v)])),
    };
  const kpr = asStr(asRec(s['kube-proxy-replacement'])['mode']);
  if (kpr !== undefined) out.kubeProxyReplacement = kpr;
  return out;
}
