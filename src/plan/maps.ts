// BPF map sizes and agent memory per edge group, with Cilium's own sizing formula
// (pkg/maps/mapsize: getDynamicSizeCalculator / calculateDynamicBPFMapSizes).
import { AGENT_MEMORY, BPF_MAPS as M } from '../knowledge/cilium.ts';
import type { EdgeGroup, EdgeNetwork } from '../edgenetwork/types.ts';

export interface MapSizes {
  ctTcp: number;
  ctAny: number;
  nat: number;
  neigh: number;
  sockRevNat: number;
  policy: number;
}

export interface MemoryEstimate {
  maps: MapSizes;
  /** Bytes, by part. */
  breakdown: {
    agentBase: number;
    clusterState: number;
    conntrackNat: number;
    policyMaps: number;
    serviceMaps: number;
    l7Proxy: number;
  };
  estimateBytes: number;
  budgetBytes: number;
  withinBudget: boolean;
}

/** Entries Cilium gives the CT/NAT/neighbour/sock-rev-NAT maps on a node with `totalMemory` bytes. */
export function dynamicMapSizes(totalMemory: number, ratio: number): Omit<MapSizes, 'policy'> {
  const available = Math.floor(totalMemory * ratio);
  const totalDefault =
    M.ctTcpDefault * M.sizeofCT +
    M.ctAnyDefault * M.sizeofCT +
    M.natDefault * M.sizeofNAT +
    M.natDefault * M.sizeofNeigh +
    M.sockRevNatDefault * M.sizeofSockRev;
  const calc = (def: number, min: number, max: number): number => {
    const entries = Math.floor((def * available) / totalDefault);
    return entries < min ? min : entries > max ? max : entries;
  };
  const ctTcp = calc(M.ctTcpDefault, M.ctTcpMin, M.tableMax);
  const ctAny = calc(M.ctAnyDefault, M.ctAnyMin, M.tableMax);
  let nat = calc(M.natDefault, M.natMin, M.tableMax);
  if (nat > ctTcp + ctAny) nat = Math.floor(((ctTcp + ctAny) * 2) / 3);
  return { ctTcp, ctAny, nat, neigh: nat, sockRevNat: calc(M.sockRevNatDefault, M.sockRevNatMin, M.tableMax) };
}

/** Total nodes the agent keeps state for: cloud side is unknown, so edge nodes plus a margin of 10. */
function clusterNodes(spec: EdgeNetwork['spec']): number {
  return spec.edgeGroups.reduce((n, g) => n + (g.nodes ?? 0), 0) + 10;
}

export function estimateMemory(spec: EdgeNetwork['spec'], g: EdgeGroup): MemoryEstimate {
  const dyn = dynamicMapSizes(g.memory, g.bpf.mapDynamicSizeRatio);
  const maps: MapSizes = { ...dyn, policy: g.bpf.policyMapMax };
  const conntrackNat =
    dyn.ctTcp * M.sizeofCT +
    dyn.ctAny * M.sizeofCT +
    dyn.nat * M.sizeofNAT +
    dyn.neigh * M.sizeofNeigh +
    dyn.sockRevNat * M.sizeofSockRev;
  // One policy map per endpoint, preallocated: pods plus the host endpoint and the health endpoint.
  const policyMaps = (g.maxPods + 2) * g.bpf.policyMapMax * M.sizeofPolicyEntry;
  const serviceMaps = M.lbMapMaxDefault * M.sizeofLBEntry;
  const breakdown = {
    agentBase: AGENT_MEMORY.baseBytes,
    clusterState: clusterNodes(spec) * AGENT_MEMORY.perClusterNodeBytes,
    conntrackNat,
    policyMaps,
    serviceMaps,
    l7Proxy: spec.cilium.l7Proxy ? AGENT_MEMORY.embeddedEnvoyBytes : 0,
  };
  const estimateBytes = Object.values(breakdown).reduce((a, b) => a + b, 0);
  const budgetBytes = Math.floor((g.memory * g.memoryBudgetPercent) / 100);
  return { maps, breakdown, estimateBytes, budgetBytes, withinBudget: estimateBytes <= budgetBytes };
}
