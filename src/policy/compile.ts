// The compiled engine: endpoints are grouped into identities (equal identity labels, as Cilium
// allocates them, refined by which named ports resolve to the queried port); every selector is
// evaluated once per identity (a selector cache), and each subject identity gets one bitset of
// allowed peer identities per direction. A matrix then costs identities × rules to build and
// one lookup per endpoint pair to read.
import type { Endpoint } from './endpoints.ts';
import { reservedLabels } from './endpoints.ts';
import type { FlowL4 } from './match.ts';
import { cidrMatches, entityMatches, l4Matches } from './match.ts';
import type { Labels, Selector } from './selector.ts';
import { matches } from './selector.ts';
import type { Direction, Peer, PolicySet, Rule } from './types.ts';

type Bits = Uint32Array;

interface Identity {
  labels: Labels;
  /** A representative endpoint (for CIDR matching and named ports). */
  ep: Endpoint;
  managed: boolean;
}

export interface Matrix {
  endpoints: Endpoint[];
  /** allowed[i * n + j]: flow from endpoints[i] to endpoints[j]. */
  allowed: Uint8Array;
  identities: number;
}

export function compileMatrix(sets: readonly PolicySet[], endpoints: Endpoint[], q: FlowL4): Matrix {
  const ids: Identity[] = [];
  const index = new Map<string, number>();
  const idOf = (key: string, make: () => Identity): number => {
    let i = index.get(key);
    if (i === undefined) {
      i = ids.length;
      ids.push(make());
      index.set(key, i);
    }
    return i;
  };
  const hostNode = (name: string): Endpoint => ({
    id: `entity:${name}`,
    kind: 'reserved',
    managed: false,
    labels: reservedLabels(name),
    ports: [],
  });
  const HOST = idOf('rel|host', () => ({ labels: reservedLabels('host'), ep: hostNode('host'), managed: false }));
  const REMOTE = idOf('rel|remote-node', () => ({
    labels: reservedLabels('remote-node'),
    ep: hostNode('remote-node'),
    managed: false,
  }));
  const epId = endpoints.map((ep) => {
    if (ep.kind === 'node') return -1; // resolved per pair: HOST or REMOTE
    const names = ep.ports
      .filter((c) => c.name !== undefined && c.port === q.port && c.protocol === q.protocol)
      .map((c) => c.name)
      .sort()
      .join(',');
    const key = ep.kind === 'world' ? `world|${ep.cidr?.text ?? ''}` : `${ep.kind}|${ep.labels.signature()}|${names}`;
    return idOf(key, () => ({ labels: ep.labels, ep, managed: ep.managed }));
  });
  const n = ids.length;
  const words = (n + 31) >>> 5;
  const empty = (): Bits => new Uint32Array(words);
  const full = empty();
  for (let i = 0; i < n; i++) full[i >>> 5]! |= 1 << (i & 31);

  const selCache = new Map<string, Bits>();
  const selectorBits = (s: Selector): Bits => {
    let b = selCache.get(s.text);
    if (!b) {
      b = empty();
      for (let i = 0; i < n; i++) if (matches(s, ids[i]!.labels)) b[i >>> 5]! |= 1 << (i & 31);
      selCache.set(s.text, b);
    }
    return b;
  };
  const peerBits = (p: Peer): Bits => {
    if (p.type === 'all') return full;
    if (p.type === 'endpoints') return selectorBits(p.selector);
    const key =
      p.type === 'entity' ? `entity:${p.entity}` : `cidr:${p.cidr.text}-${p.except.map((e) => e.text).join(',')}`;
    let b = selCache.get(key);
    if (!b) {
      b = empty();
      for (let i = 0; i < n; i++) {
        const id = ids[i]!;
        if (p.type === 'entity' ? entityMatches(p.entity, id.labels) : cidrMatches(p, id.ep))
          b[i >>> 5]! |= 1 << (i & 31);
      }
      selCache.set(key, b);
    }
    return b;
  };
  const ruleCache = new Map<Rule, Bits>();
  const rulePeers = (r: Rule): Bits => {
    let b = ruleCache.get(r);
    if (!b) {
      b = empty();
      for (const p of r.peers) or(b, peerBits(p));
      ruleCache.set(r, b);
    }
    return b;
  };
  // Egress L4 depends on the destination's named ports: a per-rule bitset of peers it matches.
  const egressL4 = new Map<Rule, Bits>();
  const egressL4Bits = (r: Rule): Bits => {
    let b = egressL4.get(r);
    if (!b) {
      b = empty();
      for (let i = 0; i < n; i++) if (l4Ok(r, q, ids[i]!.ep)) b[i >>> 5]! |= 1 << (i & 31);
      egressL4.set(r, b);
    }
    return b;
  };
  const hasNamed = (r: Rule): boolean =>
    r.l4?.ports.some((pr) => pr.ports.some((pm) => pm.name !== undefined)) ?? false;

  const allowed: Record<Direction, (Bits | undefined)[]> = { ingress: new Array(n), egress: new Array(n) };
  const live = sets.filter((s) => !s.hostPolicy);
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (!id.managed) continue;
    const applicable = live.filter((s) => matches(s.subject, id.labels));
    for (const dir of ['ingress', 'egress'] as Direction[]) {
      const ruleBits = (r: Rule): Bits | undefined => {
        // Egress to named ports depends on each peer's ports; otherwise L4 only depends on the subject.
        if (dir === 'egress' && hasNamed(r)) return and(rulePeers(r), egressL4Bits(r));
        return l4Ok(r, q, id.ep) ? rulePeers(r) : undefined;
      };
      const deny = empty();
      for (const s of applicable)
        for (const r of s.deny[dir]) {
          const b = ruleBits(r);
          if (b) or(deny, b);
        }
      let allow: Bits;
      if (applicable.some((s) => s.defaultDeny[dir])) {
        allow = empty();
        for (const s of applicable)
          for (const r of s.allow[dir]) {
            const b = ruleBits(r);
            if (b) or(allow, b);
          }
        for (const s of applicable) for (const sel of s.requires[dir]) andInPlace(allow, selectorBits(sel));
      } else allow = full.slice();
      // Ingress from the pod's own node is always allowed (allow-localhost), deny rules still win.
      if (dir === 'ingress') allow[HOST >>> 5]! |= 1 << (HOST & 31);
      andNotInPlace(allow, deny);
      allowed[dir][i] = allow;
    }
  }

  const m = endpoints.length;
  const out = new Uint8Array(m * m);
  const has = (b: Bits | undefined, j: number): boolean => b === undefined || (b[j >>> 5]! & (1 << (j & 31))) !== 0;
  for (let a = 0; a < m; a++) {
    const src = endpoints[a]!;
    for (let b = 0; b < m; b++) {
      const dst = endpoints[b]!;
      const sameNode = src.node !== undefined && src.node === dst.node;
      const srcId = epId[a]! >= 0 ? epId[a]! : sameNode ? HOST : REMOTE;
      const dstId = epId[b]! >= 0 ? epId[b]! : sameNode ? HOST : REMOTE;
      const eg = !src.managed || has(allowed.egress[srcId], dstId);
      const ing = !dst.managed || has(allowed.ingress[dstId], srcId);
      out[a * m + b] = eg && ing ? 1 : 0;
    }
  }
  return { endpoints, allowed: out, identities: n };
}

function l4Ok(r: Rule, q: FlowL4, dst: Endpoint): boolean {
  const m = l4Matches(r, q, dst.ports);
  return m === 'all' || m.length > 0;
}

function or(a: Bits, b: Bits): void {
  for (let i = 0; i < a.length; i++) a[i]! |= b[i]!;
}
function and(a: Bits, b: Bits): Bits {
  const o = a.slice();
  andInPlace(o, b);
  return o;
}
function andInPlace(a: Bits, b: Bits): void {
  for (let i = 0; i < a.length; i++) a[i]! &= b[i]!;
}
function andNotInPlace(a: Bits, b: Bits): void {
  for (let i = 0; i < a.length; i++) a[i]! &= ~b[i]!;
}
