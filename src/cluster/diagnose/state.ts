// What kec diagnose looks at: the status state plus configuration, RBAC, CRDs,
// kube-proxy, policies, selected log lines and (optionally) node reports.
import type { Obj } from '../types.ts';
import type { ClusterState, CollectError } from '../snapshot/state.ts';
import type { AgentProbe } from '../status/report.ts';

export interface LogSample {
  pod: string;
  node: string;
  role: 'edge-agent' | 'cloud-agent' | 'operator';
  /** The last lines of the log (already redacted). */
  lines: string[];
}

/** A node's own data, given with --node-report: `kec node preflight -o json` or edgecore.yaml. */
export interface NodeReport {
  source: string;
  node?: string;
  /** preflight checks: id, status, message. */
  checks?: Array<{ id: string; status: string; message: string }>;
  kernelRelease?: string;
  edgecore?: Record<string, unknown>;
}

export interface DiagnoseState {
  status: ClusterState;
  kubeedgeNamespace: string;
  cloudcoreServiceAccount: string;
  /** Expected MetaServer address of edge agents. */
  metaServers: string[];
  /** Cilium version from the spec or the agent image; undefined if unknown. */
  ciliumVersion?: string;
  /** cilium-config data; undefined when the ConfigMap is missing or unreadable. */
  ciliumConfig?: Record<string, string>;
  /** Pods of the cloudcore Deployment; undefined when not listable. */
  cloudcorePods?: Obj[];
  /** cloudcore.yaml text; undefined when missing. */
  cloudcoreYaml?: string;
  clusterRoleBindings?: Obj[];
  /** Names of CRDs in the cilium.io group; undefined when not listable. */
  ciliumCrds?: string[];
  kubeProxy: { daemonSet?: Obj; pods: Obj[] };
  policies: Obj[];
  logs: LogSample[];
  probes?: ReadonlyMap<string, AgentProbe>;
  nodeReports: NodeReport[];
  /** The spec's wishes, when a spec was given. */
  spec?: {
    routingMode: string;
    encryption: string;
    kubeProxyReplacement: boolean;
    /** Path MTU per edge group (spec.edgeGroups[].link.mtu). */
    linkMtu?: Record<string, number>;
    /** Edge groups behind NAT. */
    behindNat?: string[];
  };
  /** CiliumNodes (encryption key index, WireGuard public key); undefined when not listable. */
  ciliumNodes?: Obj[];
  /** The IPsec key Secret reduced to its SPI/algorithm (never the key); undefined when not read. */
  ipsecSecret?: { name: string; present: boolean; spi?: number; problem?: string };
  /** Things that could not be read (logs of simulated/edge pods, forbidden lists): notes, not failures. */
  unavailable: CollectError[];
}
