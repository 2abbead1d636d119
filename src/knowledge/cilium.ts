// Upstream facts about Cilium that kec depends on. Every constant names its source.
// Field notes: ../shared/knowledge/kubeedge-cilium.md §3.

/** Newest patch release kec knows per supported minor (shared/upstream/cilium-chart). */
export const CILIUM_LATEST_PATCH: Readonly<Record<string, string>> = {
  '1.16': '1.16.19',
  '1.17': '1.17.18',
  '1.18': '1.18.12',
  '1.19': '1.19.6',
  '1.20': '1.20.0',
};
export const CILIUM_SUPPORTED_MINORS = Object.keys(CILIUM_LATEST_PATCH);
/** Chart versions whose values.yaml/values.schema.json kec checks its output against. */
export const CILIUM_CHART_VERSIONS = Object.values(CILIUM_LATEST_PATCH);

/**
 * Minimum kernel per Cilium minor.
 * Source: Cilium Documentation/operations/system_requirements.rst of each release
 * (1.13–1.15: 4.19.57; 1.16–1.17: 5.4; 1.18+: 5.10). RHEL 8's 4.18 kernels carry the
 * needed backports and are the documented exception.
 */
export const CILIUM_MIN_KERNEL: Readonly<Record<string, string>> = {
  '1.16': '5.4.0',
  '1.17': '5.4.0',
  '1.18': '5.10.0',
  '1.19': '5.10.0',
  '1.20': '5.10.0',
};

/** Optional datapath features with their own kernel floor (system_requirements.rst, "Required Kernel Versions for Advanced Features"). */
export const FEATURE_MIN_KERNEL = {
  wireguard: { kernel: '5.6.0', title: 'WireGuard transparent encryption' },
  'bandwidth-manager': { kernel: '5.1.0', title: 'Bandwidth Manager' },
  'host-routing': { kernel: '5.10.0', title: 'eBPF host routing' },
  netkit: { kernel: '6.8.0', title: 'netkit datapath devices' },
  'bigtcp-ipv6': { kernel: '5.19.0', title: 'IPv6 BIG TCP' },
  'bigtcp-ipv4': { kernel: '6.3.0', title: 'IPv4 BIG TCP' },
} as const;
export type KernelFeature = keyof typeof FEATURE_MIN_KERNEL;

/** Feature availability by Cilium version (Cilium release notes). */
export const FEATURE_MIN_CILIUM = {
  /** encryption.type=ztunnel (ambient-style mTLS) was added in Cilium 1.19. */
  ztunnelEncryption: '1.19.0',
} as const;

export const ENCRYPTION_TYPES = ['ipsec', 'wireguard', 'ztunnel'] as const;
export const ROUTING_MODES = ['tunnel', 'native'] as const;
export const TUNNEL_PROTOCOLS = ['vxlan', 'geneve'] as const;
export const DATAPATH_MODES = ['veth', 'netkit', 'netkit-l2'] as const;

/**
 * Values that users still copy from old guides and that the current chart refuses
 * or silently ignores, with what to write instead.
 */
export const REMOVED_VALUES = {
  kubeProxyReplacement: {
    // Deprecated in Cilium 1.14, removed in 1.16 (cilium/cilium PR #31286); valid: "true"/"false".
    removedIn: '1.16.0',
    source: 'cilium/cilium PR #31286',
    replacements: { strict: true, partial: false, probe: false, disabled: false } as Record<string, boolean>,
  },
  encryptionType: {
    // There has never been an encryption.type "secure-tunnel"; the chart knows ipsec and wireguard (+ztunnel from 1.19).
    invalid: ['secure-tunnel', 'tunnel', 'vpn', 'tls'],
  },
} as const;

/**
 * Helm values that are absent from every chart kec supports (none is in the 1.16.19
 * values.yaml) yet still common in blog posts. Removals between supported versions
 * are read from generated/chart-keys.json instead.
 */
export const LEGACY_HELM_KEYS: Readonly<Record<string, string>> = {
  tunnel: 'routingMode (tunnel|native) and tunnelProtocol (vxlan|geneve)',
  'hostServices.enabled': 'kubeProxyReplacement: true (socket load-balancing is part of it)',
  'containerRuntime.integration': 'nothing: Cilium no longer integrates with the container runtime socket',
  enableCnpStatusUpdates: 'nothing: CiliumNetworkPolicy status updates were removed',
};

/**
 * MTU overheads as Cilium computes them (cilium/cilium pkg/mtu/mtu.go).
 * The route MTU that pods see is the device (link) MTU minus these.
 */
export const MTU = {
  ethernet: 1500,
  /** Outer IPv4 20 + UDP 8 + VXLAN/Geneve 8 + inner Ethernet 14 (TunnelOverhead). */
  tunnelIPv4: 50,
  /** Same with an IPv6 underlay: outer header 40 instead of 20 (TunnelOverheadIPv6). */
  tunnelIPv6: 70,
  /** Outer IP 20 + SPI 4 + seq 4 + next header 1 + ICV 16 + padding 16 + auth 16 (EncryptionIPsecOverhead, 128-bit key). */
  ipsec: 77,
  /** WireGuard MESSAGE_MINIMUM_LENGTH 32 + outer IPv4/IPv6 40 + UDP 8 (WireguardOverhead). */
  wireguard: 80,
  /** Smallest MTU an IPv6-capable link may have (RFC 8200 §5); Cilium refuses less for pods. */
  minimum: 1280,
} as const;

/**
 * BPF map sizing (cilium/cilium pkg/maps/mapsize / pkg/option: calculateDynamicBPFMapSizes).
 * entries = default × (totalMemory × ratio) / memoryOfAllDefaultMaps, clamped to [min, max].
 */
export const BPF_MAPS = {
  dynamicSizeRatioDefault: 0.0025,
  ctTcpDefault: 2 << 18, // 524288
  ctAnyDefault: 2 << 17, // 262144
  natDefault: Math.floor((((2 << 18) + (2 << 17)) * 2) / 3), // 524288
  sockRevNatDefault: 2 << 17,
  ctTcpMin: 1 << 17,
  ctAnyMin: 1 << 16,
  natMin: 1 << 17,
  sockRevNatMin: 1 << 16,
  tableMin: 1 << 10,
  tableMax: 1 << 24,
  /** Element sizes used by the sizing code (bytes). */
  sizeofCT: 94,
  sizeofNAT: 94,
  sizeofNeigh: 24,
  sizeofSockRev: 48,
  /** Per-endpoint policy map: default bpf.policyMapMax 16384 entries (values.yaml); key 12 B + value 12 B (pkg/maps/policymap). */
  policyMapMaxDefault: 16384,
  sizeofPolicyEntry: 24,
  /** Service/backends maps: bpf.lbMapMax default 65536 (values.yaml); ~ 64 B per entry across service+backend maps. */
  lbMapMaxDefault: 65536,
  sizeofLBEntry: 64,
} as const;

/**
 * Agent memory besides maps. Observed 150 MiB (small cluster) to 1.2 GiB (large);
 * a 512Mi limit has hit ENOMEM at map creation (field notes §3). kec estimates
 * base + per-node + per-identity and adds map memory, which the kernel charges to
 * the agent's memory cgroup since Linux 5.11 (memcg-based accounting of BPF maps).
 */
export const AGENT_MEMORY = {
  baseBytes: 150 * 2 ** 20,
  perClusterNodeBytes: 16 * 2 ** 10,
  /** The embedded Envoy (envoy.enabled=false) adds roughly this much when L7 policy is used. */
  embeddedEnvoyBytes: 40 * 2 ** 20,
  defaultBudgetPercent: 25,
} as const;

/** Ports Cilium uses (Documentation/operations/system_requirements.rst "Firewall Rules"). */
export const PORTS = [
  { port: 4240, protocol: 'TCP', use: 'cluster health checks (cilium-health)' },
  { port: 4244, protocol: 'TCP', use: 'Hubble server' },
  { port: 4245, protocol: 'TCP', use: 'Hubble Relay' },
  { port: 8472, protocol: 'UDP', use: 'VXLAN overlay' },
  { port: 6081, protocol: 'UDP', use: 'Geneve overlay' },
  { port: 51871, protocol: 'UDP', use: 'WireGuard encryption' },
  { port: 9962, protocol: 'TCP', use: 'cilium-agent Prometheus metrics' },
  { port: 9963, protocol: 'TCP', use: 'cilium-operator Prometheus metrics' },
  { port: 9964, protocol: 'TCP', use: 'cilium-envoy Prometheus metrics' },
  { port: 9965, protocol: 'TCP', use: 'Hubble Prometheus metrics' },
] as const;

/** Hubble metric handlers accepted by hubble.metrics.enabled (Documentation/observability/metrics.rst). */
export const HUBBLE_METRICS = [
  'dns',
  'drop',
  'tcp',
  'flow',
  'port-distribution',
  'icmp',
  'httpV2',
  'kafka',
  'policy',
  'flows-to-world',
] as const;

/** Names the chart gives its objects (install/kubernetes/cilium/templates). */
export const CHART_NAMES = {
  agentDaemonSet: 'cilium',
  envoyDaemonSet: 'cilium-envoy',
  operatorDeployment: 'cilium-operator',
  relayDeployment: 'hubble-relay',
  configMap: 'cilium-config',
  agentClusterRole: 'cilium',
  agentClusterRoleBinding: 'cilium',
  agentContainer: 'cilium-agent',
  configInitContainer: 'config',
  agentConfigDirArg: '--config-dir=/tmp/cilium/config-map',
} as const;

/** The CRDs cilium-operator registers that every agent waits for (agent log "Still waiting for Cilium Operator to register … CRDs"). */
export const REQUIRED_CILIUM_CRDS = [
  'ciliumnodes',
  'ciliumendpoints',
  'ciliumidentities',
  'ciliumnetworkpolicies',
  'ciliumclusterwidenetworkpolicies',
].map((r) => `${r}.cilium.io`);
