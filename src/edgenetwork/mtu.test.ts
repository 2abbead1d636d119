import { describe, expect, it } from 'vitest';
import { podMtu } from './mtu.ts';
import { baseRaw, set, valid } from '../../test/specs.ts';

// Expected values follow Cilium's pkg/mtu getRouteMTU for a 1500-byte base MTU.
const cases: Array<[string, Record<string, unknown>, number]> = [
  ['vxlan tunnel', {}, 1450],
  ['geneve tunnel', { 'spec.cilium.routing.protocol': 'geneve' }, 1450],
  ['tunnel over IPv6', { 'spec.edgeGroups.0.link.ipv6Underlay': true }, 1430],
  ['native routing', { 'spec.cilium.routing': { mode: 'native', nativeRoutingCIDR: '10.32.0.0/11' } }, 1500],
  ['WireGuard + tunnel', { 'spec.cilium.encryption.type': 'wireguard' }, 1370],
  [
    'WireGuard native',
    {
      'spec.cilium.encryption.type': 'wireguard',
      'spec.cilium.routing': { mode: 'native', nativeRoutingCIDR: '10.32.0.0/11' },
    },
    1420,
  ],
  ['IPsec + tunnel', { 'spec.cilium.encryption.type': 'ipsec' }, 1373],
  [
    'IPsec native',
    {
      'spec.cilium.encryption.type': 'ipsec',
      'spec.cilium.routing': { mode: 'native', nativeRoutingCIDR: '10.32.0.0/11' },
    },
    1423,
  ],
];

describe('podMtu', () => {
  it.each(cases)('%s', (_name, changes, expected) => {
    const raw = baseRaw();
    for (const [k, v] of Object.entries(changes)) set(raw, k, v);
    const n = valid(raw);
    const m = podMtu(n.spec, n.spec.edgeGroups[0]!);
    expect(m.link).toBe(1500);
    expect(m.pod).toBe(expected);
    expect(m.link - m.overhead).toBe(m.pod);
  });

  it('follows the link MTU of the group', () => {
    const n = valid(
      set(set(baseRaw(), 'spec.edgeGroups.0.link.mtu', 1420), 'spec.cilium.encryption.type', 'wireguard'),
    );
    expect(podMtu(n.spec, n.spec.edgeGroups[0]!).pod).toBe(1290);
  });
});
