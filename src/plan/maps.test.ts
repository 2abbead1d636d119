import { describe, expect, it } from 'vitest';
import { dynamicMapSizes, estimateMemory } from './maps.ts';
import { baseRaw, set, valid } from '../../test/specs.ts';

const GiB = 2 ** 30;

describe('dynamicMapSizes (Cilium pkg/maps/mapsize formula)', () => {
  // memory of all default-sized maps: CT TCP 524288, CT any 262144 (94 B), NAT and neighbour 524288 (94 B, 24 B), sock-rev-NAT 262144 (48 B)
  const totalDefault = 524288 * 94 + 262144 * 94 + 524288 * 94 + 524288 * 24 + 262144 * 48;

  it('clamps small boards to the floors', () => {
    expect(dynamicMapSizes(4 * GiB, 0.0025)).toEqual({
      ctTcp: 131072,
      ctAny: 65536,
      nat: 131072,
      neigh: 131072,
      sockRevNat: 65536,
    });
  });

  it('scales with memory above the floors exactly as the agent does', () => {
    const mem = 64 * GiB;
    const avail = Math.floor(mem * 0.0025);
    const expected = (def: number): number => Math.floor((def * avail) / totalDefault);
    const s = dynamicMapSizes(mem, 0.0025);
    expect(s.ctTcp).toBe(expected(524288));
    expect(s.ctAny).toBe(expected(262144));
    expect(s.nat).toBe(expected(524288));
    expect(s.neigh).toBe(s.nat);
    expect(s.sockRevNat).toBe(expected(262144));
    expect(s.ctTcp).toBeGreaterThan(524288);
  });

  it('caps every map at 16Mi entries', () => {
    const s = dynamicMapSizes(4096 * GiB, 1);
    expect(s.ctTcp).toBe(1 << 24);
    expect(s.ctAny).toBe(1 << 24);
    expect(s.nat).toBeLessThanOrEqual(s.ctTcp + s.ctAny);
  });
});

describe('estimateMemory', () => {
  it('adds agent, maps and per-endpoint policy maps and compares with the budget', () => {
    const n = valid(baseRaw());
    const e = estimateMemory(n.spec, n.spec.edgeGroups[0]!);
    const b = e.breakdown;
    expect(b.policyMaps).toBe(112 * 16384 * 24);
    expect(b.conntrackNat).toBe(131072 * 94 + 65536 * 94 + 131072 * 94 + 131072 * 24 + 65536 * 48);
    expect(e.estimateBytes).toBe(Object.values(b).reduce((x, y) => x + y, 0));
    expect(e.budgetBytes).toBe(Math.floor(4 * GiB * 0.3));
    expect(e.withinBudget).toBe(true);
  });

  it('fails a 512Mi board at the default budget and passes it with fewer pods and smaller policy maps', () => {
    const raw = set(baseRaw(), 'spec.edgeGroups.0.memory', '512Mi');
    const n = valid(raw);
    expect(estimateMemory(n.spec, n.spec.edgeGroups[0]!).withinBudget).toBe(false);
    set(raw, 'spec.edgeGroups.0.memoryBudgetPercent', 50);
    set(raw, 'spec.edgeGroups.0.maxPods', 20);
    set(raw, 'spec.edgeGroups.0.bpf.policyMapMax', 4096);
    set(raw, 'spec.cilium.l7Proxy', false);
    const m = valid(raw);
    expect(estimateMemory(m.spec, m.spec.edgeGroups[0]!).withinBudget).toBe(true);
  });
});
