// kec diagnose against the real local control plane: each rule found on a cluster seeded with its fault.
// Edge nodes: kwok's site-a/site-b, not hollow KubeEdge nodes (docs/harness.md): the findings come
// from object states (crash loops, missing pods, edge labels) that kwok plays on demand; a fake CRI
// cannot crash-loop a chosen image.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';
import type { DiagnoseReport } from '../../src/cluster/diagnose/diagnose-rules.ts';
import { cluster, edgeNodes, harness, kubeConfig, resetCluster, waitFor } from './harness/index.ts';
import { captureIo, createEdgeAgents, edgeAgentDaemonSet } from './cluster-ops-fixtures.ts';

const h = harness();
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

describe.skipIf(!h.available)('kec diagnose (integration)', () => {
  let kubeconfig: string;
  let kc: k8s.KubeConfig;
  const diagnose = async (...extra: string[]): Promise<{ code: number; report: DiagnoseReport; rules: string[] }> => {
    const io = captureIo();
    const code = await run(['diagnose', '--kubeconfig', kubeconfig, '-o', 'json', '--no-exec', ...extra], io);
    const report = JSON.parse(io.stdout.join('\n')) as DiagnoseReport;
    return { code, report, rules: report.findings.map((f) => f.rule) };
  };
  beforeAll(() => {
    kubeconfig = cluster().kubeconfig;
    kc = kubeConfig();
  });
  let restoreCrd: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await restoreCrd?.();
    if (h.available) await resetCluster(cluster());
  });

  it('on the plain seed (helm install, no kec install): envoy, cloud DaemonSet on edge, no edge DaemonSets, no dynamicController, cloudcore unbound', async () => {
    const { code, rules, report } = await diagnose();
    expect(code).toBe(1);
    expect(rules).toEqual(
      expect.arrayContaining([
        'envoy-blocks-edge-agents',
        'cloud-daemonset-on-edge',
        'edge-daemonset',
        'cloudcore-dynamic-controller-disabled',
        'cloudcore-not-bound-to-cilium-role',
      ]),
    );
    expect(report.findings.filter((f) => f.rule === 'edge-daemonset').map((f) => f.title)).toEqual([
      'edge group site-a: DaemonSet cilium-edge-site-a missing',
      'edge group site-b: DaemonSet cilium-edge-site-b missing',
    ]);
    expect(rules).not.toContain('operator-crds-not-registered');
  });

  it('clears each finding when its fix is applied', async () => {
    const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: 'kec-cloudcore-cilium' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cilium' },
        subjects: [{ kind: 'ServiceAccount', name: 'cloudcore', namespace: 'kubeedge' }],
      },
    });
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const cc = await core.readNamespacedConfigMap({ name: 'cloudcore', namespace: 'kubeedge' });
    const yaml = (cc.data?.['cloudcore.yaml'] ?? '').replace(
      /^modules:\n/m,
      'modules:\n  dynamicController:\n    enable: true\n',
    );
    await core.patchNamespacedConfigMap(
      { name: 'cloudcore', namespace: 'kubeedge', body: { data: { 'cloudcore.yaml': yaml } } },
      merge,
    );
    await kc.makeApiClient(k8s.AppsV1Api).deleteNamespacedDaemonSet({ name: 'cilium-envoy', namespace: 'kube-system' });
    await createEdgeAgents(kc, ['site-a', 'site-b']);
    const { rules, report } = await diagnose();
    expect(rules).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('finds edge DaemonSets not using MetaServer, kube-proxy on edge with KPR, native routing, missing CRDs, restart loops, invalid policies', async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await apps.replaceNamespacedDaemonSet({
      name: 'cilium-edge-site-b',
      namespace: 'kube-system',
      body: edgeAgentDaemonSet('site-b', { metaServer: false }),
    });
    await core.patchNamespacedConfigMap(
      {
        name: 'cilium-config',
        namespace: 'kube-system',
        body: { data: { 'kube-proxy-replacement': 'true', 'routing-mode': 'native' } },
      },
      merge,
    );
    await apps.createNamespacedDaemonSet({
      namespace: 'kube-system',
      body: {
        metadata: { name: 'kube-proxy', labels: { 'k8s-app': 'kube-proxy' } },
        spec: {
          selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
          template: {
            metadata: { labels: { 'k8s-app': 'kube-proxy' } },
            spec: { containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.36.3' }] },
          },
        },
      },
    });
    const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
    const crd = await ext.readCustomResourceDefinition({ name: 'ciliumnodes.cilium.io' });
    await ext.deleteCustomResourceDefinition({ name: 'ciliumnodes.cilium.io' });
    // The harness reset lists CiliumNodes before re-seeding CRDs: put it back afterwards.
    restoreCrd = async () => {
      await waitFor(
        'CRD ciliumnodes deleted',
        async () =>
          !(await ext.listCustomResourceDefinition()).items.some((c) => c.metadata?.name === 'ciliumnodes.cilium.io'),
        { timeoutMs: 30_000 },
      );
      await ext.createCustomResourceDefinition({
        body: {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          spec: crd.spec,
          metadata: { name: 'ciliumnodes.cilium.io', labels: crd.metadata?.labels ?? {} },
        },
      });
      await waitFor(
        'CRD ciliumnodes established',
        async () =>
          (await ext.readCustomResourceDefinition({ name: 'ciliumnodes.cilium.io' })).status?.conditions?.some(
            (c) => c.type === 'Established' && c.status === 'True',
          ) === true,
        { timeoutMs: 30_000 },
      );
      const objs = k8s.KubernetesObjectApi.makeApiClient(kc);
      await waitFor(
        'CiliumNode listable',
        async () =>
          objs.list('cilium.io/v2', 'CiliumNode').then(
            () => true,
            () => false,
          ),
        { timeoutMs: 30_000 },
      );
    };
    // An edge agent that edgecore restarts every ~80 s (kubeedge#6641).
    const pods = await core.listNamespacedPod({
      namespace: 'kube-system',
      labelSelector: 'kec.kubeedge.io/group=site-a',
    });
    const p = pods.items[0]!;
    const now = Date.now();
    await core.patchNamespacedPodStatus(
      {
        name: p.metadata!.name!,
        namespace: 'kube-system',
        body: {
          status: {
            containerStatuses: [
              {
                name: 'cilium-agent',
                image: 'quay.io/cilium/cilium:v1.19.6',
                imageID: '',
                ready: true,
                restartCount: 9,
                started: true,
                state: { running: { startedAt: new Date(now - 10_000).toISOString() } },
                lastState: {
                  terminated: {
                    exitCode: 1,
                    reason: 'Error',
                    startedAt: new Date(now - 95_000).toISOString(),
                    finishedAt: new Date(now - 15_000).toISOString(),
                  },
                },
              },
            ],
          },
        },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    // An invalid policy, as the agent reports it in the status.
    const objs = k8s.KubernetesObjectApi.makeApiClient(kc);
    await objs.create({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'bad', namespace: 'default' },
      spec: { endpointSelector: {}, ingress: [{}] },
    } as k8s.KubernetesObject);
    await kc.makeApiClient(k8s.CustomObjectsApi).patchNamespacedCustomObjectStatus(
      {
        group: 'cilium.io',
        version: 'v2',
        namespace: 'default',
        plural: 'ciliumnetworkpolicies',
        name: 'bad',
        body: {
          status: {
            conditions: [
              {
                type: 'cilium.io/PolicyValid',
                status: 'False',
                message:
                  'Invalid CiliumNetworkPolicy spec: rule must have at least one of Ingress, IngressDeny, Egress, EgressDeny',
                lastTransitionTime: new Date().toISOString(),
              },
            ],
          },
        },
      },
      merge,
    );
    await new Promise((r) => setTimeout(r, 2000)); // kube-proxy pods scheduled
    const dir = mkdtempSync(join(tmpdir(), 'kec-diag-'));
    const edgecore = join(dir, 'edgecore.yaml');
    writeFileSync(
      edgecore,
      'apiVersion: edgecore.config.kubeedge.io/v1alpha2\nkind: EdgeCore\nmodules:\n  edged:\n    tailoredKubeletConfig:\n      clusterDomain: cluster.local\n',
    );
    const preflight = join(dir, 'preflight.json');
    writeFileSync(
      preflight,
      JSON.stringify({
        kernel: { release: '4.9.337-tegra' },
        checks: [
          {
            id: 'kernel.version',
            feature: 'base',
            status: 'fail',
            message: 'KERNEL_VERSION: 4.9.337-tegra is older than 5.10.0',
          },
        ],
      }),
    );
    const node = edgeNodes('site-a')[0]!.name;
    const { code, report, rules } = await diagnose(
      '--node-report',
      `${node}=${edgecore}`,
      '--node-report',
      `${node}=${preflight}`,
    );
    expect(code).toBe(1);
    expect(rules).toEqual(
      expect.arrayContaining([
        'edge-daemonset',
        'kube-proxy-on-edge-with-kpr',
        'cross-node-tunnel-encryption',
        'operator-crds-not-registered',
        'edge-agent-restart-loop',
        'policy-not-applied',
        'cluster-dns-missing',
        'ebpf-unsupported-kernel',
      ]),
    );
    const by = (r: string): string => JSON.stringify(report.findings.filter((f) => f.rule === r));
    expect(by('edge-daemonset')).toContain('cilium-edge-site-b does not use MetaServer');
    expect(by('operator-crds-not-registered')).toContain('ciliumnodes.cilium.io');
    expect(by('edge-agent-restart-loop')).toMatch(/9 restarts, last run 80s/);
    expect(by('policy-not-applied')).toContain('CiliumNetworkPolicy default/bad');
    expect(by('cluster-dns-missing')).toContain(`${node}: modules.edged.tailoredKubeletConfig.clusterDNS is null`);
  });
});
