// What kec sysdump collects, as a list of tasks that each yield files for the archive.
// Secrets are never listed; every object and log passes through redaction. Failed
// tasks are recorded (errors.json inside the archive), not thrown.
import type { Obj, ObjectReader, PodExec, PodLogs } from '../types.ts';
import { CHART_NAMES } from '../../knowledge/cilium.ts';
import { CLOUDCORE } from '../../knowledge/kubeedge.ts';
import { redactObject, redactText } from '../redact.ts';
import { errorText } from '../snapshot/collect.ts';
import { CILIUM_DBG_STATUS } from '../status/cilium-status.ts';
import { mapLimit } from '../snapshot/pool.ts';
import type { CollectError } from '../snapshot/state.ts';
import { asArr, asNum, asRec, asStr, condition, nameOf, podNode } from '../snapshot/state.ts';
import { withTimeout } from '../diagnose/collect.ts';

/** ConfigMap where kec install records what it did (key state.json). */
export const KEC_STATE = { configMap: 'kec-state', key: 'state.json' } as const;

export interface DumpFile {
  path: string;
  content: string;
}

export interface DumpTask {
  what: string;
  run(): Promise<DumpFile[]>;
}

export interface SysdumpOptions {
  namespace: string;
  kubeedgeNamespace: string;
  logLines: number;
  exec: boolean;
  timeoutMs: number;
}

type Cluster = ObjectReader & PodLogs & PodExec;

const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
const RELEVANT = /cilium|cloudcore|kubeedge|kec|hubble/i;

/** Cilium kinds dumped cluster-wide (cilium.io/v2). */
export const CILIUM_KINDS = [
  'CiliumNode',
  'CiliumEndpoint',
  'CiliumIdentity',
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'CiliumNodeConfig',
  'CiliumCIDRGroup',
  'CiliumLoadBalancerIPPool',
  'CiliumEnvoyConfig',
  'CiliumClusterwideEnvoyConfig',
] as const;

function listTask(
  c: Cluster,
  path: string,
  apiVersion: string,
  kind: string,
  opts: { namespace?: string; filter?: (o: Obj) => boolean } = {},
): DumpTask {
  return {
    what: `${kind} list${opts.namespace ? ` in ${opts.namespace}` : ''}`,
    async run() {
      const items = await c.list(apiVersion, kind, opts.namespace ? { namespace: opts.namespace } : {});
      const kept = opts.filter ? items.filter(opts.filter) : items;
      return [{ path, content: json({ apiVersion: 'v1', kind: 'List', items: kept.map((o) => redactObject(o)) }) }];
    },
  };
}

/** The object tasks: nodes, CRDs, Cilium resources, workloads, ConfigMaps, events, RBAC, kec-state. */
export function objectTasks(c: Cluster, o: SysdumpOptions): DumpTask[] {
  const tasks: DumpTask[] = [
    listTask(c, 'cluster/nodes.json', 'v1', 'Node'),
    listTask(c, 'cluster/cilium-crds.json', 'apiextensions.k8s.io/v1', 'CustomResourceDefinition', {
      filter: (x) => nameOf(x).endsWith('.cilium.io'),
    }),
    listTask(c, 'cluster/clusterroles.json', 'rbac.authorization.k8s.io/v1', 'ClusterRole', {
      filter: (x) => RELEVANT.test(nameOf(x)),
    }),
    listTask(c, 'cluster/clusterrolebindings.json', 'rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', {
      filter: (x) => RELEVANT.test(nameOf(x)) || RELEVANT.test(JSON.stringify(x['subjects'] ?? [])),
    }),
    ...CILIUM_KINDS.map((k) => listTask(c, `cilium/${k.toLowerCase()}s.json`, 'cilium.io/v2', k)),
    {
      what: `ConfigMap ${o.namespace}/${KEC_STATE.configMap}`,
      async run() {
        const cm = await c.get({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: KEC_STATE.configMap,
          namespace: o.namespace,
        });
        const text = asStr(asRec(cm?.['data'])[KEC_STATE.key]);
        if (text === undefined)
          return [
            {
              path: 'kec-state/absent.txt',
              content: `no ConfigMap ${o.namespace}/${KEC_STATE.configMap} with key ${KEC_STATE.key}\n`,
            },
          ];
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          return [{ path: 'kec-state/state.json.txt', content: redactText(text) }];
        }
        return [{ path: 'kec-state/state.json', content: json(redactObject(parsed)) }];
      },
    },
  ];
  for (const ns of [...new Set([o.namespace, o.kubeedgeNamespace])]) {
    tasks.push(
      listTask(c, `${ns}/daemonsets.json`, 'apps/v1', 'DaemonSet', { namespace: ns }),
      listTask(c, `${ns}/deployments.json`, 'apps/v1', 'Deployment', { namespace: ns }),
      listTask(c, `${ns}/pods.json`, 'v1', 'Pod', { namespace: ns }),
      listTask(c, `${ns}/configmaps.json`, 'v1', 'ConfigMap', { namespace: ns }),
      listTask(c, `${ns}/events.json`, 'v1', 'Event', { namespace: ns }),
      listTask(c, `${ns}/services.json`, 'v1', 'Service', { namespace: ns }),
    );
  }
  return tasks;
}

/** Which pods' logs go into the dump: everything in the Cilium namespace that belongs to Cilium or kec, and cloudcore. */
export function isDumpedPod(pod: Obj, o: SysdumpOptions): boolean {
  const ns = pod.metadata?.namespace;
  const labels = pod.metadata?.labels ?? {};
  if (
    ns === o.kubeedgeNamespace &&
    (labels['kubeedge'] === 'cloudcore' || nameOf(pod).startsWith(CLOUDCORE.deployment))
  )
    return true;
  if (ns !== o.namespace) return false;
  return (
    labels['k8s-app'] === 'cilium' ||
    labels['app.kubernetes.io/part-of'] === 'cilium' ||
    labels['app.kubernetes.io/managed-by'] === 'kec' ||
    Object.keys(labels).some((k) => k.startsWith('kec.kubeedge.io/')) ||
    /^(cilium|hubble|kec)/.test(nameOf(pod))
  );
}

/** Log (and, where exec works, cilium-dbg status) tasks for the dumped pods. */
export function podTasks(c: Cluster, pods: readonly Obj[], nodes: readonly Obj[], o: SysdumpOptions): DumpTask[] {
  const ready = new Set(nodes.filter((n) => condition(n, 'Ready')?.status === 'True').map(nameOf));
  const tasks: DumpTask[] = [];
  for (const p of pods.filter((x) => isDumpedPod(x, o))) {
    const ns = p.metadata?.namespace ?? '';
    const name = nameOf(p);
    const statuses = new Map(
      asArr(asRec(p['status'])['containerStatuses'])
        .map(asRec)
        .map((s) => [asStr(s['name']) ?? '', asNum(s['restartCount'])]),
    );
    for (const cont of asArr(asRec(p['spec'])['containers']).map(asRec)) {
      const cname = asStr(cont['name']) ?? '';
      const logTask = (previous: boolean): DumpTask => ({
        what: `logs of ${ns}/${name}/${cname}${previous ? ' (previous)' : ''}`,
        async run() {
          const text = await withTimeout(
            c.logs(ns, name, cname, { tailLines: o.logLines, ...(previous ? { previous: true } : {}) }),
            o.timeoutMs,
            `logs of ${name}`,
          );
          return [{ path: `logs/${ns}/${name}/${cname}${previous ? '.previous' : ''}.log`, content: redactText(text) }];
        },
      });
      tasks.push(logTask(false));
      if ((statuses.get(cname) ?? 0) > 0) tasks.push(logTask(true));
      if (o.exec && cname === CHART_NAMES.agentContainer && ready.has(podNode(p))) {
        tasks.push({
          what: `cilium-dbg status in ${ns}/${name}`,
          async run() {
            const r = await c.exec(ns, name, cname, CILIUM_DBG_STATUS, o.timeoutMs);
            if (r.code !== 0 && r.stdout.trim() === '')
              throw new Error(`exit ${r.code}: ${r.stderr.trim().split('\n')[0] ?? ''}`);
            return [{ path: `agents/${name}/cilium-dbg-status.json`, content: redactText(r.stdout) }];
          },
        });
      }
    }
  }
  return tasks;
}

export interface RunResult {
  files: Array<{ path: string; bytes: number }>;
  errors: CollectError[];
}

/** Runs tasks with bounded concurrency; sink receives each file as it is ready (in completion order). */
export async function runTasks(
  tasks: readonly DumpTask[],
  concurrency: number,
  sink: (f: DumpFile) => Promise<string>,
  progress?: (done: number, total: number, what: string, error?: string) => void,
): Promise<RunResult> {
  const result: RunResult = { files: [], errors: [] };
  let done = 0;
  let chain = Promise.resolve();
  await mapLimit(tasks, concurrency, async (t) => {
    let error: string | undefined;
    try {
      const files = await t.run();
      for (const f of files) {
        chain = chain.then(async () => {
          const path = await sink(f);
          result.files.push({ path, bytes: Buffer.byteLength(f.content) });
        });
      }
      await chain;
    } catch (e) {
      error = errorText(e);
      result.errors.push({ what: t.what, error });
    }
    progress?.(++done, tasks.length, t.what, error);
  });
  await chain;
  return result;
}

/** Pods whose logs are dumped: from the namespaces' pod lists (fetched once). */
export async function listDumpPods(
  c: Cluster,
  o: SysdumpOptions,
  errors: CollectError[],
): Promise<{ pods: Obj[]; nodes: Obj[] }> {
  const pods: Obj[] = [];
  for (const ns of [...new Set([o.namespace, o.kubeedgeNamespace])]) {
    try {
      pods.push(...(await c.list('v1', 'Pod', { namespace: ns })));
    } catch (e) {
      errors.push({ what: `pods in ${ns} (for logs)`, error: errorText(e) });
    }
  }
  let nodes: Obj[] = [];
  try {
    nodes = await c.list('v1', 'Node');
  } catch (e) {
    errors.push({ what: 'nodes (for logs)', error: errorText(e) });
  }
  return { pods, nodes };
}
