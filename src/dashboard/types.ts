// The data each dashboard view is drawn from: what the JSON API returns and the web UI
// (src/dashboard/web/) renders. Plain JSON, no functions; the UI imports these types only.

/** How the dashboard sees a node: the fleet's three colours. */
export type NodeHealth = 'online' | 'offline (autonomous)' | 'failing';

export interface NodeRow {
  name: string;
  health: NodeHealth;
  /** The status state (Ready, NotReady, offline (autonomous), offline). */
  state: string;
  lastHeartbeat?: string;
  /** Time since the last heartbeat, for offline nodes ("12m30s"). */
  offlineFor?: string;
  reason?: string;
  /** Agent pod on the node, when there is one. */
  agent?: { pod: string; ready: boolean; restarts: number; problem?: string };
}

export interface WorkloadHealth {
  name: string;
  present: boolean;
  desired: number;
  ready: number;
  ok: boolean;
  message?: string;
}

export interface GroupTile {
  name: string;
  /** "cloud" for the cloud side, "edge" for an edge group. */
  kind: 'cloud' | 'edge';
  health: NodeHealth;
  counts: { nodes: number; online: number; offline: number; failing: number };
  /** The agent DaemonSet of the group (cloud: cilium). */
  agents: WorkloadHealth;
  ciliumVersions: string[];
  kubeedgeVersions: string[];
}

export interface FleetView {
  /** live: read from the cluster; snapshot: from a `kec status -o json` file; none: no fleet data. */
  source: 'live' | 'snapshot' | 'none';
  collectedAt?: string;
  ok: boolean;
  totals: { groups: number; nodes: number; online: number; offline: number; failing: number };
  /** The cloud first, then each edge group. */
  groups: GroupTile[];
  operator?: WorkloadHealth;
  relay?: WorkloadHealth;
  failures: string[];
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
}

export interface NodeDetail extends NodeRow {
  group: string;
  kubeletVersion?: string;
  kubeedgeVersion?: string;
  ciliumVersion?: string;
  conditions: Condition[];
  agentPod?: {
    pod: string;
    phase: string;
    ready: boolean;
    restarts: number;
    waitingReason?: string;
    problem?: string;
  };
}

export interface PlanGroupView {
  name: string;
  nodes: number;
  arch: string;
  mtu: { link: number; tunnel: number; encryption: number; overhead: number; pod: number };
  encryption: string;
  maps: Record<string, number>;
  memory: { estimateBytes: number; budgetBytes: number; withinBudget: boolean; breakdown: Record<string, number> };
}

export interface PlanView {
  name: string;
  source: string;
  cilium: string;
  kubeedge: string;
  groups: PlanGroupView[];
  decisions: Array<{ id: string; title: string; detail: string }>;
  warnings: string[];
  errors: string[];
  /** Live: each group's edge agent DaemonSet as deployed against the plan's agent arguments. */
  deployed?: DeployedDiff[];
}

/** Live: the plan's Helm values against the deployed release's (`helm get values`), redacted. */
export interface ValuesDiffView {
  release: string;
  namespace: string;
  status: 'matches' | 'differs' | 'not deployed' | 'unavailable';
  /** Chart version of the deployed release. */
  chartVersion?: string;
  /** Unified diff, deployed → planned (redacted); empty when they match. */
  diff: string;
  reason?: string;
  at: string;
}

export interface DeployedDiff {
  group: string;
  daemonSet: string;
  status: 'matches' | 'differs' | 'not deployed';
  /** Planned arguments the deployed agent lacks (or has with another value). */
  missing: string[];
  /** Deployed arguments the plan does not have. */
  unexpected: string[];
}

export interface MatrixView {
  port: number;
  protocol: string;
  /** Ports the policies and pods mention: the choices of the port selector. */
  ports: Array<{ port: number; protocol: string }>;
  endpoints: string[];
  /** Row-major: allowed[i * n + j] is 1 when endpoints[i] may reach endpoints[j]. */
  allowed: number[];
  allowedCount: number;
  identities: number;
}

export interface TraceReason {
  policy: string;
  kind: string;
  rule: string;
  effect: string;
  text: string;
}

export interface TraceView {
  from: string;
  to: string;
  port: number;
  protocol: string;
  verdict: 'allowed' | 'denied';
  egress: { verdict: 'allowed' | 'denied'; reasons: TraceReason[] };
  ingress: { verdict: 'allowed' | 'denied'; reasons: TraceReason[] };
  /** The rule that decided the verdict (the first deny, or the allow that let it through). */
  deciding: TraceReason;
}

export interface PolicyDiffView {
  /** The new policies (--new-policies). */
  source: string;
  /** Ports probed: those pods and rules name, and one no rule names. */
  probes: string[];
  changes: Array<{ from: string; to: string; port: number; protocol: string; old: boolean; new: boolean }>;
  opened: number;
  closed: number;
}

export interface FlowsView {
  source: string;
  total: number;
  malformed: number;
  by: string;
  /** Bucket start times (ISO) of the time series. */
  buckets: string[];
  bucketSeconds: number;
  /** Per site (group or node): per verdict, one count per bucket. */
  series: Array<{ site: string; verdicts: Record<string, number[]> }>;
  byVerdict: Record<string, number>;
  topDropReasons: Array<{ reason: string; count: number }>;
  policyDenies: Array<{ source: string; destination: string; port: number | null; protocol: string; count: number }>;
  sites: Array<{ site: string; total: number; dropped: number; policyDenied: number }>;
  dns: {
    queries: number;
    byRcode: Record<string, number>;
    topQueries: Array<{ query: string; count: number }>;
    topNxdomain: Array<{ query: string; count: number }>;
  } | null;
  http: {
    requests: number;
    byStatus: Record<string, number>;
    meanLatencyMs: number | null;
    topPaths: Array<{ path: string; count: number }>;
  } | null;
}

export interface FindingsView {
  source: 'live' | 'none';
  checkedAt?: string;
  findings: Array<{ rule: string; title: string; severity: 'error' | 'warning'; evidence: string[]; fix: string }>;
  counts: { error: number; warning: number };
  notChecked: Array<{ rule: string; reason: string }>;
  rulesRun: number;
}

export interface MetaView {
  version: string;
  mode: 'live' | 'offline';
  views: { fleet: boolean; plan: boolean; policy: boolean; policyDiff: boolean; flows: boolean; findings: boolean };
  /** What each view was read from (file names, or "cluster"), for the header. */
  sources: Record<string, string>;
}
