// The edge agent DaemonSet per group: a strategic merge patch that turns the chart's
// `cilium` DaemonSet into `cilium-edge-<group>` (upstream: kubeedge hack/configure_cilium.sh
// deploy_edge_daemonset), with resources, BPF map sizes and MTU sized for the group.
import type { EdgeGroup, EdgeNetwork } from '../edgenetwork/types.ts';
import { CHART_NAMES } from '../knowledge/cilium.ts';
import { edgeGroupAffinity } from './affinity.ts';
import type { MemoryEstimate } from './maps.ts';
import type { MtuPlan } from '../edgenetwork/mtu.ts';
import { strategicMerge } from './strategic-merge.ts';
import { toMiQuantity } from '../util/quantity.ts';
import { ANNOTATIONS, GROUP_LABEL, MANAGED_BY, edgeDaemonSetName } from '../names.ts';

/** Agent flags: MetaServer as API server plus the group's sizing. Flags win over cilium-config keys. */
export function edgeAgentArgs(spec: EdgeNetwork['spec'], mem: MemoryEstimate, mtu: MtuPlan): string[] {
  const m = mem.maps;
  const extra = spec.cilium.values['extraArgs'];
  return [
    CHART_NAMES.agentConfigDirArg,
    `--k8s-api-server=${spec.kubeedge.metaServer}`,
    '--auto-create-cilium-node-resource=true',
    `--mtu=${mtu.link}`,
    `--bpf-ct-global-tcp-max=${m.ctTcp}`,
    `--bpf-ct-global-any-max=${m.ctAny}`,
    `--bpf-nat-global-max=${m.nat}`,
    `--bpf-neigh-global-max=${m.neigh}`,
    `--bpf-sock-rev-map-max=${m.sockRevNat}`,
    `--bpf-policy-map-max=${m.policy}`,
    ...(Array.isArray(extra) ? extra.map(String) : []),
  ];
}

export function edgeAgentPatch(
  spec: EdgeNetwork['spec'],
  g: EdgeGroup,
  mem: MemoryEstimate,
  mtu: MtuPlan,
): Record<string, unknown> {
  const [host, port] = spec.kubeedge.metaServer.split(':') as [string, string];
  // In-cluster clients (and KUBERNETES_SERVICE_HOST set by k8sServiceHost) must reach MetaServer, not the cloud API server.
  const apiEnv = [
    { name: 'KUBERNETES_SERVICE_HOST', value: host },
    { name: 'KUBERNETES_SERVICE_PORT', value: port },
  ];
  const name = edgeDaemonSetName(g.name);
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {
      name,
      namespace: spec.cilium.namespace,
      labels: { [GROUP_LABEL]: g.name, ...MANAGED_BY },
      annotations: { [ANNOTATIONS.derivedFrom]: `${spec.cilium.namespace}/${CHART_NAMES.agentDaemonSet}` },
    },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'cilium', [GROUP_LABEL]: g.name } },
      template: {
        metadata: { labels: { [GROUP_LABEL]: g.name } },
        spec: {
          affinity: edgeGroupAffinity(g.nodeSelector),
          containers: [
            {
              name: CHART_NAMES.agentContainer,
              ...(g.agentImage !== undefined ? { image: g.agentImage } : {}),
              args: edgeAgentArgs(spec, mem, mtu),
              env: apiEnv,
              resources: {
                requests: { cpu: '100m', memory: toMiQuantity(mem.estimateBytes) },
                limits: { memory: toMiQuantity(mem.budgetBytes) },
              },
            },
          ],
          initContainers: [
            {
              name: CHART_NAMES.configInitContainer,
              ...(g.agentImage !== undefined ? { image: g.agentImage } : {}),
              args: [`--k8s-api-server=${spec.kubeedge.metaServer}`],
              env: apiEnv,
            },
          ],
        },
      },
    },
  };
}

type Obj = Record<string, unknown>;

/**
 * Full edge DaemonSet from the chart's rendered `cilium` DaemonSet (`helm template`
 * output) and the group's patch. Fields the API server owns are dropped.
 */
export function edgeDaemonSet(cloud: Obj, patch: Obj): Obj {
  const base = structuredClone(cloud);
  const meta = (base['metadata'] ?? {}) as Obj;
  for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields', 'selfLink'])
    delete meta[k];
  delete base['status'];
  const annotations = meta['annotations'] as Obj | undefined;
  if (annotations) {
    delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
    delete annotations['deprecated.daemonset.template.generation'];
    // Not part of the Helm release: helm must neither adopt nor delete it.
    for (const k of Object.keys(annotations)) if (k.startsWith('meta.helm.sh/')) delete annotations[k];
  }
  const merged = strategicMerge(base, patch) as Obj;
  // A group image replaces the chart's Cilium image in every container that runs it.
  const spec = ((merged['spec'] as Obj | undefined)?.['template'] as Obj | undefined)?.['spec'] as Obj | undefined;
  const containers = (spec?.['containers'] as Obj[] | undefined) ?? [];
  const groupImage = containers.find((c) => c['name'] === CHART_NAMES.agentContainer)?.['image'];
  const chartImage = (
    ((((cloud['spec'] as Obj | undefined)?.['template'] as Obj | undefined)?.['spec'] as Obj | undefined)?.[
      'containers'
    ] as Obj[] | undefined) ?? []
  ).find((c) => c['name'] === CHART_NAMES.agentContainer)?.['image'];
  if (groupImage !== undefined && chartImage !== undefined && groupImage !== chartImage) {
    for (const c of [...containers, ...((spec?.['initContainers'] as Obj[] | undefined) ?? [])]) {
      if (c['image'] === chartImage) c['image'] = groupImage;
    }
  }
  return merged;
}
