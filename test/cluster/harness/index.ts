// The API integration tests use. Import from 'test/cluster/harness/index.ts'.
//
//   const h = harness();
//   describe.skipIf(!h.available)('my feature', () => {
//     it('works', async () => {
//       const c = cluster();                      // RunningCluster: kubeconfig, server, ...
//       const ns = await freshNamespace(c);       // namespace-scoped clean state
//       ...
//       await ns.cleanup();
//     });
//   });
import { inject } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import type { RunningCluster } from './cluster.ts';
import type { HarnessContext } from './context.ts';
import { loadKubeConfig } from './k8s.ts';
import { METASERVER, setAgentHealthy } from './edge-nodes.ts';
import { waitEdgeReconnected } from './kubeedge.ts';
import { getInNetns, linkUp, setLink } from './netns.ts';
import type { SimNode } from './nodes.ts';
import { runningNodes, setNodeConnected } from './nodes.ts';
import './context.ts';

export { helmBinary, kubectlBinary } from './binaries.ts';
export type { RunningCluster, TestNamespace } from './cluster.ts';
export { freshNamespace, resetCluster, TEST_NAMESPACE_LABEL } from './cluster.ts';
import { setCrashLoopImages as setCrashLoopImagesOf } from './cluster.ts';
export type { ClusterInfo } from './control-plane.ts';
export type { HarnessContext } from './context.ts';
export type { Fault, FaultProxy, FaultRule, ProxiedRequest } from './fault-proxy.ts';
export { startFaultProxy } from './fault-proxy.ts';
export type { SimNode, Topology } from './nodes.ts';
export { waitNodesReady } from './nodes.ts';
export { readCloudcoreState, waitCloudcoreServing } from './cloudcore.ts';

/** Waits until the edge nodes (links up) reconnected to the running cloudcore, e.g. after it restarted. */
export async function waitEdgeConnected(c: RunningCluster = cluster()): Promise<void> {
  await waitEdgeReconnected(loadKubeConfig(c.kubeconfig), c.dir);
}
export { mintServiceAccountKubeconfig } from './service-account.ts';
export type { ServiceAccountKubeconfigOptions } from './service-account.ts';
export { waitFor } from './wait.ts';

/** What globalSetup provided: the cluster, or why integration tests are skipped. */
export function harness(): HarnessContext {
  return inject('kecHarness');
}

/** The running cluster; throws when the harness is unavailable (use describe.skipIf(!harness().available)). */
export function cluster(): RunningCluster {
  const h = harness();
  if (!h.available) throw new Error(`harness unavailable: ${h.reason}`);
  return h.cluster;
}

/**
 * An admin KubeConfig for the cluster (or for any kubeconfig file, e.g. a ServiceAccount's).
 * Its clients retry 429/503 with Retry-After like client-go; { retry: false } for raw answers.
 */
export function kubeConfig(path: string = cluster().kubeconfig, opts: { retry?: boolean } = {}): k8s.KubeConfig {
  if (opts.retry !== false) return loadKubeConfig(path);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

/** Every node of the topology: kwok cloud nodes and hollow KubeEdge edge nodes. */
export function simulatedNodes(c: RunningCluster = cluster()): SimNode[] {
  return runningNodes(c.topology, c.dir);
}

export function edgeNodes(group?: string, c: RunningCluster = cluster()): SimNode[] {
  return simulatedNodes(c).filter((n) => n.role === 'edge' && (group === undefined || n.group === group));
}

export function cloudNodes(c: RunningCluster = cluster()): SimNode[] {
  return simulatedNodes(c).filter((n) => n.role === 'cloud');
}

/**
 * Cuts (false) or restores (true) the links of edge nodes (host-side veth down/up) and waits
 * until they are all Ready=Unknown (node lifecycle grace, 20-40 s) or Ready=True again.
 */
export async function setEdgeNodesConnected(
  names: string[],
  connected: boolean,
  c: RunningCluster = cluster(),
): Promise<void> {
  await setNodeConnected(loadKubeConfig(c.kubeconfig), c.dir, names, connected);
}

/** One edge node; see setEdgeNodesConnected. */
export async function setEdgeNodeConnected(
  name: string,
  connected: boolean,
  c: RunningCluster = cluster(),
): Promise<void> {
  await setEdgeNodesConnected([name], connected, c);
}

/** The edge node's link goes down now (no waiting): cloudcore and the node no longer reach each other. */
export async function cutLink(node: string, c: RunningCluster = cluster()): Promise<void> {
  await setLink(c.dir, node, false);
}

/** The edge node's link comes back (no waiting; the node reconnects on its own). */
export async function restoreLink(node: string, c: RunningCluster = cluster()): Promise<void> {
  await setLink(c.dir, node, true);
}

export function isLinkUp(node: string, c: RunningCluster = cluster()): boolean {
  return linkUp(c.dir, node);
}

/** GET http://127.0.0.1:10550<path> inside the node's namespace (its MetaServer); status 0 when unreachable. */
export async function metaServerGet(
  node: string,
  path: string,
  c: RunningCluster = cluster(),
): Promise<{ status: number; body: string }> {
  return getInNetns(c.dir, node, `${METASERVER}${path}`);
}

/**
 * Cilium agent health on an edge node: false makes the node's probe responder answer 503 on
 * 127.0.0.1:9879/healthz, so agent pods there go (or stay) not Ready after their probes;
 * true restores it. resetCluster makes every node healthy again.
 */
export async function setAgentHealth(node: string, healthy: boolean, c: RunningCluster = cluster()): Promise<void> {
  await setAgentHealthy(c.dir, node, healthy);
}

/** Pods on kwok (cloud) nodes using one of these images crash-loop from now on ([] to stop); see cluster.ts. */
export async function setCrashLoopImages(images: string[], c: RunningCluster = cluster()): Promise<void> {
  await setCrashLoopImagesOf(c, images);
}
