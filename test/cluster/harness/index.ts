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
import type { SimNode } from './nodes.ts';
import { setNodeConnected, topologyNodes } from './nodes.ts';
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

/** An admin KubeConfig for the cluster (or for any kubeconfig file, e.g. a ServiceAccount's). */
/** A KubeConfig for the harness; by default its clients retry 429/503 with Retry-After (retry: false shows raw answers). */
export function kubeConfig(path: string = cluster().kubeconfig, opts: { retry?: boolean } = {}): k8s.KubeConfig {
  if (opts.retry === false) {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(path);
    return kc;
  }
  return loadKubeConfig(path);
}

export function simulatedNodes(c: RunningCluster = cluster()): SimNode[] {
  return topologyNodes(c.topology);
}

export function edgeNodes(group?: string, c: RunningCluster = cluster()): SimNode[] {
  return simulatedNodes(c).filter((n) => n.role === 'edge' && (group === undefined || n.group === group));
}

export function cloudNodes(c: RunningCluster = cluster()): SimNode[] {
  return simulatedNodes(c).filter((n) => n.role === 'cloud');
}

/** Disconnects (false) or reconnects (true) a simulated node and waits for Ready=Unknown/True. */
export async function setEdgeNodeConnected(
  name: string,
  connected: boolean,
  c: RunningCluster = cluster(),
): Promise<void> {
  await setNodeConnected(loadKubeConfig(c.kubeconfig), name, connected);
}

/** Pods using one of these images crash-loop from now on ([] to stop); see cluster.ts. */
export async function setCrashLoopImages(images: string[], c: RunningCluster = cluster()): Promise<void> {
  await setCrashLoopImagesOf(c, images);
}
