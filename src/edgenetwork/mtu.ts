// Pod MTU per edge group, computed the way Cilium does (pkg/mtu/mtu.go getRouteMTU):
// the agent is given the link MTU as its base (`--mtu`) and subtracts the overheads.
import { MTU } from '../knowledge/cilium.ts';
import type { EdgeGroup, EdgeNetwork } from './types.ts';

export interface MtuPlan {
  /** The path MTU stated for the group's link; passed to the agent as --mtu. */
  link: number;
  tunnel: number;
  encryption: number;
  overhead: number;
  /** MTU of pod interfaces and routes. */
  pod: number;
}

export function podMtu(spec: EdgeNetwork['spec'], g: EdgeGroup): MtuPlan {
  const tunnel = spec.cilium.routing.mode === 'tunnel' ? (g.link.ipv6Underlay ? MTU.tunnelIPv6 : MTU.tunnelIPv4) : 0;
  const type = spec.cilium.encryption.type;
  // ztunnel encrypts in user space (HBONE over TCP): no per-packet overhead on the pod route.
  const encryption = type === 'wireguard' ? MTU.wireguard : type === 'ipsec' ? MTU.ipsec : 0;
  const overhead = tunnel + encryption;
  return { link: g.link.mtu, tunnel, encryption, overhead, pod: g.link.mtu - overhead };
}
