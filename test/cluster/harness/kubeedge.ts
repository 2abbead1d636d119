// The KubeEdge half of a harness cluster: CRDs, the real cloudcore (through its reconciler),
// the edge nodes' network namespaces and the hollow edge nodes; their teardown and reset.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import {
  applyKubeEdgeCrds,
  readCloudcoreState,
  readJoinToken,
  startCloudcore,
  waitCloudcoreServing,
} from './cloudcore.ts';
import { startHollowNode } from './edge-nodes.ts';
import type { KubeEdgeBinaries } from './kubeedge-binaries.ts';
import { createClusterNet, deleteClusterNetSync, leftoverNet, linkUp, readClusterNet } from './netns.ts';
import type { SimNode } from './nodes.ts';
import { waitNodesReady } from './nodes.ts';
import { waitFor } from './wait.ts';

const EDGE_LABELS_FILE = 'edge-node-labels.json';

/** Before cloudcore starts: KubeEdge's CRDs (the seed brings namespace, ConfigMap and Deployment). */
export async function prepareKubeEdge(kc: k8s.KubeConfig, bins: KubeEdgeBinaries): Promise<void> {
  await applyKubeEdgeCrds(kc, bins.crdDir);
}

/**
 * Starts cloudcore (reads the seeded ConfigMap kubeedge/cloudcore), then one hollow node per
 * edge node in its own namespace with the join token cloudcore created, and waits until every
 * edge node is registered and Ready. Records the labels they registered with (for reset).
 */
export async function startKubeEdge(o: {
  dir: string;
  instanceId: string;
  kubeconfig: string;
  kc: k8s.KubeConfig;
  bins: KubeEdgeBinaries;
  edge: SimNode[];
  log: (l: string) => void;
}): Promise<void> {
  const net = await createClusterNet(
    o.dir,
    o.edge.map((n) => n.name),
  );
  o.log(
    `cloudcore on ${net.hostAddress} (bridge ${net.bridge}), edge namespaces ${net.nodes.map((n) => n.netns).join(', ')}`,
  );
  const reconciler = await startCloudcore({
    dir: o.dir,
    instanceId: o.instanceId,
    bin: o.bins.cloudcore,
    kubeconfig: o.kubeconfig,
    address: net.hostAddress,
  });
  await Promise.race([
    waitCloudcoreServing(o.dir, 90_000),
    reconciler.exited.then((how) => {
      throw new Error(
        `cloudcore-reconciler exited (${how}); see ${reconciler.log} and ${join(o.dir, 'logs', 'cloudcore.log')}`,
      );
    }),
  ]);
  const token = await readJoinToken(o.kc);
  o.log(`hollow edge nodes ${o.edge.map((n) => n.name).join(', ')}`);
  for (const [i, node] of o.edge.entries()) {
    const nn = net.nodes.find((x) => x.node === node.name);
    if (nn === undefined) throw new Error(`no namespace for ${node.name}`);
    await startHollowNode({
      dir: o.dir,
      instanceId: o.instanceId,
      bin: o.bins.hollowEdgecore,
      node,
      net: nn,
      index: i + 1,
      cluster: net,
      token,
    });
  }
  await waitNodesReady(
    o.kc,
    o.edge.map((n) => n.name),
    'True',
    120_000,
  );
  const core = o.kc.makeApiClient(k8s.CoreV1Api);
  const labels: Record<string, Record<string, string>> = {};
  for (const n of o.edge) labels[n.name] = (await core.readNode({ name: n.name })).metadata?.labels ?? {};
  await writeFile(join(o.dir, EDGE_LABELS_FILE), JSON.stringify(labels, null, 1));
}

/**
 * Waits until every edge node whose link is up has renewed its Lease (through cloudcore) since
 * the running cloudcore started, i.e. has reconnected after a cloudcore restart.
 */
export async function waitEdgeReconnected(kc: k8s.KubeConfig, dir: string, timeoutMs = 60_000): Promise<void> {
  const net = readClusterNet(dir);
  const state = readCloudcoreState(dir);
  if (net === undefined || state === undefined) return;
  const since = Date.parse(state.startedAt);
  const names = net.nodes.filter((n) => linkUp(dir, n.node)).map((n) => n.node);
  const coordination = kc.makeApiClient(k8s.CoordinationV1Api);
  await waitFor(
    `edge nodes ${names.join(',')} reconnected to cloudcore (Lease renewed)`,
    async () => {
      const leases = (await coordination.listNamespacedLease({ namespace: 'kube-node-lease' })).items;
      return names.every((n) => {
        const renew = leases.find((l) => l.metadata?.name === n)?.spec?.renewTime;
        return renew !== undefined && new Date(renew).getTime() > since;
      });
    },
    { timeoutMs, intervalMs: 500 },
  );
}

/** Removes the namespaces, veths and bridge; throws when some of them could not be removed. */
export function teardownKubeEdgeNet(dir: string): void {
  const net = readClusterNet(dir);
  if (net === undefined) return;
  deleteClusterNetSync(dir);
  const left = leftoverNet(net);
  if (left.length > 0) throw new Error(`network namespaces/links left behind: ${left.join(', ')}`);
}
