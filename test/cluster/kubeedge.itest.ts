// The KubeEdge half of the harness is real: cloudcore v1.23.1 started from the ConfigMap
// kubeedge/cloudcore and restarted through the Deployment's pod template, hollow edge nodes
// with their own MetaServer in their own network namespace, and a link that can be cut.
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cloudNodes,
  cluster,
  cutLink,
  edgeNodes,
  harness,
  kubeConfig,
  metaServerGet,
  readCloudcoreState,
  resetCluster,
  restoreLink,
  waitEdgeConnected,
  waitFor,
  waitNodesReady,
} from './harness/index.ts';

const h = harness();
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const CILIUM_NODES = '/apis/cilium.io/v2/ciliumnodes';

function isList(body: string, kind: string): boolean {
  try {
    const o = JSON.parse(body) as { kind?: string; items?: unknown; metadata?: { resourceVersion?: string } };
    return o.kind === kind && Array.isArray(o.items);
  } catch {
    return false;
  }
}

describe.skipIf(!h.available)('KubeEdge in the harness (real cloudcore, hollow edge nodes)', () => {
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  beforeAll(async () => {
    kc = kubeConfig();
    core = kc.makeApiClient(k8s.CoreV1Api);
    await resetCluster(cluster());
  });
  afterAll(async () => {
    if (h.available) await resetCluster(cluster());
  });

  it('edge nodes are hollow KubeEdge nodes, Ready, with a KubeEdge kubelet version; cloud nodes stay kwok', async () => {
    for (const n of edgeNodes()) {
      const node = await core.readNode({ name: n.name });
      expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status, n.name).toBe('True');
      expect(node.status?.nodeInfo?.kubeletVersion, n.name).toMatch(/kubeedge/);
      expect(node.metadata?.annotations?.['kwok.x-k8s.io/node']).toBeUndefined();
      expect(node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address).toBe(n.ip);
      expect(n.ip).toMatch(/^198\.18\.\d+\.\d+$/);
    }
    for (const n of cloudNodes()) {
      expect((await core.readNode({ name: n.name })).status?.nodeInfo?.kubeletVersion).toMatch(/^kwok-/);
    }
    // Pods on edge nodes are run by the node's own kubelet (fake CRI), not by kwok.
    const agents = (await core.listNamespacedPod({ namespace: 'kube-system', labelSelector: 'k8s-app=cilium' })).items;
    for (const n of edgeNodes()) {
      const pod = agents.find((p) => p.spec?.nodeName === n.name);
      expect(pod?.status?.containerStatuses?.[0]?.containerID, n.name).toMatch(/^fakeRuntime:\/\//);
      expect(pod?.status?.hostIP).toBe(n.ip);
    }
    // Each node has its own MetaServer on 127.0.0.1:10550 that knows its own Node.
    const first = edgeNodes()[0]!.name;
    const r = await metaServerGet(first, `/api/v1/nodes/${first}`);
    expect(r.status).toBe(200);
    expect((JSON.parse(r.body) as k8s.V1Node).metadata?.name).toBe(first);
    // The Deployment is kept for kec but runs no pod: the cloudcore process is the harness's.
    const dep = await kc
      .makeApiClient(k8s.AppsV1Api)
      .readNamespacedDeployment({ name: 'cloudcore', namespace: 'kubeedge' });
    expect(dep.spec?.replicas).toBe(0);
    const state = readCloudcoreState(cluster().dir);
    expect(state?.pid).toBeGreaterThan(0);
    expect(() => process.kill(state!.pid, 0)).not.toThrow();
  });

  it('serves Cilium CRDs through MetaServer only after dynamicController is enabled in the ConfigMap and cloudcore restarted via the Deployment', async () => {
    const node = edgeNodes('site-a')[0]!.name;
    const before = readCloudcoreState(cluster().dir)!;
    expect(before.dynamicController).toBe(false);
    const off = await metaServerGet(node, CILIUM_NODES);
    expect(isList(off.body, 'CiliumNodeList'), `${off.status} ${off.body.slice(0, 200)}`).toBe(false);

    const cm = await core.readNamespacedConfigMap({ name: 'cloudcore', namespace: 'kubeedge' });
    const yaml = (cm.data?.['cloudcore.yaml'] ?? '').replace(
      /^modules:\n/m,
      'modules:\n  dynamicController:\n    enable: true\n',
    );
    await core.patchNamespacedConfigMap(
      { name: 'cloudcore', namespace: 'kubeedge', body: { data: { 'cloudcore.yaml': yaml } } },
      merge,
    );
    // Exactly what kec install does to restart cloudcore.
    await kc.makeApiClient(k8s.AppsV1Api).patchNamespacedDeployment(
      {
        name: 'cloudcore',
        namespace: 'kubeedge',
        body: {
          spec: {
            template: { metadata: { annotations: { 'kec.kubeedge.io/restartedAt': new Date().toISOString() } } },
          },
        },
      },
      merge,
    );

    const after = await waitFor(
      'cloudcore restarted with dynamicController',
      async () => {
        const s = readCloudcoreState(cluster().dir);
        return s !== undefined && s.starts > before.starts && s.dynamicController ? s : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(after.pid).not.toBe(before.pid);
    const served = await waitFor(
      'MetaServer lists ciliumnodes',
      async () => {
        const r = await metaServerGet(node, CILIUM_NODES);
        return r.status === 200 && isList(r.body, 'CiliumNodeList') ? r : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    expect(
      (JSON.parse(served.body) as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion,
    ).toBeTruthy();
  });

  it('a cut link turns the node NotReady while its MetaServer answers from its local store; restoring the link is enough to be Ready again', async () => {
    const node = edgeNodes('site-b')[0]!.name;
    const other = edgeNodes('site-b')[1]!.name;
    await waitEdgeConnected(); // after the cloudcore restart of the previous test
    await waitNodesReady(
      kc,
      edgeNodes().map((n) => n.name),
      'True',
    );
    await cutLink(node);
    try {
      await waitNodesReady(kc, [node], 'Unknown', 90_000);
      const pods = await metaServerGet(node, '/api/v1/namespaces/kube-system/pods');
      expect(pods.status).toBe(200);
      const list = JSON.parse(pods.body) as k8s.V1PodList;
      expect(list.items.some((p) => p.spec?.nodeName === node)).toBe(true);
      const nodes = await metaServerGet(node, `/api/v1/nodes/${node}`);
      expect(nodes.status).toBe(200);
      // The rest of the site is unaffected.
      expect((await core.readNode({ name: other })).status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe(
        'True',
      );
    } finally {
      await restoreLink(node);
    }
    await waitNodesReady(kc, [node], 'True', 120_000);
  });
});
