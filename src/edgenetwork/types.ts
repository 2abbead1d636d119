// The normalised EdgeNetwork: what the rules and the planner work on. Every default
// is filled; quantities are converted to numbers.

export type EncryptionType = 'none' | 'wireguard' | 'ipsec' | 'ztunnel';

export interface EdgeGroup {
  name: string;
  nodeSelector: Record<string, string>;
  arch: 'amd64' | 'arm64';
  kernel?: string;
  nodes: number;
  /** Bytes. */
  memory: number;
  memoryText: string;
  /** Millicores. */
  cpu: number;
  maxPods: number;
  /** Image for the group's agents, `{version}` already substituted. */
  agentImage?: string;
  memoryBudgetPercent: number;
  link: { mtu: number; behindNAT: boolean; ipv6Underlay: boolean };
  bpf: { mapDynamicSizeRatio: number; policyMapMax: number };
}

export interface EdgeNetwork {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    kubernetes: {
      version: string;
      apiServer: { host?: string; port: number };
      podCIDR: string;
      podCIDRMaskSize: number;
      serviceCIDR: string;
      clusterDNS: string;
      clusterDomain: string;
    };
    kubeedge: {
      version: string;
      namespace: string;
      cloudcoreServiceAccount: string;
      metaServer: string;
      edgecore: Record<string, unknown>;
    };
    cilium: {
      version: string;
      namespace: string;
      release: string;
      chart: string;
      kubeProxyReplacement: boolean;
      routing: { mode: 'tunnel' | 'native'; protocol: 'vxlan' | 'geneve'; nativeRoutingCIDR?: string };
      encryption: { type: EncryptionType; nodeEncryption: boolean; wireguardKeepalive: string };
      hubble: { enabled: boolean; relay: boolean; ui: boolean; metrics: string[] };
      prometheus: boolean;
      serviceMonitors: boolean;
      l7Proxy: boolean;
      bandwidthManager: boolean;
      hostRouting: 'legacy' | 'bpf';
      datapathMode: 'veth' | 'netkit' | 'netkit-l2';
      bigTCP: { ipv4: boolean; ipv6: boolean };
      operatorReplicas: number;
      values: Record<string, unknown>;
    };
    edgeGroups: EdgeGroup[];
  };
}
