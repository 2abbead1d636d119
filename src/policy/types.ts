// The policy model every source kind (KNP, CNP, CCNP) is normalised into. One PolicySet is
// one Cilium rule: a KNP, a CNP `spec`, or one entry of a CNP `specs` list.
import type { Cidr } from '../util/cidr.ts';
import type { Selector } from './selector.ts';

export type PolicyKind = 'NetworkPolicy' | 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy';
export type Direction = 'ingress' | 'egress';
export type L4Proto = 'TCP' | 'UDP' | 'SCTP';
export type FlowProto = L4Proto | 'ICMP';

export interface PolicyRef {
  kind: PolicyKind;
  name: string;
  /** Absent for CiliumClusterwideNetworkPolicy. */
  namespace?: string;
  file: string;
}

export interface PortMatch {
  /** ANY matches TCP, UDP and SCTP (never ICMP). */
  protocol: L4Proto | 'ANY';
  /** Absent (with no name) = every port of the protocol. */
  port?: number;
  endPort?: number;
  /** Named port, resolved against the destination pod's container ports. */
  name?: string;
}

export interface HttpMatch {
  method?: string;
  path?: string;
  host?: string;
  headers: string[];
}

export interface PortRule {
  /** Empty = every port and L4 protocol. */
  ports: PortMatch[];
  /** Present = L7 HTTP rules restrict requests on these ports. */
  http?: HttpMatch[];
  /** Other L7 kinds (dns, kafka, l7proto): parsed, not evaluated (see PolicySet notes). */
  otherL7?: string;
}

export interface IcmpMatch {
  family: 'IPv4' | 'IPv6';
  type: number;
}

export type Peer =
  | { type: 'all' }
  | { type: 'endpoints'; selector: Selector }
  | { type: 'cidr'; cidr: Cidr; except: Cidr[] }
  | { type: 'entity'; entity: string };

export interface Rule {
  /** Field path of the rule in its document, e.g. `spec.ingress[0]`. */
  path: string;
  /** Rule kind for explanations. */
  effect: 'allow' | 'deny';
  /** Peers selected; empty = none (the rule allows nothing). */
  peers: Peer[];
  /** Undefined = all traffic (an L3-only rule); otherwise the flow must match a port rule or an ICMP field. */
  l4?: { ports: PortRule[]; icmps: IcmpMatch[] };
}

export interface PolicySet {
  ref: PolicyRef;
  /** Path of this rule in the document: `spec`, `specs[1]`. */
  path: string;
  /** Selects the endpoints the rule applies to (namespace already folded in). */
  subject: Selector;
  /** nodeSelector (host policy): parsed and validated, not evaluated. */
  hostPolicy: boolean;
  defaultDeny: Record<Direction, boolean>;
  allow: Record<Direction, Rule[]>;
  deny: Record<Direction, Rule[]>;
  /** fromRequires / toRequires selectors: apply to every allow rule selecting the same subject. */
  requires: Record<Direction, Selector[]>;
}
