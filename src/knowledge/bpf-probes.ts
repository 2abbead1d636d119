// eBPF program and map types the Cilium datapath loads, per feature, named as
// `bpftool feature probe` names them (its JSON keys are have_<type>_prog_type /
// have_<type>_map_type). Source: cilium/cilium bpf/ (map definitions: LRU CT/NAT
// maps, LPM ipcache, prog_array tail calls, perf_event_array events, percpu metrics,
// hash_of_maps Maglev/policy), pkg/datapath/linux/probes (Cilium <= 1.15 ran
// `bpftool -j feature probe`), Documentation/operations/system_requirements.rst.
// `optional` types only limit an optional mode (XDP acceleration) and give a warning.

export interface ProbeRequirement {
  progTypes: readonly string[];
  mapTypes: readonly string[];
  optionalProgTypes?: readonly string[];
}

export const BPF_PROBES: Readonly<Record<string, ProbeRequirement>> = {
  base: {
    progTypes: ['sched_cls'],
    mapTypes: [
      'hash',
      'array',
      'prog_array',
      'perf_event_array',
      'percpu_hash',
      'percpu_array',
      'lru_hash',
      'lpm_trie',
      'hash_of_maps',
    ],
    optionalProgTypes: ['xdp'],
  },
  'kube-proxy-replacement': { progTypes: ['cgroup_sock_addr', 'cgroup_sock'], mapTypes: ['lru_hash', 'array_of_maps'] },
  'host-routing': { progTypes: ['sched_cls'], mapTypes: [] },
  'bandwidth-manager': { progTypes: ['sched_cls'], mapTypes: [] },
};

/** Files bpftool and Cilium read for the probe context (unprivileged eBPF is disabled on most distros). */
export const BPFTOOL = {
  binary: 'bpftool',
  probeArgs: ['-j', 'feature', 'probe'],
  /** Runtime probes need CAP_BPF/CAP_SYS_ADMIN (bpftool refuses full probing without them). */
  needsRoot: true,
} as const;
