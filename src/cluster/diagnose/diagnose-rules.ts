// kec diagnose rules: pure functions over collected state, each returning findings with
// evidence and the fix. Known KubeEdge issues are cited from src/knowledge/kubeedge.ts.
import { getPath } from '../../util/merge.ts';
import { parse as parseYaml } from 'yaml';
import type { Obj } from '../types.ts';
import { CHART_NAMES, CILIUM_MIN_KERNEL, REQUIRED_CILIUM_CRDS } from '../../knowledge/cilium.ts';
import { CLOUDCORE, EDGE_LABELS, EDGECORE, KNOWN_ISSUES } from '../../knowledge/kubeedge.ts';
import { atLeast, minorOf, parseKernelRelease, parseVersion } from '../../util/version.ts';
import { podHealth, FLAP_RESTARTS } from '../snapshot/pods.ts';
import { nodeStatus } from '../status/report.ts';
import {
  asArr,
  asRec,
  asStr,
  condition,
  containersOf,
  hasNodeAffinity,
  isEdgeNode,
  labelsOf,
  matchesSelector,
  nameOf,
  ownerOf,
  podNode,
} from '../snapshot/state.ts';
import type { DiagnoseState } from './state.ts';
import { groupOfLabels } from '../../names.ts';
import { edgeDaemonSetName } from '../../names.ts';
import { RBAC_NAMES } from '../../names.ts';
import { CLOUDCORE_RULES } from './cloudcore-rules.ts';
import { ENCRYPTION_RULES } from './encryption-rules.ts';

export type Severity = 'error' | 'warning';

export interface Finding {
  rule: string;
  title: string;
  severity: Severity;
  /** Upstream issue, when the finding is a known one. */
  issue?: string;
  evidence: string[];
  fix: string;
}

export interface Rule {
  id: string;
  title: string;
  /** Findings, or a string saying why the rule could not be evaluated. */
  check(s: DiagnoseState): Finding[] | string;
}

const edgeNodes = (s: DiagnoseState): Obj[] => s.status.nodes.filter(isEdgeNode);
const hasEdge = (s: DiagnoseState): boolean => edgeNodes(s).length > 0 || s.status.groups.length > 0;
const ds = (s: DiagnoseState, name: string): Obj | undefined => s.status.daemonSets.find((d) => nameOf(d) === name);
const podsOfDs = (s: DiagnoseState, name: string): Obj[] =>
  s.status.pods.filter((p) => {
    const o = ownerOf(p);
    return o?.kind === 'DaemonSet' && o.name === name;
  });
const edgeDaemonSets = (s: DiagnoseState): Obj[] =>
  s.status.daemonSets.filter((d) => groupOfLabels(labelsOf(d)) !== undefined || nameOf(d) === 'cilium-kubeedge');
const edgeNodeNames = (s: DiagnoseState): Set<string> => new Set(edgeNodes(s).map(nameOf));
const readyNodes = (s: DiagnoseState): Set<string> =>
  new Set(s.status.nodes.filter((n) => condition(n, 'Ready')?.status === 'True').map(nameOf));
const finding = (f: Finding): Finding => f;

/** kubeedge#6113: the cilium-envoy DaemonSet keeps edge agents from becoming Ready. */
const envoy: Rule = {
  id: 'envoy-blocks-edge-agents',
  title: 'cilium-envoy DaemonSet present with edge agents',
  check(s) {
    const e = ds(s, CHART_NAMES.envoyDaemonSet);
    if (!e || !hasEdge(s)) return [];
    const ready = readyNodes(s);
    const notReady = edgeDaemonSets(s)
      .flatMap((d) => podsOfDs(s, nameOf(d)))
      .filter((p) => ready.has(podNode(p)) && condition(p, 'Ready')?.status !== 'True');
    const onEdge = podsOfDs(s, CHART_NAMES.envoyDaemonSet).filter((p) => edgeNodeNames(s).has(podNode(p)));
    const st = asRec(e['status']);
    const evidence = [
      `DaemonSet ${s.status.namespace}/${CHART_NAMES.envoyDaemonSet} exists (desired ${String(st['desiredNumberScheduled'] ?? 0)}, ready ${String(st['numberReady'] ?? 0)})`,
      `cilium-config external-envoy-proxy: ${s.ciliumConfig?.['external-envoy-proxy'] ?? '(unset)'}`,
    ];
    if (onEdge.length) evidence.push(`envoy pods on edge nodes: ${onEdge.map(podNode).join(', ')}`);
    if (notReady.length)
      evidence.push(
        `edge agent pods not ready on Ready nodes: ${notReady.map((p) => `${nameOf(p)} (${podNode(p)})`).join(', ')}`,
      );
    return [
      finding({
        rule: this.id,
        title: this.title,
        severity: notReady.length || onEdge.length ? 'error' : 'warning',
        issue: KNOWN_ISSUES.envoyBlocksEdgeAgent,
        evidence,
        fix: 'helm upgrade Cilium with envoy.enabled=false (Envoy then runs inside each agent; kec plan sets it), then restart the edge agents',
      }),
    ];
  },
};

const WAITING_FOR_CRDS = /Still waiting for Cilium Operator to register .*CRDs|waiting for CRDs/i;

/** kubeedge#6301: agents wait for the operator to register CRDs. */
const operatorCrds: Rule = {
  id: 'operator-crds-not-registered',
  title: 'cilium-operator has not registered the Cilium CRDs',
  check(s) {
    const evidence: string[] = [];
    if (s.ciliumCrds !== undefined) {
      const missing = REQUIRED_CILIUM_CRDS.filter((c) => !s.ciliumCrds?.includes(c));
      if (missing.length) evidence.push(`CRDs missing: ${missing.join(', ')}`);
    }
    for (const l of s.logs.filter((x) => x.role !== 'operator')) {
      const hit = l.lines.find((x) => WAITING_FOR_CRDS.test(x));
      if (hit) evidence.push(`${l.pod} (${l.node}) logs: ${hit.trim().slice(0, 200)}`);
    }
    if (!evidence.length)
      return s.ciliumCrds === undefined && !s.logs.length
        ? 'CRDs could not be listed and no agent logs were readable'
        : [];
    const op = s.status.deployments.find((d) => nameOf(d) === CHART_NAMES.operatorDeployment);
    const st = asRec(op?.['status']);
    evidence.push(
      op
        ? `Deployment ${CHART_NAMES.operatorDeployment}: ${String(st['readyReplicas'] ?? 0)}/${String(asRec(op['spec'])['replicas'] ?? 1)} ready`
        : `Deployment ${CHART_NAMES.operatorDeployment} missing`,
    );
    return [
      finding({
        rule: this.id,
        title: this.title,
        severity: 'error',
        issue: KNOWN_ISSUES.operatorCrds,
        evidence,
        fix: `check the operator: kubectl -n ${s.status.namespace} logs deploy/${CHART_NAMES.operatorDeployment}; it must run (on a cloud node) and be allowed to create CRDs; edge agents see the CRDs only through cloudcore's dynamicController`,
      }),
    ];
  },
};

/** kubeedge#6641: edgecore restarts edge agents every 60-90 s. */
const restarts: Rule = {
  id: 'edge-agent-restart-loop',
  title: 'edge agents restarted every minute or so',
  check(s) {
    const now = Date.parse(s.status.collectedAt);
    const evidence: string[] = [];
    let periodic = false;
    for (const d of edgeDaemonSets(s)) {
      for (const p of podsOfDs(s, nameOf(d))) {
        const h = podHealth(p, now);
        if (h.restarts < FLAP_RESTARTS) continue;
        const run = h.lastRunSeconds;
        if (run !== undefined && run >= 45 && run <= 150) periodic = true;
        if (h.restartingOften || h.crashLoop || (run !== undefined && run <= 150)) {
          evidence.push(
            `${h.pod} on ${h.node}: ${h.restarts} restarts${run !== undefined ? `, last run ${run}s` : ''}${h.lastExitReason ? ` (${h.lastExitReason})` : ''}${h.waitingReason ? `, ${h.waitingReason}` : ''}`,
          );
        }
      }
    }
    if (!evidence.length) return [];
    return [
      finding({
        rule: this.id,
        title: this.title,
        severity: 'error',
        issue: KNOWN_ISSUES.agentRestarts,
        evidence,
        fix: periodic
          ? 'edgecore restarts the agent when MetaServer answers its watch with the wrong List kind (kubeedge#6641): upgrade KubeEdge to a release with PR #6653; check `journalctl -u edgecore` on the node'
          : `read the agent logs (kubectl -n ${s.status.namespace} logs <pod> --previous) and the edgecore journal on the node`,
      }),
    ];
  },
};

const dynamicController: Rule = {
  id: 'cloudcore-dynamic-controller-disabled',
  title: 'cloudcore dynamicController is disabled',
  check(s) {
    if (!hasEdge(s)) return [];
    if (s.cloudcoreYaml === undefined)
      return `ConfigMap ${s.kubeedgeNamespace}/${CLOUDCORE.configMap} (key ${CLOUDCORE.configKey}) not found`;
    let cfg: unknown;
    try {
      cfg = parseYaml(s.cloudcoreYaml);
    } catch (e) {
      return `${CLOUDCORE.configKey} is not valid YAML: ${(e as Error).message.split('\n')[0] ?? ''}`;
    }
    const v = getPath(cfg, CLOUDCORE.keys.dynamicControllerEnable);
    if (v === true) return [];
    return [
      finding({
        rule: this.id,
        title: this.title,
        severity: 'error',
        evidence: [
          `ConfigMap ${s.kubeedgeNamespace}/${CLOUDCORE.configMap} ${CLOUDCORE.configKey}: modules.dynamicController.enable = ${JSON.stringify(v ?? null)}`,
        ],
        fix: `set modules.dynamicController.enable: true in ${CLOUDCORE.configKey} and restart cloudcore (kubectl -n ${s.kubeedgeNamespace} rollout restart deploy/${CLOUDCORE.deployment}); without it edge agents cannot list Cilium CRDs through MetaServer`,
      }),
    ];
  },
};

const cloudcoreRbac: Rule = {
  id: 'cloudcore-not-bound-to-cilium-role',
  title: 'cloudcore ServiceAccount is not bound to ClusterRole cilium',
  check(s) {
    if (!hasEdge(s)) return [];
    if (s.clusterRoleBindings === undefined) return 'ClusterRoleBindings could not be listed';
    const sa = { name: s.cloudcoreServiceAccount, namespace: s.kubeedgeNamespace };
    const bound = s.clusterRoleBindings.filter((b) => {
      const ref = asRec(b['roleRef']);
      return (
        ref['kind'] === 'ClusterRole' &&
        ref['name'] === CHART_NAMES.agentClusterRole &&
        asArr(b['subjects'])
          .map(asRec)
          .some((x) => x['kind'] === 'ServiceAccount' && x['name'] === sa.name && x['namespace'] === sa.namespace)
      );
    });
    if (bound.length) return [];
    const toCilium = s.clusterRoleBindings
      .filter((b) => asRec(b['roleRef'])['name'] === CHART_NAMES.agentClusterRole)
      .map(nameOf);
    return [
      finding({
        rule: this.id,
        title: this.title,
        severity: 'error',
        issue: KNOWN_ISSUES.cloudcoreRbac,
        evidence: [
          `no ClusterRoleBinding binds ClusterRole ${CHART_NAMES.agentClusterRole} to ServiceAccount ${sa.namespace}/${sa.name}`,
          `bindings of ClusterRole ${CHART_NAMES.agentClusterRole}: ${toCilium.join(', ') || 'none'}`,
        ],
        fix: `kec install (creates ClusterRoleBinding ${RBAC_NAMES.bindChartRole}), or: kubectl create clusterrolebinding ${RBAC_NAMES.bindChartRole} --clusterrole=${CHART_NAMES.agentClusterRole} --serviceaccount=${sa.namespace}:${sa.name}; cloudcore answers edge agents' API calls under its own identity`,
      }),
    ];
  },
};

function usesMetaServer(d: Obj, metaServers: readonly string[]): string[] {
  const problems: string[] = [];
  const hosts = metaServers.map((m) => m.split(':')[0] ?? m);
  const check = (c: ReturnType<typeof containersOf>[number] | undefined, what: string): void => {
    if (!c) {
      problems.push(`no ${what} container`);
      return;
    }
    const flag = [...c.command, ...c.args].find((a) => a.startsWith('--k8s-api-server='));
    const server = flag?.slice('--k8s-api-server='.length).replace(/^https?:\/\//, '');
    if (server === undefined) problems.push(`${what} has no --k8s-api-server (talks to the cloud API server directly)`);
    else if (!metaServers.includes(server))
      problems.push(`${what} --k8s-api-server=${server}, not MetaServer (${metaServers.join(' or ')})`);
    const host = c.env.find((e) => e.name === 'KUBERNETES_SERVICE_HOST')?.value;
    if (host !== undefined && !hosts.includes(host))
      problems.push(`${what} env KUBERNETES_SERVICE_HOST=${host}, not MetaServer`);
  };
  check(
    containersOf(d).find((c) => c.name === CHART_NAMES.agentContainer),
    CHART_NAMES.agentContainer,
  );
  check(
    containersOf(d, true).find((c) => c.name === CHART_NAMES.configInitContainer),
    `init ${CHART_NAMES.configInitContainer}`,
  );
  return problems;
}

const edgeDaemonSet: Rule = {
  id: 'edge-daemonset',
  title: 'edge agent DaemonSet missing or not using MetaServer',
  check(s) {
    const out: Finding[] = [];
    const upstream = ds(s, 'cilium-kubeedge');
    for (const g of s.status.groups) {
      const name = edgeDaemonSetName(g.name);
      const d = ds(s, name) ?? upstream;
      const members = s.status.nodes.filter((n) => matchesSelector(labelsOf(n), g.nodeSelector)).map(nameOf);
      if (!d) {
        out.push(
          finding({
            rule: this.id,
            title: `edge group ${g.name}: DaemonSet ${name} missing`,
            severity: 'error',
            evidence: [
              `no DaemonSet ${s.status.namespace}/${name}`,
              `nodes of the group: ${members.join(', ') || 'none'}`,
            ],
            fix: 'kec install -f SPEC (or apply the edge DaemonSet of `kec plan`)',
          }),
        );
        continue;
      }
      const problems = usesMetaServer(d, s.metaServers);
      if (problems.length) {
        out.push(
          finding({
            rule: this.id,
            title: `edge group ${g.name}: DaemonSet ${nameOf(d)} does not use MetaServer`,
            severity: 'error',
            evidence: problems.map((p) => `DaemonSet ${nameOf(d)}: ${p}`),
            fix: `edge agents must reach the API through edgecore's MetaServer: --k8s-api-server=${s.metaServers[0] ?? ''} on ${CHART_NAMES.agentContainer} and the ${CHART_NAMES.configInitContainer} init container (kec plan writes them); enable modules.metaManager.metaServer in edgecore.yaml`,
          }),
        );
      }
    }
    return out;
  },
};

const cloudOnEdge: Rule = {
  id: 'cloud-daemonset-on-edge',
  title: 'the cloud cilium DaemonSet is not kept off edge nodes',
  check(s) {
    const d = ds(s, CHART_NAMES.agentDaemonSet);
    if (!d || edgeNodes(s).length === 0) return [];
    if (hasNodeAffinity(d, EDGE_LABELS.edge, 'DoesNotExist')) return [];
    const onEdge = podsOfDs(s, CHART_NAMES.agentDaemonSet).filter((p) => edgeNodeNames(s).has(podNode(p)));
    return [
      finding({
        rule: this.id,
        title: this.title,
        severity: 'error',
        evidence: [
          `DaemonSet ${CHART_NAMES.agentDaemonSet} has no nodeAffinity ${EDGE_LABELS.edge} DoesNotExist`,
          ...(onEdge.length ? [`its pods on edge nodes: ${onEdge.map(podNode).join(', ')}`] : []),
        ],
        fix: `put the affinity into the Helm values (affinity.nodeAffinity ... ${EDGE_LABELS.edge} DoesNotExist; kec plan does) and helm upgrade: a kubectl patch is reverted by the next upgrade`,
      }),
    ];
  },
};

const kubeProxy: Rule = {
  id: 'kube-proxy-on-edge-with-kpr',
  title: 'kube-proxy runs on edge nodes while Cilium replaces it',
  check(s) {
    const kpr = s.ciliumConfig?.['kube-proxy-replacement'];
    if (kpr === undefined) return s.ciliumConfig === undefined ? `ConfigMap ${CHART_NAMES.configMap} not readable` : [];
    if (kpr !== 'true' && kpr !== 'strict') return [];
    const d = s.kubeProxy.daemonSet;
    if (!d) return [];
    const edge = edgeNodeNames(s);
    const onEdge = s.kubeProxy.pods.filter((p) => edge.has(podNode(p)));
    const excluded = hasNodeAffinity(d, EDGE_LABELS.edge, 'DoesNotExist');
    if (excluded && !onEdge.length) return [];
    return [
      finding({
        rule: this.id,
        title: this.title,
        severity: 'error',
        evidence: [
          `cilium-config kube-proxy-replacement: ${kpr}`,
          `DaemonSet kube-system/kube-proxy ${excluded ? 'excludes' : 'does not exclude'} edge nodes`,
          ...(onEdge.length ? [`kube-proxy pods on edge nodes: ${onEdge.map(podNode).join(', ')}`] : []),
        ],
        fix: `keep kube-proxy off edge nodes (nodeAffinity ${EDGE_LABELS.edge} DoesNotExist on DaemonSet kube-proxy), or delete it if Cilium replaces it everywhere; both programming services conflicts`,
      }),
    ];
  },
};

const clusterDns: Rule = {
  id: 'cluster-dns-missing',
  title: 'edgecore has no clusterDNS',
  check(s) {
    if (!s.nodeReports.length)
      return 'no node data (pass --node-report with `kec node preflight -o json` output or an edgecore.yaml)';
    const evidence: string[] = [];
    for (const r of s.nodeReports) {
      const who = r.node ?? r.source;
      const c = r.checks?.find((x) => x.id === 'edgecore.clusterDNS');
      if (c && c.status !== 'pass' && c.status !== 'skip')
        evidence.push(`${who}: preflight ${c.id} ${c.status}: ${c.message}`);
      if (r.edgecore) {
        const dns = getPath(r.edgecore, EDGECORE.keys.clusterDNS);
        if (!Array.isArray(dns) || dns.length === 0)
          evidence.push(`${who}: ${EDGECORE.keys.clusterDNS.join('.')} is ${JSON.stringify(dns ?? null)}`);
      }
    }
    if (!evidence.length) return [];
    return [
      finding({
        rule: this.id,
        title: this.title,
        severity: 'warning',
        issue: KNOWN_ISSUES.clusterDns,
        evidence,
        fix: 'set modules.edged.tailoredKubeletConfig.clusterDNS to the cluster DNS service IP (kec node configure --plan DIR --group G does) and restart edgecore',
      }),
    ];
  },
};

const BPF_LOG =
  /(BPF|eBPF).*(not supported|unsupported|operation not permitted|failed to load)|kernel version .*(too old|not supported|required)|requires kernel/i;

const kernel: Rule = {
  id: 'ebpf-unsupported-kernel',
  title: 'kernel too old or without the eBPF features Cilium needs',
  check(s) {
    const evidence: string[] = [];
    const v = s.ciliumVersion ? parseVersion(s.ciliumVersion) : undefined;
    const min = v ? CILIUM_MIN_KERNEL[minorOf(v)] : undefined;
    if (min !== undefined) {
      for (const n of s.status.nodes) {
        const rel = asStr(asRec(asRec(n['status'])['nodeInfo'])['kernelVersion']);
        const k = rel ? parseKernelRelease(rel) : undefined;
        if (rel && k && !atLeast(k, min) && !/\.el8/.test(rel))
          evidence.push(`node ${nameOf(n)}: kernel ${rel} < ${min} (minimum of Cilium ${minorOf(v!)})`);
      }
    }
    for (const r of s.nodeReports) {
      for (const c of r.checks ?? []) {
        if (c.status === 'fail' && /^(kernel|bpf|kconfig|mount\.bpffs)/.test(c.id))
          evidence.push(`${r.node ?? r.source}: preflight ${c.id}: ${c.message}`);
      }
    }
    for (const l of s.logs.filter((x) => x.role !== 'operator')) {
      const hit = l.lines.find((x) => BPF_LOG.test(x));
      if (hit) evidence.push(`${l.pod} (${l.node}) logs: ${hit.trim().slice(0, 200)}`);
    }
    if (!evidence.length)
      return min === undefined && !s.nodeReports.length ? 'Cilium version unknown and no node data' : [];
    return [
      finding({
        rule: this.id,
        title: this.title,
        severity: 'error',
        evidence,
        fix: 'run `kec node preflight` on the node; upgrade the kernel (or enable the missing CONFIG_ options), or pick a Cilium release whose minimum the kernel meets',
      }),
    ];
  },
};

const policy: Rule = {
  id: 'policy-not-applied',
  title: 'network policy not applied',
  check(s) {
    const evidence: string[] = [];
    for (const p of s.policies) {
      const st = asRec(p['status']);
      for (const c of asArr(st['conditions']).map(asRec)) {
        if (c['type'] === 'cilium.io/PolicyValid' && c['status'] === 'False')
          evidence.push(
            `${String(p.kind)} ${p.metadata?.namespace ? `${p.metadata.namespace}/` : ''}${nameOf(p)}: invalid: ${asStr(c['message']) ?? ''}`,
          );
      }
      for (const [node, ns] of Object.entries(asRec(st['nodes']))) {
        const e = asStr(asRec(ns)['error']);
        if (e) evidence.push(`${String(p.kind)} ${nameOf(p)} on ${node}: ${e}`);
      }
    }
    for (const l of s.logs.filter((x) => x.role === 'operator')) {
      for (const x of l.lines.filter((y) => /level=error/i.test(y) && /polic/i.test(y)).slice(0, 3))
        evidence.push(`${l.pod} logs: ${x.trim().slice(0, 200)}`);
    }
    if (!evidence.length) return [];
    return [
      finding({
        rule: this.id,
        title: this.title,
        severity: 'error',
        evidence,
        fix: `read the operator and agent logs (kubectl -n ${s.status.namespace} logs deploy/${CHART_NAMES.operatorDeployment}), fix the policy (kec policy lint), and on edge nodes make sure cloudcore serves Cilium policies (dynamicController, ClusterRole cilium binding)`,
      }),
    ];
  },
};

const crossNode: Rule = {
  id: 'cross-node-tunnel-encryption',
  title: 'cross-node traffic: tunnel or encryption configuration',
  check(s) {
    const c = s.ciliumConfig;
    if (c === undefined) return `ConfigMap ${CHART_NAMES.configMap} not readable`;
    const evidence: string[] = [];
    let severity: Severity = 'warning';
    const edge = edgeNodes(s).length > 0;
    if (edge && c['routing-mode'] === 'native') {
      evidence.push(
        'cilium-config routing-mode: native while edge nodes exist (edge sites behind NAT or on other networks are not routable)',
      );
      severity = 'error';
    }
    if (
      edge &&
      c['enable-wireguard'] === 'true' &&
      (c['wireguard-persistent-keepalive'] ?? '0').replace(/s$/, '') === '0'
    ) {
      evidence.push(
        'WireGuard without persistent keepalive: NAT mappings of edge sites expire and peers stop reaching them',
      );
    }
    if (edge && c['enable-ipsec'] === 'true')
      evidence.push('IPsec (ESP, IP protocol 50) rarely crosses NAT at edge sites; WireGuard (UDP 51871) does');
    if (s.spec) {
      const mode = c['routing-mode'] ?? 'tunnel';
      if (mode !== s.spec.routingMode) evidence.push(`cluster routing-mode ${mode}, spec ${s.spec.routingMode}`);
      const enc = c['enable-wireguard'] === 'true' ? 'wireguard' : c['enable-ipsec'] === 'true' ? 'ipsec' : 'none';
      if (s.spec.encryption !== 'ztunnel' && enc !== s.spec.encryption)
        evidence.push(`cluster encryption ${enc}, spec ${s.spec.encryption}`);
    }
    for (const [pod, p] of s.probes ?? []) {
      if ('summary' in p && p.summary.clusterHealth !== undefined && p.summary.clusterHealth !== 'Ok')
        evidence.push(`${pod}: cilium-health ${p.summary.clusterHealth}`);
    }
    if (!evidence.length) return [];
    const proto = c['tunnel-protocol'] ?? 'vxlan';
    return [
      finding({
        rule: this.id,
        title: this.title,
        severity,
        evidence,
        fix: `use routingMode: tunnel (${proto}: UDP ${proto === 'geneve' ? 6081 : 8472} open between all nodes), WireGuard with persistentKeepalive for sites behind NAT, and re-plan/upgrade from the spec`,
      }),
    ];
  },
};

const notReadyNodes: Rule = {
  id: 'edge-node-flapping',
  title: 'edge nodes NotReady while connected',
  check(s) {
    const now = Date.parse(s.status.collectedAt);
    const bad = edgeNodes(s)
      .map((n) => nodeStatus(n, now, Number.MAX_SAFE_INTEGER))
      .filter((n) => n.state === 'NotReady');
    if (!bad.length) return [];
    return [
      finding({
        rule: this.id,
        title: this.title,
        severity: 'warning',
        issue: KNOWN_ISSUES.operatorCrds,
        evidence: bad.map((n) => `${n.name}: ${n.reason ?? 'NotReady'}`),
        fix: 'check edgecore on the node (journalctl -u edgecore) and the CNI: a node whose agent never becomes ready stays NotReady',
      }),
    ];
  },
};

export const RULES: readonly Rule[] = [
  envoy,
  operatorCrds,
  restarts,
  dynamicController,
  cloudcoreRbac,
  ...CLOUDCORE_RULES,
  edgeDaemonSet,
  cloudOnEdge,
  kubeProxy,
  clusterDns,
  kernel,
  policy,
  crossNode,
  notReadyNodes,
  ...ENCRYPTION_RULES,
];

export interface DiagnoseReport {
  findings: Finding[];
  /** Rules that could not be evaluated, with why. */
  notChecked: Array<{ rule: string; reason: string }>;
  rulesRun: number;
  unavailable: DiagnoseState['unavailable'];
  collectionErrors: DiagnoseState['status']['errors'];
  ok: boolean;
}

export function runRules(s: DiagnoseState, rules: readonly Rule[] = RULES): DiagnoseReport {
  const findings: Finding[] = [];
  const notChecked: DiagnoseReport['notChecked'] = [];
  for (const r of rules) {
    const res = r.check(s);
    if (typeof res === 'string') notChecked.push({ rule: r.id, reason: res });
    else findings.push(...res);
  }
  findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return {
    findings,
    notChecked,
    rulesRun: rules.length,
    unavailable: s.unavailable,
    collectionErrors: s.status.errors,
    ok: !findings.some((f) => f.severity === 'error') && s.status.errors.length === 0,
  };
}
