// Upstream facts about KubeEdge that kec depends on (field notes §1–2, §4).

/** MetaServer-based CNI agents need KubeEdge >= 1.16 (kubeedge/website docs/advanced/cilium.md "Prerequisites"). */
export const KUBEEDGE_MIN_VERSION = '1.16.0';
/** Newest KubeEdge minor kec has checked its keys against; newer ones get a warning, not an error. */
export const KUBEEDGE_LATEST_KNOWN = '1.22.0';

export const EDGE_LABELS = {
  /** Set on every edge node by keadm join (no taint by default). */
  edge: 'node-role.kubernetes.io/edge',
  agent: 'node-role.kubernetes.io/agent',
} as const;

/** edgecore's MetaServer: plain HTTP on loopback; HTTPS on the dummy address needs the requireAuthorization feature gate. */
export const METASERVER = {
  server: '127.0.0.1:10550',
  dummyServer: '169.254.30.10:10550',
} as const;

export const EDGECORE = {
  configPath: '/etc/kubeedge/config/edgecore.yaml',
  apiVersion: 'edgecore.config.kubeedge.io/v1alpha2',
  kind: 'EdgeCore',
  /** Key paths (v1alpha2, KubeEdge >= 1.12; kec supports >= 1.16) that kec sets. */
  keys: {
    metaServerEnable: ['modules', 'metaManager', 'metaServer', 'enable'],
    metaServerServer: ['modules', 'metaManager', 'metaServer', 'server'],
    edgeStreamEnable: ['modules', 'edgeStream', 'enable'],
    clusterDNS: ['modules', 'edged', 'tailoredKubeletConfig', 'clusterDNS'],
    clusterDomain: ['modules', 'edged', 'tailoredKubeletConfig', 'clusterDomain'],
  },
  /**
   * Keys that are not (or no longer) edgecore keys. edgecore <= 1.13 had CNI settings
   * under modules.edged; from 1.14 CNI is configured in the container runtime. A
   * top-level `networkPlugin:` block (seen in articles) was never an edgecore key.
   */
  removedKeys: {
    networkPlugin:
      'was never an edgecore.yaml key: CNI is configured in the container runtime (containerd reads /etc/cni/net.d); remove it',
    'modules.edged.networkPluginName':
      'was removed in KubeEdge 1.14: the container runtime (containerd) loads CNI; remove it',
    'modules.edged.cniConfDir': "was removed in KubeEdge 1.14: set conf_dir in containerd's CRI CNI config instead",
    'modules.edged.cniBinDir': "was removed in KubeEdge 1.14: set bin_dir in containerd's CRI CNI config instead",
    'modules.edged.networkPluginMTU': 'was removed in KubeEdge 1.14: the CNI plugin (Cilium) sets the MTU; remove it',
    'modules.edged.clusterDNS':
      'is the edgecore v1alpha1 key: use modules.edged.tailoredKubeletConfig.clusterDNS (a list)',
    'modules.edged.clusterDomain':
      'is the edgecore v1alpha1 key: use modules.edged.tailoredKubeletConfig.clusterDomain',
  } as Readonly<Record<string, string>>,
} as const;

export const CLOUDCORE = {
  configMap: 'cloudcore',
  configKey: 'cloudcore.yaml',
  podSelector: 'kubeedge=cloudcore',
  deployment: 'cloudcore',
  serviceAccount: 'cloudcore',
  apiVersion: 'cloudcore.config.kubeedge.io/v1alpha2',
  kind: 'CloudCore',
  keys: {
    /** Answers edge agents' list/watch of arbitrary resources (Cilium CRDs) through MetaServer. */
    dynamicControllerEnable: ['modules', 'dynamicController', 'enable'],
    /** Needed with edgeStream for logs/exec of edge pods (cilium-dbg, sysdump). */
    cloudStreamEnable: ['modules', 'cloudStream', 'enable'],
  },
} as const;

/** keadm `debug check` thresholds (kubeedge/kubeedge keadm/cmd/keadm/app/cmd/debug/check.go). */
export const KEADM_THRESHOLDS = {
  cpuCores: 1,
  cpuUsagePercentMax: 90,
  memoryTotalBytes: 256 * 2 ** 20,
  memoryFreeBytes: 128 * 2 ** 20,
  diskTotalBytes: 2 ** 30,
  diskFreeBytes: 512 * 2 ** 20,
  pidFreePercentMin: 5,
} as const;

/** Known failures of Cilium on KubeEdge, referenced by plans, runbooks and diagnose rules. */
export const KNOWN_ISSUES = {
  envoyBlocksEdgeAgent:
    'kubeedge/kubeedge#6113 (website#703): edge agent not Ready while the cilium-envoy DaemonSet is present',
  operatorCrds:
    'kubeedge/kubeedge#6301: "Still waiting for Cilium Operator to register CRDs"; edge node flaps Ready/NotReady',
  agentRestarts:
    'kubeedge/kubeedge#6641: edgecore restarts cilium-agent every 60-90 s (MetaServer List kind of multi-capital CRDs)',
  leftoverConflist: 'kubeedge/kubeedge#6612: leftover CNI conflist in /etc/cni/net.d breaks pod sandboxes',
  clusterDns: 'kubeedge/kubeedge#5400: edge pods use the host resolver unless clusterDNS is set',
  cloudcoreRbac: 'kubeedge/kubeedge#4844: cloudcore lacked RBAC for Cilium CRDs',
  cloudcoreMissingCrd:
    "kubeedge/kubeedge#7303 (fix proposed in #7304): an edge list or watch of a resource whose CRD is not installed makes cloudcore's dynamicController exit; the edge re-sends its watches on reconnect, so cloudcore crash-loops",
  leaseAfterReconnect:
    'kubeedge/kubeedge#4850, #6184: a Lease renewal sent while the cloud link (or cloudcore) was down is lost; edged waits out its 60 s sync-message timeout before renewing again, so the node stays or flaps NotReady for about a minute after edgehub has reconnected',
} as const;

/** EdgeMesh, KubeEdge's service mesh for edge pods (kubeedge/edgemesh docs: "edge-dns" on the link-local 169.254.96.16). */
export const EDGEMESH = {
  dnsAddress: '169.254.96.16',
} as const;
