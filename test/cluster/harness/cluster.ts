// One harness cluster end to end: binaries, control plane, simulated nodes, seed; and
// the operations tests use on it (reset, fresh namespace, node connectivity).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { ensureBinaries } from './binaries.ts';
import type { ClusterInfo } from './control-plane.ts';
import {
  KWOK_MANAGED,
  readClusterInfo,
  startControlPlane,
  stopControlPlane,
  waitKwokHealthy,
} from './control-plane.ts';
import { crashLoopImages, startKwok } from './kwok.ts';
import { loadKubeConfig } from './k8s.ts';
import type { Topology } from './nodes.ts';
import { DEFAULT_TOPOLOGY, ensureNodes, topologyNodes } from './nodes.ts';
import { findLeftovers } from './processes.ts';
import { applySeed, recordBaseline, resetToBaseline, waitSeedWorkloads } from './seed.ts';
import { waitFor } from './wait.ts';

export interface StartClusterOptions {
  /** State directory (certs, etcd data, logs, kubeconfigs, pid file). */
  dir: string;
  topology?: Topology;
  /** Skip the KubeEdge/Cilium seed objects (default false). */
  noSeed?: boolean;
  log?: (line: string) => void;
}

export interface RunningCluster extends ClusterInfo {
  topology: Topology;
  seeded: boolean;
  /** Milliseconds: building/checking binaries, starting processes, nodes Ready + seed rolled out. */
  timings: { binariesMs: number; controlPlaneMs: number; nodesAndSeedMs: number };
}

const TOPOLOGY_FILE = 'topology.json';

export async function startCluster(opts: StartClusterOptions): Promise<RunningCluster> {
  const say = opts.log ?? (() => {});
  const t0 = Date.now();
  await ensureBinaries();
  const t1 = Date.now();
  const info = await startControlPlane({ dir: opts.dir, log: say });
  const t2 = Date.now();
  const topology = opts.topology ?? DEFAULT_TOPOLOGY;
  try {
    await writeFile(join(opts.dir, TOPOLOGY_FILE), JSON.stringify(topology));
    const kc = loadKubeConfig(info.kubeconfig);
    say('creating simulated nodes');
    await ensureNodes(kc, topologyNodes(topology));
    if (opts.noSeed !== true) {
      say('seeding KubeEdge + Cilium objects');
      await applySeed(kc);
      await waitSeedWorkloads(kc);
    }
    await recordBaseline(kc, opts.dir);
  } catch (e) {
    await stopControlPlane(opts.dir);
    throw e;
  }
  return {
    ...info,
    topology,
    seeded: opts.noSeed !== true,
    timings: { binariesMs: t1 - t0, controlPlaneMs: t2 - t1, nodesAndSeedMs: Date.now() - t2 },
  };
}

/**
 * Stops every process of the cluster in dir and checks that none is left (by the instance
 * marker in each process environment). Removes dir unless keepDir. Throws on leftovers.
 */
export async function stopCluster(dir: string, opts: { keepDir?: boolean } = {}): Promise<void> {
  const info = readClusterInfo(dir);
  await stopControlPlane(dir);
  if (info !== undefined) {
    const left = findLeftovers(info.instanceId);
    if (left.length > 0) {
      // Kill them so nothing survives the run, but still fail: something escaped its group.
      for (const p of left) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      if (opts.keepDir !== true) await rm(dir, { recursive: true, force: true });
      throw new Error(`harness processes left behind (now killed): ${left.map((p) => `${p.pid} ${p.cmd}`).join('; ')}`);
    }
  }
  if (opts.keepDir !== true) await rm(dir, { recursive: true, force: true });
}

export function clusterTopology(dir: string): Topology {
  const f = join(dir, TOPOLOGY_FILE);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as Topology) : DEFAULT_TOPOLOGY;
}

/**
 * Whole-cluster clean state: every simulated node back (connected, seed labels, no extra
 * taints, extra nodes deleted), objects created since seeding deleted, seed objects restored
 * to their exact seed content and rolled out.
 */
export async function resetCluster(info: ClusterInfo): Promise<void> {
  if (crashLoopImages(info.dir).length > 0) await setCrashLoopImages(info, []);
  const kc = loadKubeConfig(info.kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const wanted = topologyNodes(clusterTopology(info.dir));
  const names = new Set(wanted.map((n) => n.name));
  for (const node of (await core.listNode()).items) {
    const name = node.metadata?.name ?? '';
    if (!names.has(name)) await core.deleteNode({ name });
  }
  for (const n of wanted) {
    let node: k8s.V1Node;
    try {
      node = await core.readNode({ name: n.name });
    } catch {
      continue; // recreated by ensureNodes below
    }
    node.metadata = {
      ...node.metadata,
      labels: { ...n.labels },
      annotations: { ...node.metadata?.annotations, [KWOK_MANAGED.key]: KWOK_MANAGED.value },
    };
    node.spec = {
      ...node.spec,
      unschedulable: false,
      taints: (node.spec?.taints ?? []).filter((t) => t.key.startsWith('node.kubernetes.io/')),
    };
    await core.replaceNode({ name: n.name, body: node });
  }
  await ensureNodes(kc, wanted);
  await resetToBaseline(kc, info.dir);
  await waitSeedWorkloads(kc);
}

/**
 * From now on, pods with a container whose image is one of `images` crash-loop (phase
 * Running, Ready=False, restartCount 5, waiting reason CrashLoopBackOff) instead of running;
 * [] ends that. Restarts kwok with the new stages (about a second; nodes stay Ready).
 * Pods that already run keep their state. resetCluster() clears the list.
 */
export async function setCrashLoopImages(info: ClusterInfo, images: string[]): Promise<void> {
  const kwok = await startKwok(info.dir, info.instanceId, [...new Set(images)]);
  await waitKwokHealthy(kwok.daemon, kwok.port);
  const coordination = loadKubeConfig(info.kubeconfig).makeApiClient(k8s.CoordinationV1Api);
  const connected = (await loadKubeConfig(info.kubeconfig).makeApiClient(k8s.CoreV1Api).listNode()).items
    .filter((n) => n.metadata?.annotations?.[KWOK_MANAGED.key] === KWOK_MANAGED.value)
    .map((n) => n.metadata?.name ?? '');
  await waitFor(
    'node Leases renewed by the new kwok',
    async () => {
      const leases = new Set(
        (await coordination.listNamespacedLease({ namespace: 'kube-node-lease' })).items.map((l) => l.metadata?.name),
      );
      return connected.every((n) => leases.has(n));
    },
    { timeoutMs: 15_000, intervalMs: 100 },
  );
}

export interface TestNamespace {
  name: string;
  /** Deletes the namespace and waits until it is gone. */
  cleanup: () => Promise<void>;
}

export const TEST_NAMESPACE_LABEL = 'kec.kubeedge.io/harness-test';

/** A new namespace (prefix-<random>) for a namespace-scoped test. */
export async function freshNamespace(info: ClusterInfo, prefix = 'kec-test'): Promise<TestNamespace> {
  const kc = loadKubeConfig(info.kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await core.createNamespace({ body: { metadata: { name, labels: { [TEST_NAMESPACE_LABEL]: 'true' } } } });
  // The ServiceAccount admission needs the namespace's default ServiceAccount for pods.
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await core.readNamespacedServiceAccount({ name: 'default', namespace: name });
      break;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    name,
    cleanup: async () => {
      try {
        await core.deleteNamespace({ name });
      } catch (e) {
        if ((e as { code?: number }).code !== 404) throw e;
      }
      const until = Date.now() + 60_000;
      for (;;) {
        try {
          await core.readNamespace({ name });
        } catch (e) {
          if ((e as { code?: number }).code === 404) return;
          throw e;
        }
        if (Date.now() > until) throw new Error(`namespace ${name} not deleted after 60 s`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
  };
}
