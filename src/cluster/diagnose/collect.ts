// Collection for kec diagnose: the status state plus cilium-config, cloudcore.yaml,
// ClusterRoleBindings, Cilium CRDs, kube-proxy, policies and the tail of agent and
// operator logs. Logs of edge or simulated pods often cannot be read: that is a note.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Obj, ObjectReader, PodExec, PodLogs } from '../types.ts';
import { CHART_NAMES } from '../../knowledge/cilium.ts';
import { CLOUDCORE, METASERVER } from '../../knowledge/kubeedge.ts';
import { InputError } from '../../errors.ts';
import { redactText } from '../redact.ts';
import { collectState, errorText, tryGet, tryList } from '../snapshot/collect.ts';
import { probeAgents } from '../status/probe-agents.ts';
import { mapLimit } from '../snapshot/pool.ts';
import { buildStatusReport } from '../status/report.ts';
import type { CollectError } from '../snapshot/state.ts';
import { asRec, asStr, condition, containersOf, labelsOf, nameOf, ownerOf, podNode } from '../snapshot/state.ts';
import type { Target } from '../snapshot/target.ts';
import type { DiagnoseState, LogSample, NodeReport } from './state.ts';
import { groupOfLabels } from '../../names.ts';
import { withRetry } from '../retry.ts';
import { CILIUM_NODE } from '../../knowledge/encryption.ts';
import { encryptionConfigOf, readKeySecret } from '../encryption/config.ts';

export const LOG_TAIL_LINES = 300;

/** Races a promise against a timeout (logs of unreachable kubelets can hang). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_r, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]);
}

/** Cilium version from the agent image tag (quay.io/cilium/cilium:v1.19.6@sha256:...). */
export function versionFromImage(image: string): string | undefined {
  const m = /:v?(\d+\.\d+\.\d+)(?:[-@]|$)/.exec(image);
  return m?.[1];
}

/** --node-report [NODE=]FILE: `kec node preflight -o json` output or an edgecore.yaml. */
export async function readNodeReport(arg: string): Promise<NodeReport> {
  const eq = arg.indexOf('=');
  const node = eq > 0 ? arg.slice(0, eq) : undefined;
  const file = eq > 0 ? arg.slice(eq + 1) : arg;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(
      `--node-report ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
  let doc: unknown;
  try {
    doc = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new InputError(`--node-report ${file}: neither JSON nor YAML: ${(e as Error).message.split('\n')[0] ?? ''}`);
  }
  const d = asRec(doc);
  const r: NodeReport = { source: basename(file), ...(node !== undefined ? { node } : {}) };
  if (Array.isArray(d['checks'])) {
    r.checks = (d['checks'] as unknown[])
      .map(asRec)
      .map((c) => ({ id: asStr(c['id']) ?? '', status: asStr(c['status']) ?? '', message: asStr(c['message']) ?? '' }));
    const rel = asStr(asRec(d['kernel'])['release']);
    if (rel) r.kernelRelease = rel;
  } else if (asStr(d['kind']) === 'EdgeCore' || 'modules' in d) {
    r.edgecore = d;
  } else {
    throw new InputError(`--node-report ${file}: not a kec node preflight JSON report nor an edgecore.yaml`);
  }
  return r;
}

export interface DiagnoseCollectOptions {
  target: Target;
  nodeReports: NodeReport[];
  exec: boolean;
  logs: boolean;
  logTimeoutMs?: number;
  now?: () => number;
}

export async function collectDiagnose(
  cluster: ObjectReader & PodLogs & PodExec,
  o: DiagnoseCollectOptions,
): Promise<DiagnoseState> {
  const t = o.target;
  const now = o.now ?? Date.now;
  const status = await collectState(cluster, {
    namespace: t.namespace,
    ...(t.groups ? { groups: t.groups } : {}),
    now,
  });
  const unavailable: CollectError[] = [];
  const errs = status.errors;
  const [cfg, cloudcore, crbs, crds, kpDs, kpPods, cnps, ccnps, ccPods] = await Promise.all([
    tryGet(cluster, errs, `ConfigMap ${t.namespace}/${CHART_NAMES.configMap}`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: CHART_NAMES.configMap,
      namespace: t.namespace,
    }),
    tryGet(cluster, errs, `ConfigMap ${t.kubeedgeNamespace}/${CLOUDCORE.configMap}`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: CLOUDCORE.configMap,
      namespace: t.kubeedgeNamespace,
    }),
    listOrUndefined(cluster, unavailable, 'ClusterRoleBindings', 'rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'),
    listOrUndefined(
      cluster,
      unavailable,
      'CustomResourceDefinitions',
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
    ),
    tryGet(cluster, errs, 'DaemonSet kube-system/kube-proxy', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      name: 'kube-proxy',
      namespace: 'kube-system',
    }),
    tryList(cluster, errs, 'kube-proxy pods', 'v1', 'Pod', {
      namespace: 'kube-system',
      labelSelector: 'k8s-app=kube-proxy',
    }),
    tryList(cluster, errs, 'CiliumNetworkPolicies', 'cilium.io/v2', 'CiliumNetworkPolicy'),
    tryList(cluster, errs, 'CiliumClusterwideNetworkPolicies', 'cilium.io/v2', 'CiliumClusterwideNetworkPolicy'),
    listOrUndefined(cluster, unavailable, 'cloudcore pods', 'v1', 'Pod', {
      namespace: t.kubeedgeNamespace,
      labelSelector: CLOUDCORE.podSelector,
    }),
  ]);
  const agentDs = status.daemonSets.find((d) => nameOf(d) === CHART_NAMES.agentDaemonSet);
  const image = agentDs ? containersOf(agentDs).find((c) => c.name === CHART_NAMES.agentContainer)?.image : undefined;
  const ciliumVersion = t.spec?.spec.cilium.version ?? (image ? versionFromImage(image) : undefined);
  const metaServers = [
    ...new Set([t.spec?.spec.kubeedge.metaServer ?? METASERVER.server, METASERVER.server, METASERVER.dummyServer]),
  ];

  const state: DiagnoseState = {
    status,
    kubeedgeNamespace: t.kubeedgeNamespace,
    cloudcoreServiceAccount: t.cloudcoreServiceAccount,
    metaServers,
    kubeProxy: { ...(kpDs ? { daemonSet: kpDs } : {}), pods: kpPods },
    policies: [...cnps, ...ccnps],
    logs: [],
    nodeReports: o.nodeReports,
    unavailable,
  };
  if (ciliumVersion) state.ciliumVersion = ciliumVersion;
  const data = asRec(cfg?.['data']);
  if (cfg) state.ciliumConfig = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, String(v)]));
  const ccYaml = asStr(asRec(cloudcore?.['data'])[CLOUDCORE.configKey]);
  if (ccYaml !== undefined) state.cloudcoreYaml = ccYaml;
  if (crbs) state.clusterRoleBindings = crbs;
  if (ccPods) state.cloudcorePods = ccPods;
  if (crds) state.ciliumCrds = crds.map(nameOf).filter((n) => n.endsWith('.cilium.io'));
  if (t.spec) {
    const c = t.spec.spec.cilium;
    state.spec = {
      routingMode: c.routing.mode,
      encryption: c.encryption.type,
      kubeProxyReplacement: c.kubeProxyReplacement,
      linkMtu: Object.fromEntries(t.spec.spec.edgeGroups.map((g) => [g.name, g.link.mtu])),
      behindNat: t.spec.spec.edgeGroups.filter((g) => g.link.behindNAT).map((g) => g.name),
    };
  }
  const ciliumNodes = await listOrUndefined(
    cluster,
    unavailable,
    'CiliumNodes',
    CILIUM_NODE.apiVersion,
    CILIUM_NODE.kind,
  );
  if (ciliumNodes) state.ciliumNodes = ciliumNodes;
  const enc = state.ciliumConfig ? encryptionConfigOf(state.ciliumConfig) : undefined;
  if (enc?.ipsec) {
    try {
      // Reduced at once to the SPI: the key itself never leaves readKeySecret.
      const ipsec = enc.ipsec;
      const sec = await withRetry(() => readKeySecret(cluster, t.namespace, ipsec.keyFile, ipsec.secretName), {
        attempts: 3,
      });
      state.ipsecSecret = {
        name: sec.name,
        present: sec.present,
        ...(sec.key ? { spi: sec.key.spi } : {}),
        ...(sec.problem ? { problem: sec.problem } : {}),
      };
    } catch (e) {
      unavailable.push({ what: `Secret ${t.namespace}/${enc.ipsec.secretName}`, error: errorText(e) });
    }
  }
  if (o.logs)
    state.logs = await collectLogs(
      cluster,
      status.namespace,
      status.pods,
      status.nodes,
      unavailable,
      o.logTimeoutMs ?? 10_000,
    );
  if (o.exec) {
    const report = buildStatusReport(status, { now: now(), offlineGraceMs: Number.MAX_SAFE_INTEGER });
    state.probes = await probeAgents(cluster, status.namespace, report);
    for (const [pod, p] of state.probes)
      if ('unavailable' in p) unavailable.push({ what: `cilium-dbg status in ${pod}`, error: p.unavailable });
  }
  return state;
}

async function listOrUndefined(
  reader: ObjectReader,
  unavailable: CollectError[],
  what: string,
  apiVersion: string,
  kind: string,
  opts: { namespace?: string; labelSelector?: string } = {},
): Promise<Obj[] | undefined> {
  const errs: CollectError[] = [];
  const r = await tryList(reader, errs, what, apiVersion, kind, opts);
  if (errs.length) {
    unavailable.push(...errs);
    return undefined;
  }
  return r;
}

/** Tail of the logs of agents (edge and cloud) and the operator, on Ready nodes only. */
async function collectLogs(
  logs: PodLogs,
  namespace: string,
  pods: readonly Obj[],
  nodes: readonly Obj[],
  unavailable: CollectError[],
  timeoutMs: number,
): Promise<LogSample[]> {
  const ready = new Set(nodes.filter((n) => condition(n, 'Ready')?.status === 'True').map(nameOf));
  const wanted = pods.flatMap((p): Array<{ pod: Obj; role: LogSample['role']; container: string }> => {
    if (!ready.has(podNode(p)) || asStr(asRec(p['status'])['phase']) !== 'Running') return [];
    const owner = ownerOf(p);
    if (owner?.kind === 'DaemonSet' && owner.name === CHART_NAMES.agentDaemonSet)
      return [{ pod: p, role: 'cloud-agent', container: CHART_NAMES.agentContainer }];
    if (groupOfLabels(labelsOf(p)) !== undefined || owner?.name === 'cilium-kubeedge')
      return [{ pod: p, role: 'edge-agent', container: CHART_NAMES.agentContainer }];
    if (labelsOf(p)['name'] === CHART_NAMES.operatorDeployment || labelsOf(p)['io.cilium/app'] === 'operator')
      return [{ pod: p, role: 'operator', container: CHART_NAMES.operatorDeployment }];
    return [];
  });
  const out = await mapLimit(wanted, 8, async (w): Promise<LogSample | undefined> => {
    const container =
      containersOf(w.pod).find((c) => c.name === w.container)?.name ?? containersOf(w.pod)[0]?.name ?? w.container;
    try {
      const text = await withTimeout(
        logs.logs(namespace, nameOf(w.pod), container, { tailLines: LOG_TAIL_LINES }),
        timeoutMs,
        `logs of ${nameOf(w.pod)}`,
      );
      return {
        pod: nameOf(w.pod),
        node: podNode(w.pod),
        role: w.role,
        lines: redactText(text)
          .split('\n')
          .filter((l) => l !== ''),
      };
    } catch (e) {
      unavailable.push({ what: `logs of ${nameOf(w.pod)}`, error: errorText(e) });
      return undefined;
    }
  });
  return out.filter((x): x is LogSample => x !== undefined);
}
