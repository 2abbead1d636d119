// Integration tests of the harness itself: real apiserver, controllers and kwok nodes.
// Edge nodes: kwok's site-a/site-b, not hollow KubeEdge nodes (docs/harness.md): this file tests
// the kwok half of the harness itself (stages, crash-loop images, link cuts); the KubeEdge half is
// tested by kubeedge*.itest.ts.
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOUDCORE, EDGE_LABELS } from '../../src/knowledge/kubeedge.ts';
import {
  cloudNodes,
  cluster,
  edgeNodes,
  freshNamespace,
  harness,
  kubeConfig,
  mintServiceAccountKubeconfig,
  resetCluster,
  setCrashLoopImages,
  setEdgeNodeConnected,
  simulatedNodes,
  waitFor,
} from './harness/index.ts';
import type { TestNamespace } from './harness/index.ts';
import { GROUP_LABEL } from '../../src/names.ts';

const h = harness();

function edgeDaemonSet(
  name: string,
  namespace: string,
  nodeAffinity: k8s.V1NodeSelectorRequirement[],
): k8s.V1DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: nodeAffinity }],
              },
            },
          },
          containers: [{ name: 'agent', image: 'registry.invalid/agent:1' }],
        },
      },
    },
  };
}

async function runningPodsByNode(
  core: k8s.CoreV1Api,
  namespace: string,
  selector: string,
): Promise<Map<string, number>> {
  const pods = await core.listNamespacedPod({ namespace, labelSelector: selector });
  const byNode = new Map<string, number>();
  for (const p of pods.items) {
    const ready = p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    if (p.status?.phase === 'Running' && ready && p.metadata?.deletionTimestamp === undefined) {
      const node = p.spec?.nodeName ?? '';
      byNode.set(node, (byNode.get(node) ?? 0) + 1);
    }
  }
  return byNode;
}

describe.skipIf(!h.available)('control-plane harness', () => {
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  let apps: k8s.AppsV1Api;
  let ns: TestNamespace;

  beforeAll(async () => {
    kc = kubeConfig();
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
    ns = await freshNamespace(cluster(), 'harness');
  });
  afterAll(async () => {
    await ns?.cleanup();
  });

  it('runs the pinned Kubernetes version with cloud and labelled edge nodes, all Ready', async () => {
    const version = await kc.makeApiClient(k8s.VersionApi).getCode();
    expect(`v${version.major}.${version.minor}`).toBe(cluster().k8sVersion.replace(/\.\d+$/, ''));
    const nodes = (await core.listNode()).items;
    expect(nodes.map((n) => n.metadata?.name).sort()).toEqual(
      simulatedNodes()
        .map((n) => n.name)
        .sort(),
    );
    for (const n of nodes) expect(n.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    const edge = nodes.filter((n) => n.metadata?.labels?.[EDGE_LABELS.edge] === '');
    expect(edge).toHaveLength(edgeNodes().length);
    for (const n of edge) {
      expect(n.metadata?.labels?.[EDGE_LABELS.agent]).toBe('');
      expect(n.metadata?.labels?.[GROUP_LABEL]).toMatch(/^site-[ab]$/);
    }
    expect(new Set(edge.map((n) => n.metadata?.labels?.[GROUP_LABEL])).size).toBeGreaterThanOrEqual(2);
    expect(cloudNodes()).toHaveLength(2);
  });

  it('is seeded like a plain helm install of Cilium next to KubeEdge cloudcore', async () => {
    const ds = await apps.readNamespacedDaemonSet({ name: 'cilium', namespace: 'kube-system' });
    expect(ds.metadata?.labels).toMatchObject({
      'k8s-app': 'cilium',
      'app.kubernetes.io/name': 'cilium-agent',
      'app.kubernetes.io/part-of': 'cilium',
    });
    const agent = ds.spec?.template.spec?.containers.find((c) => c.name === 'cilium-agent');
    expect(agent?.args).toEqual(['--config-dir=/tmp/cilium/config-map']);
    expect(ds.spec?.template.spec?.initContainers?.find((c) => c.name === 'config')?.command).toEqual([
      'cilium-dbg',
      'build-config',
    ]);
    expect(ds.spec?.template.spec?.affinity?.nodeAffinity).toBeUndefined();
    // Without the edge-excluding affinity the agent runs on every node, edge ones included.
    expect(ds.status?.numberReady).toBe(simulatedNodes().length);
    await apps.readNamespacedDaemonSet({ name: 'cilium-envoy', namespace: 'kube-system' });
    const op = await apps.readNamespacedDeployment({ name: 'cilium-operator', namespace: 'kube-system' });
    expect(op.status?.readyReplicas).toBe(2);
    const cfg = await core.readNamespacedConfigMap({ name: 'cilium-config', namespace: 'kube-system' });
    expect(cfg.data?.['routing-mode']).toBe('tunnel');
    const cc = await core.readNamespacedConfigMap({ name: CLOUDCORE.configMap, namespace: 'kubeedge' });
    expect(cc.data?.[CLOUDCORE.configKey]).toContain('kind: CloudCore');
    const ccPods = await core.listNamespacedPod({ namespace: 'kubeedge', labelSelector: CLOUDCORE.podSelector });
    expect(ccPods.items.map((p) => p.spec?.serviceAccountName)).toEqual([CLOUDCORE.serviceAccount]);
    const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
    expect((await rbac.readClusterRoleBinding({ name: 'cilium' })).subjects).toEqual([
      { kind: 'ServiceAccount', name: 'cilium', namespace: 'kube-system' },
    ]);
    const crds = await kc.makeApiClient(k8s.ApiextensionsV1Api).listCustomResourceDefinition();
    expect(crds.items.map((c) => c.metadata?.name)).toEqual(
      expect.arrayContaining([
        'ciliumnetworkpolicies.cilium.io',
        'ciliumclusterwidenetworkpolicies.cilium.io',
        'ciliumendpoints.cilium.io',
        'ciliumnodes.cilium.io',
        'ciliumidentities.cilium.io',
        'ciliumpodippools.cilium.io',
      ]),
    );
  });

  it('DaemonSet controller creates one Running pod per matching edge node (all edge nodes, then one group)', async () => {
    const all = edgeDaemonSet('edge-agent', ns.name, [{ key: EDGE_LABELS.edge, operator: 'Exists' }]);
    const siteA = edgeDaemonSet('site-a-agent', ns.name, [{ key: GROUP_LABEL, operator: 'In', values: ['site-a'] }]);
    await apps.createNamespacedDaemonSet({ namespace: ns.name, body: all });
    await apps.createNamespacedDaemonSet({ namespace: ns.name, body: siteA });
    const expectOnePer = async (app: string, nodes: string[]): Promise<void> => {
      const byNode = await waitFor(
        `${app} pods Running on ${nodes.join(',')}`,
        async () => {
          const m = await runningPodsByNode(core, ns.name, `app=${app}`);
          return m.size === nodes.length ? m : undefined;
        },
        { timeoutMs: 60_000 },
      );
      expect([...byNode.keys()].sort()).toEqual([...nodes].sort());
      expect([...byNode.values()].every((n) => n === 1)).toBe(true);
    };
    await expectOnePer(
      'edge-agent',
      edgeNodes().map((n) => n.name),
    );
    await expectOnePer(
      'site-a-agent',
      edgeNodes('site-a').map((n) => n.name),
    );
    const ds = await apps.readNamespacedDaemonSet({ name: 'edge-agent', namespace: ns.name });
    expect(ds.status?.desiredNumberScheduled).toBe(edgeNodes().length);
  });

  it('puts an edge node NotReady (disconnected site) and back; the node lifecycle controller taints it', async () => {
    const node = edgeNodes('site-b')[0]?.name ?? '';
    await setEdgeNodeConnected(node, false);
    const tainted = await waitFor(
      'unreachable taint from the node lifecycle controller',
      async () => {
        const n = await core.readNode({ name: node });
        return n.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unreachable') === true ? n : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(tainted.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('Unknown');
    await setEdgeNodeConnected(node, true);
    await waitFor(
      'unreachable taint removed',
      async () => {
        const n = await core.readNode({ name: node });
        return !(n.spec?.taints ?? []).some((t) => t.key === 'node.kubernetes.io/unreachable');
      },
      { timeoutMs: 30_000 },
    );
  });

  it('makes pods of chosen images crash-loop (a broken image on one site) while others run', async () => {
    const bad = 'registry.invalid/site-a/agent:broken';
    await setCrashLoopImages([bad]);
    try {
      const ds = edgeDaemonSet('broken-agent', ns.name, [{ key: GROUP_LABEL, operator: 'In', values: ['site-a'] }]);
      const container = ds.spec?.template.spec?.containers[0];
      if (container !== undefined) container.image = bad;
      await apps.createNamespacedDaemonSet({ namespace: ns.name, body: ds });
      const pods = await waitFor(
        'crash-looping pods',
        async () => {
          const list = (await core.listNamespacedPod({ namespace: ns.name, labelSelector: 'app=broken-agent' })).items;
          const crashing = list.filter(
            (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff',
          );
          return crashing.length === edgeNodes('site-a').length ? crashing : undefined;
        },
        { timeoutMs: 30_000 },
      );
      for (const p of pods) expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
      await waitFor(
        'DaemonSet status counts them unavailable',
        async () => {
          const s = (await apps.readNamespacedDaemonSet({ name: 'broken-agent', namespace: ns.name })).status;
          return s?.numberUnavailable === edgeNodes('site-a').length && s.numberReady === 0;
        },
        { timeoutMs: 30_000 },
      );
      // The edge agents with a good image stay Running.
      expect((await runningPodsByNode(core, ns.name, 'app=edge-agent')).size).toBe(edgeNodes().length);
    } finally {
      await setCrashLoopImages([]);
    }
  });

  it('mints ServiceAccount kubeconfigs whose rights are exactly what RBAC grants', async () => {
    const path = await mintServiceAccountKubeconfig(cluster(), ns.name, 'reader');
    const saCore = kubeConfig(path).makeApiClient(k8s.CoreV1Api);
    await expect(saCore.listNode()).rejects.toMatchObject({ code: 403 });
    const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
    const roleName = `${ns.name}-node-reader`;
    await rbac.createClusterRole({
      body: { metadata: { name: roleName }, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }] },
    });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: roleName },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
        subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: ns.name }],
      },
    });
    try {
      const nodes = await waitFor('RBAC grant visible', async () => (await saCore.listNode()).items, {
        timeoutMs: 10_000,
      });
      expect(nodes.length).toBe(simulatedNodes().length);
      await expect(saCore.listNamespacedSecret({ namespace: 'kube-system' })).rejects.toMatchObject({ code: 403 });
    } finally {
      await rbac.deleteClusterRoleBinding({ name: roleName });
      await rbac.deleteClusterRole({ name: roleName });
    }
  });

  it('resets the whole cluster to the seed state', async () => {
    await apps.patchNamespacedDaemonSet(
      {
        name: 'cilium',
        namespace: 'kube-system',
        body: {
          spec: {
            template: {
              spec: {
                affinity: {
                  nodeAffinity: {
                    requiredDuringSchedulingIgnoredDuringExecution: {
                      nodeSelectorTerms: [{ matchExpressions: [{ key: EDGE_LABELS.edge, operator: 'DoesNotExist' }] }],
                    },
                  },
                },
              },
            },
          },
        },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
    await rbac.createClusterRole({ body: { metadata: { name: 'kec-reset-probe' }, rules: [] } });
    await core.createNamespace({ body: { metadata: { name: 'kec-reset-probe' } } });
    await core.patchNode(
      { name: edgeNodes()[0]?.name ?? '', body: { metadata: { labels: { 'kec-reset-probe': 'x' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );

    await resetCluster(cluster());

    const ds = await apps.readNamespacedDaemonSet({ name: 'cilium', namespace: 'kube-system' });
    expect(ds.spec?.template.spec?.affinity?.nodeAffinity).toBeUndefined();
    expect(ds.status?.numberReady).toBe(simulatedNodes().length);
    await expect(rbac.readClusterRole({ name: 'kec-reset-probe' })).rejects.toMatchObject({ code: 404 });
    await expect(core.readNamespace({ name: 'kec-reset-probe' })).rejects.toMatchObject({ code: 404 });
    expect(
      (await core.readNode({ name: edgeNodes()[0]?.name ?? '' })).metadata?.labels?.['kec-reset-probe'],
    ).toBeUndefined();
  });
});
