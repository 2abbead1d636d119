// bench/status: `kec status -o json --no-exec` (the built CLI) against `kubectl get nodes
// -o json` (the baseline) on the same harness cluster with N simulated edge nodes (default
// 5,000 in groups of 100, played by kwok like the harness's own nodes), runs interleaved,
// medians and their ratio; peak RSS of both (GNU time). Goal: kec ≤ 2× kubectl.
//
// Starts its own cluster in a temp dir and stops it at the end. Needs: the harness
// binaries (test/cluster/build.sh), `node scripts/build.mjs`, and kubectl: $KUBECTL, else
// kubectl beside the harness binaries ($KEC_CACHE_DIR/bin-v1.36.3/kubectl), else on PATH.
//
// With --agents (default) each group also gets its edge agent DaemonSet (as in the status
// integration test), so kec status reads N agent pods too and reports a healthy fleet;
// --no-agents measures nodes only.
//
//   node bench/status/run.ts [--nodes 5000] [--runs 5] [--concurrency 32] [--no-agents] [--out report.json]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parseArgs } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { startCluster, stopCluster } from '../../test/cluster/harness/cluster.ts';
import { KWOK_MANAGED } from '../../test/cluster/harness/control-plane.ts';
import { loadKubeConfig } from '../../test/cluster/harness/k8s.ts';
import { binDir } from '../../test/cluster/harness/paths.ts';
import { EDGE_LABELS } from '../../src/knowledge/kubeedge.ts';
import { mapLimit } from '../../src/cluster/snapshot/pool.ts';
import { GROUP_LABEL } from '../../src/names.ts';
import { edgeAgentDaemonSet } from '../../test/cluster/cluster-ops-fixtures.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const KEC = join(ROOT, 'dist', 'kec.mjs');
const { values } = parseArgs({
  allowNegative: true,
  options: {
    agents: { type: 'boolean', default: true },
    nodes: { type: 'string', default: '5000' },
    runs: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '32' },
    'group-size': { type: 'string', default: '100' },
    out: { type: 'string' },
  },
});
const N = Number(values.nodes);
const RUNS = Number(values.runs);
const CONC = Number(values.concurrency);
const GROUP = Number(values['group-size']);
const say = (s: string): void => void process.stderr.write(`bench/status: ${s}\n`);

function findKubectl(): string | undefined {
  const candidates = [
    process.env['KUBECTL'],
    join(binDir(), 'kubectl'),
    ...(process.env['PATH'] ?? '').split(delimiter).map((d) => join(d, 'kubectl')),
  ];
  return candidates.find((p): p is string => p !== undefined && p !== '' && existsSync(p));
}

const kubectl = findKubectl();
if (!kubectl) {
  console.error(
    `bench/status: kubectl (the baseline) not found: set KUBECTL=/path/to/kubectl, or put it at ${join(binDir(), 'kubectl')} (the harness build adds it), or on PATH`,
  );
  process.exit(2);
}
if (!existsSync(KEC)) {
  console.error('bench/status: build first: node scripts/build.mjs');
  process.exit(2);
}
if (!existsSync('/usr/bin/time')) say('no /usr/bin/time: peak RSS not measured');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** Wall ms and peak RSS (KB, via GNU time) of one run; stdout is discarded by the child's own write. */
interface Run {
  ms: number;
  rssKB: number;
  code: number | null;
  bytes: number;
  error?: string;
}

function measure(cmd: string, args: string[]): Run {
  const useTime = existsSync('/usr/bin/time');
  const t = process.hrtime.bigint();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const rssKB = useTime ? Number(r.stderr.trim().split('\n').pop()) : NaN;
  // A run that printed nothing failed (not a status with problems, which still prints the report).
  const run: Run = { ms, rssKB, code: r.status, bytes: r.stdout.length };
  if (r.stdout.length === 0)
    run.error =
      r.stderr
        .trim()
        .split('\n')
        .find((l) => l.startsWith('error')) ?? r.stderr.trim().slice(0, 200);
  return run;
}

function edgeNode(i: number): k8s.V1Node {
  const group = `g${String(Math.floor(i / GROUP)).padStart(3, '0')}`;
  const name = `bench-edge-${group}-${i}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        type: 'kwok',
        [EDGE_LABELS.edge]: '',
        [EDGE_LABELS.agent]: '',
        [GROUP_LABEL]: group,
      },
      annotations: { [KWOK_MANAGED.key]: KWOK_MANAGED.value },
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: `10.${210 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}` },
        { type: 'Hostname', address: name },
      ],
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'kec-bench-status-'));
let stopped = false;
const stop = async (): Promise<void> => {
  if (stopped) return;
  stopped = true;
  say('stopping the bench cluster');
  await stopCluster(dir);
};
process.on('SIGINT', () => void stop().finally(() => process.exit(130)));

try {
  say(`starting a harness cluster in ${dir}`);
  // The harness prints some progress on stdout; stdout is for the report only.
  const log = console.log;
  console.log = (...a: unknown[]) => console.error(...a);
  const c = await startCluster({ dir, log: (l) => say(l) }).finally(() => {
    console.log = log;
  });
  const kc = loadKubeConfig(c.kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  // As kec install does: keep the chart's DaemonSets off edge nodes (else N agent and envoy pods).
  const affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: EDGE_LABELS.edge, operator: 'DoesNotExist' }] }],
      },
    },
  };
  for (const name of ['cilium', 'cilium-envoy']) {
    await apps.patchNamespacedDaemonSet(
      { name, namespace: 'kube-system', body: { spec: { template: { spec: { affinity } } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
  }

  say(`creating ${N} edge nodes (${Math.ceil(N / GROUP)} groups, ${CONC} requests in flight)`);
  const t0 = Date.now();
  await mapLimit(
    Array.from({ length: N }, (_, i) => i),
    CONC,
    async (i) => {
      for (let attempt = 1; ; attempt++) {
        try {
          await core.createNode({ body: edgeNode(i) });
          return;
        } catch (e) {
          const code = (e as { code?: number }).code;
          if (code === 409) return;
          if (attempt >= 5) throw e;
          await new Promise((r) => setTimeout(r, 200 * attempt));
        }
      }
    },
  );
  const createMs = Date.now() - t0;
  say(`created in ${(createMs / 1000).toFixed(1)}s; waiting for kwok to report them Ready`);
  let ready = 0;
  const readyDeadline = Date.now() + 10 * 60_000;
  while (Date.now() < readyDeadline) {
    const list = await core.listNode();
    ready = list.items.filter(
      (n) =>
        n.metadata?.name?.startsWith('bench-edge-') &&
        n.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'),
    ).length;
    if (ready >= N) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  const readyMs = Date.now() - t0;
  say(`${ready}/${N} Ready after ${(readyMs / 1000).toFixed(1)}s`);

  let agentsReady = 0;
  let agentsMs = 0;
  if (values.agents) {
    // The harness topology's groups too, so that kec status judges a complete fleet.
    const groups = [
      ...Object.keys(c.topology.edgeGroups),
      ...new Set(Array.from({ length: N }, (_, i) => `g${String(Math.floor(i / GROUP)).padStart(3, '0')}`)),
    ];
    say(`creating ${groups.length} edge agent DaemonSets; waiting for ${N} agent pods`);
    const ta = Date.now();
    for (const g of groups)
      await apps.createNamespacedDaemonSet({ namespace: 'kube-system', body: edgeAgentDaemonSet(g) });
    const deadline = Date.now() + 15 * 60_000;
    while (Date.now() < deadline) {
      const list = await apps.listNamespacedDaemonSet({ namespace: 'kube-system', labelSelector: GROUP_LABEL });
      agentsReady = list.items.reduce((n, d) => n + (d.status?.numberReady ?? 0), 0);
      if (agentsReady >= N + Object.values(c.topology.edgeGroups).reduce((a, b) => a + b, 0)) break;
      await new Promise((r) => setTimeout(r, 3000));
    }
    agentsMs = Date.now() - ta;
    say(`${agentsReady} agent pods ready (${N} bench + harness groups) after ${(agentsMs / 1000).toFixed(1)}s`);
  }

  const kubectlArgs = ['--kubeconfig', c.kubeconfig, 'get', 'nodes', '-o', 'json'];
  const kecArgs = [KEC, 'status', '--kubeconfig', c.kubeconfig, '-o', 'json', '--no-exec'];
  const series = { kubectl: [] as Run[], kec: [] as Run[] };
  say(`warm-up, then ${RUNS} interleaved runs of each`);
  measure(kubectl, kubectlArgs);
  const warmRun = spawnSync(process.execPath, kecArgs, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (!warmRun.stdout)
    throw new Error(`kec status printed nothing (exit ${warmRun.status}): ${warmRun.stderr.slice(0, 300)}`);
  const st = JSON.parse(warmRun.stdout) as {
    groups: Array<{ counts: { nodes: number }; agents: unknown[] }>;
    failures: string[];
  };
  for (let i = 0; i < RUNS; i++) {
    series.kubectl.push(measure(kubectl, kubectlArgs));
    series.kec.push(measure(process.execPath, kecArgs));
    const flag = (x: Run | undefined): string => (x?.error ? ` (FAILED: ${x.error})` : '');
    say(
      `run ${i + 1}: kubectl ${series.kubectl.at(-1)?.ms.toFixed(0)} ms${flag(series.kubectl.at(-1))}, kec ${series.kec.at(-1)?.ms.toFixed(0)} ms${flag(series.kec.at(-1))}`,
    );
  }
  const nodeStartup = median(Array.from({ length: 3 }, () => measure(process.execPath, ['-e', '0']).ms));
  // Medians over runs that produced output; failed runs are reported, not averaged in.
  const valid = (xs: Run[]): Run[] => xs.filter((x) => x.error === undefined);
  const k = median(valid(series.kubectl).map((x) => x.ms));
  const s = median(valid(series.kec).map((x) => x.ms));
  const report = {
    nodes: {
      simulatedEdge: N,
      groups: Math.ceil(N / GROUP),
      readyAtMeasurement: ready,
      total: N + c.topology.cloudNodes + Object.values(c.topology.edgeGroups).reduce((a, b) => a + b, 0),
    },
    setup: {
      createSeconds: +(createMs / 1000).toFixed(1),
      createPerSecond: Math.round(N / (createMs / 1000)),
      allReadySeconds: +(readyMs / 1000).toFixed(1),
      concurrency: CONC,
    },
    agents: {
      created: values.agents === true,
      readyAtMeasurement: agentsReady,
      setupSeconds: +(agentsMs / 1000).toFixed(1),
    },
    kecSaw: {
      groups: st.groups.length,
      nodesInGroups: st.groups.reduce((n, g) => n + g.counts.nodes, 0),
      agentPods: st.groups.reduce((n, g) => n + g.agents.length, 0),
      failures: st.failures.length,
      firstFailure: st.failures[0] ?? null,
    },
    runs: RUNS,
    medianMs: {
      kubectlGetNodesJson: +k.toFixed(0),
      kecStatusJsonNoExec: +s.toFixed(0),
      nodeStartupOnly: +nodeStartup.toFixed(0),
    },
    ratioKecVsKubectl: +(s / k).toFixed(2),
    goalRatio: 2,
    peakRssMB: {
      kubectl: +(Math.max(...series.kubectl.map((x) => x.rssKB)) / 1024).toFixed(1),
      kec: +(Math.max(...series.kec.map((x) => x.rssKB)) / 1024).toFixed(1),
    },
    outputKB: {
      kubectl: Math.round((valid(series.kubectl)[0]?.bytes ?? 0) / 1024),
      kec: Math.round((valid(series.kec)[0]?.bytes ?? 0) / 1024),
    },
    failedRuns: {
      kubectl: series.kubectl.filter((x) => x.error).map((x) => ({ ms: Math.round(x.ms), error: x.error })),
      kec: series.kec.filter((x) => x.error).map((x) => ({ ms: Math.round(x.ms), error: x.error })),
    },
    exitCodes: {
      kubectl: [...new Set(series.kubectl.map((x) => x.code))],
      kec: [...new Set(series.kec.map((x) => x.code))],
    },
    kubectl,
  };
  // build.sh (via the harness) may print a line on stdout too; --out gets the report alone.
  if (values.out !== undefined) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
} finally {
  await stop();
}
