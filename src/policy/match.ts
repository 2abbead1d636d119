// Matching one rule against one flow: peers (selectors, entities, CIDRs) and L4 (ports,
// named ports, ranges, protocols, ICMP). Shared by the per-pair evaluator and the compiler.
import type { Cidr } from '../util/cidr.ts';
import { cidrsOverlap } from '../util/cidr.ts';
import type { ContainerPort } from './inventory.ts';
import type { Endpoint } from './endpoints.ts';
import type { Labels } from './selector.ts';
import { CLUSTER_LABEL, matches } from './selector.ts';
import type { FlowProto, Peer, PortMatch, PortRule, Rule } from './types.ts';
import { ENTITY_RESERVED } from '../knowledge/cilium-policy.ts';

export interface FlowL4 {
  port: number;
  protocol: FlowProto;
}

export function entityMatches(entity: string, labels: Labels): boolean {
  if (entity === 'all') return true;
  if (entity === 'cluster' && labels.has('k8s', CLUSTER_LABEL)) return true;
  return (ENTITY_RESERVED[entity] ?? []).some((r) => labels.has('reserved', r));
}

function within(inner: Cidr, outer: Cidr): boolean {
  return inner.family === outer.family && inner.prefix >= outer.prefix && cidrsOverlap(inner, outer);
}

/**
 * CIDR rules only match addresses outside the cluster (world identities): an address is matched
 * when the rule's CIDR contains it and no except CIDR overlaps it. The bare `entity:world`
 * endpoint (no address) is matched only by 0.0.0.0/0 or ::/0.
 */
export function cidrMatches(peer: Extract<Peer, { type: 'cidr' }>, ep: Endpoint): boolean {
  if (ep.kind !== 'world') return false;
  if (!ep.cidr) return peer.cidr.prefix === 0 && peer.except.length === 0;
  return within(ep.cidr, peer.cidr) && !peer.except.some((x) => cidrsOverlap(x, ep.cidr!));
}

export function peerMatches(peer: Peer, ep: Endpoint, labels: Labels): boolean {
  switch (peer.type) {
    case 'all':
      return true;
    case 'endpoints':
      return matches(peer.selector, labels);
    case 'entity':
      return entityMatches(peer.entity, labels);
    case 'cidr':
      return cidrMatches(peer, ep);
  }
}

export function portMatches(pm: PortMatch, q: FlowL4, dstPorts: readonly ContainerPort[]): boolean {
  if (q.protocol === 'ICMP') return false;
  if (pm.protocol !== 'ANY' && pm.protocol !== q.protocol) return false;
  if (pm.name !== undefined)
    return dstPorts.some((c) => c.name === pm.name && c.port === q.port && c.protocol === q.protocol);
  if (pm.port === undefined) return true;
  return q.port >= pm.port && q.port <= (pm.endPort ?? pm.port);
}

/** The port rules of `rule` matching the flow; `all` for an L3-only rule; empty when L4 does not match. */
export function l4Matches(rule: Rule, q: FlowL4, dstPorts: readonly ContainerPort[]): PortRule[] | 'all' {
  if (!rule.l4) return 'all';
  if (q.protocol === 'ICMP') {
    // ICMP flows are IPv4 echo-style probes here: the "port" is the ICMP type.
    return rule.l4.icmps.some((m) => m.family === 'IPv4' && m.type === q.port) ? 'all' : [];
  }
  return rule.l4.ports.filter((pr) => pr.ports.length === 0 || pr.ports.some((pm) => portMatches(pm, q, dstPorts)));
}
