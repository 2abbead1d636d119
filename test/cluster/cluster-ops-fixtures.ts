// Objects the status/diagnose/sysdump integration tests add to the harness cluster.
import * as k8s from '@kubernetes/client-node';
import type { Io } from '../../src/output/io.ts';
import { palette } from '../../src/output/color.ts';
import { EDGE_LABELS } from '../../src/knowledge/kubeedge.ts';
import { waitFor } from './harness/index.ts';
import { GROUP_LABEL } from '../../src/names.ts';

export function edgeAgentDaemonSet(
  group: string,
  opts: { metaServer?: boolean; env?: k8s.V1EnvVar[] } = {},
): k8s.V1DaemonSet {
  const labels = { 'k8s-app': 'cilium', [GROUP_LABEL]: group };
  const api = opts.metaServer === false ? [] : ['--k8s-api-server=127.0.0.1:10550'];
  const env = [
    ...(opts.metaServer === false
      ? []
      : [
          { name: 'KUBERNETES_SERVICE_HOST', value: '127.0.0.1' },
          { name: 'KUBERNETES_SERVICE_PORT', value: '10550' },
        ]),
    ...(opts.env ?? []),
  ];
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {
      name: `cilium-edge-${group}`,
      namespace: 'kube-system',
      labels: { ...labels, 'app.kubernetes.io/managed-by': 'kec' },
    },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: GROUP_LABEL, operator: 'In', values: [group] }] }],
              },
            },
          },
          containers: [
            {
              name: 'cilium-agent',
              image: 'quay.io/cilium/cilium:v1.19.6',
              args: ['--config-dir=/tmp/cilium/config-map', ...api],
              env,
            },
          ],
          initContainers: [
            {
              name: 'config',
              image: 'quay.io/cilium/cilium:v1.19.6',
              command: ['cilium-dbg', 'build-config'],
              args: api,
            },
          ],
        },
      },
    },
  };
}

/** What kec install does to the chart's DaemonSet: keep it off edge nodes (its pod anti-affinity would block edge agents). */
export async function keepCloudAgentsOffEdge(kc: k8s.KubeConfig): Promise<void> {
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: EDGE_LABELS.edge, operator: 'DoesNotExist' }] }],
      },
    },
  };
  await apps.patchNamespacedDaemonSet(
    { name: 'cilium', namespace: 'kube-system', body: { spec: { template: { spec: { affinity } } } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
  );
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await waitFor(
    'cloud cilium pods gone from edge nodes',
    async () => {
      const s = (await apps.readNamespacedDaemonSet({ name: 'cilium', namespace: 'kube-system' })).status;
      const pods = await core.listNamespacedPod({ namespace: 'kube-system', labelSelector: 'k8s-app=cilium' });
      const onEdge = pods.items.filter(
        (p) =>
          (p.metadata?.ownerReferences ?? []).some((o) => o.name === 'cilium') &&
          (p.spec?.nodeName ?? '').startsWith('edge-'),
      );
      return (
        s !== undefined &&
        onEdge.length === 0 &&
        s.numberReady === s.desiredNumberScheduled &&
        s.desiredNumberScheduled > 0
      );
    },
    { timeoutMs: 60_000 },
  );
}

export async function createEdgeAgents(
  kc: k8s.KubeConfig,
  groups: string[],
  opts: Parameters<typeof edgeAgentDaemonSet>[1] = {},
): Promise<void> {
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  await keepCloudAgentsOffEdge(kc);
  for (const g of groups) {
    const body = edgeAgentDaemonSet(g, opts);
    try {
      await apps.createNamespacedDaemonSet({ namespace: 'kube-system', body });
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e;
      await apps.replaceNamespacedDaemonSet({ name: body.metadata?.name ?? '', namespace: 'kube-system', body });
    }
  }
  await waitFor(
    `edge agents ${groups.join(',')} ready`,
    async () => {
      for (const g of groups) {
        const s = (await apps.readNamespacedDaemonSet({ name: `cilium-edge-${g}`, namespace: 'kube-system' })).status;
        if (!s || s.desiredNumberScheduled === 0 || s.numberReady !== s.desiredNumberScheduled) return false;
      }
      return true;
    },
    { timeoutMs: 60_000 },
  );
}

export interface CapturedIo extends Io {
  stdout: string[];
  stderr: string[];
}

export function captureIo(cwd = process.cwd()): CapturedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => void stdout.push(t),
    err: (t) => void stderr.push(t),
    color: palette(false),
    cwd,
  };
}
