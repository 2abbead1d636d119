// A real KubeEdge site on top of the running harness cluster, for the tests that need one:
// the real cloudcore v1.23.1 (through its reconciler: config regenerated from the ConfigMap
// kubeedge/cloudcore, restarted when the Deployment's pod template changes) and hollow edge
// nodes (real edged, edgehub and MetaServer; fake CRI), each in its own network namespace with
// its own 127.0.0.1:10550 and a link that can be cut. Started by a test file, stopped by it:
// the rest of the suite keeps kwok's edge nodes (docs/harness.md says why).
import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import type { RunningCluster } from './cluster.ts';
import { readCloudcoreState } from './cloudcore.ts';
import type { ReconcilerState } from './daemons/cloudcore-reconciler.ts';
import { METASERVER, setAgentHealthy } from './edge-nodes.ts';
import { loadKubeConfig } from './k8s.ts';
import { ensureKubeEdgeBinaries } from './kubeedge-binaries.ts';
import { prepareKubeEdge, startKubeEdge, teardownKubeEdgeNet, waitEdgeReconnected } from './kubeedge.ts';
import { checkNetnsPrerequisites, getInNetns, nodeNet, setLink } from './netns.ts';
import type { SimNode } from './nodes.ts';
import { topologyNodes, waitNodesReady } from './nodes.ts';
import { stopDaemons } from './processes.ts';

export interface KubeEdgeSite {
  /** Where the site's processes, logs and namespaces are recorded. */
  dir: string;
  nodes: SimNode[];
  /** The node's network namespace (run a command there with `ip netns exec NAME ...`). */
  netns(node: string): string;
  cloudcore(): ReconcilerState | undefined;
  /** GET <MetaServer><path> from inside the node's namespace; status 0 when unreachable. */
  metaServerGet(node: string, path: string): Promise<{ status: number; body: string }>;
  cutLink(node: string): Promise<void>;
  /** The Cilium agent health endpoint (127.0.0.1:9879/healthz) on that node: false answers 503. */
  setAgentHealthy(node: string, healthy: boolean): Promise<void>;
  restoreLink(node: string): Promise<void>;
  /** Waits until every node whose link is up renewed its Lease through the running cloudcore. */
  waitReconnected(timeoutMs?: number): Promise<void>;
  /** Stops cloudcore and the nodes, removes the namespaces and the Node objects. */
  stop(): Promise<void>;
}

/** Hollow edge nodes of one group: labelled as keadm and kec label them, no kwok marks. */
export function hollowNodes(group: string, count: number): SimNode[] {
  return topologyNodes({ cloudNodes: 0, edgeGroups: { [group]: count } }).map((n) => {
    const { type: _kwok, ...labels } = n.labels;
    return { ...n, labels };
  });
}

export async function startKubeEdgeSite(
  c: RunningCluster,
  nodes: SimNode[],
  log: (line: string) => void = () => {},
): Promise<KubeEdgeSite> {
  await checkNetnsPrerequisites();
  const bins = await ensureKubeEdgeBinaries();
  const dir = await mkdtemp(join(c.dir, 'kubeedge-'));
  await mkdir(join(dir, 'logs'));
  const kc = loadKubeConfig(c.kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const stop = async (): Promise<void> => {
    await stopDaemons(dir);
    teardownKubeEdgeNet(dir);
    for (const n of nodes)
      await core.deleteNode({ name: n.name }).catch((e: { code?: number }) => {
        if (e.code !== 404) throw e;
      });
  };
  try {
    await prepareKubeEdge(kc, bins);
    await startKubeEdge({ dir, instanceId: c.instanceId, kubeconfig: c.kubeconfig, kc, bins, edge: nodes, log });
  } catch (e) {
    await stop().catch(() => undefined);
    throw new Error(`KubeEdge site did not start; logs in ${join(dir, 'logs')}`, { cause: e });
  }
  return {
    dir,
    nodes,
    netns: (node) => nodeNet(dir, node).netns,
    cloudcore: () => readCloudcoreState(dir),
    metaServerGet: (node, path) => getInNetns(dir, node, `${METASERVER}${path}`),
    cutLink: (node) => setLink(dir, node, false),
    setAgentHealthy: (node, healthy) => setAgentHealthy(dir, node, healthy),
    restoreLink: (node) => setLink(dir, node, true),
    waitReconnected: async (timeoutMs = 90_000) => {
      await waitEdgeReconnected(kc, dir, timeoutMs);
      await waitNodesReady(
        kc,
        nodes.map((n) => n.name),
        'True',
        timeoutMs,
      );
    },
    stop,
  };
}
