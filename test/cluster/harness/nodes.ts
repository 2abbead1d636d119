// Simulated nodes: two cloud nodes and edge nodes in groups, all played by kwok.
// Edge nodes carry the labels keadm gives them plus kec's group label.
import * as k8s from '@kubernetes/client-node';
import { EDGE_LABELS } from '../../../src/knowledge/kubeedge.ts';
import { KWOK_MANAGED } from './control-plane.ts';
import { waitFor } from './wait.ts';
import { GROUP_LABEL } from '../../../src/names.ts';

export interface Topology {
  cloudNodes: number;
  /** group name -> number of edge nodes in it */
  edgeGroups: Record<string, number>;
}

export const DEFAULT_TOPOLOGY: Topology = { cloudNodes: 2, edgeGroups: { 'site-a': 2, 'site-b': 2 } };

export interface SimNode {
  name: string;
  role: 'cloud' | 'edge';
  group?: string;
  ip: string;
  labels: Record<string, string>;
}

/** The nodes a topology describes (names: cloud-N, edge-<group>-N). */
export function topologyNodes(t: Topology): SimNode[] {
  const base = (name: string): Record<string, string> => ({
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    type: 'kwok',
  });
  const nodes: SimNode[] = [];
  for (let i = 1; i <= t.cloudNodes; i++) {
    const name = `cloud-${i}`;
    const labels = base(name);
    if (i === 1) labels['node-role.kubernetes.io/control-plane'] = '';
    nodes.push({ name, role: 'cloud', ip: `10.200.0.${10 + i}`, labels });
  }
  Object.entries(t.edgeGroups).forEach(([group, count], g) => {
    for (let i = 1; i <= count; i++) {
      const name = `edge-${group}-${i}`;
      nodes.push({
        name,
        role: 'edge',
        group,
        ip: `10.201.${g + 1}.${10 + i}`,
        labels: { ...base(name), [EDGE_LABELS.edge]: '', [EDGE_LABELS.agent]: '', [GROUP_LABEL]: group },
      });
    }
  });
  return nodes;
}

function nodeObject(n: SimNode): k8s.V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: n.name, labels: { ...n.labels }, annotations: { [KWOK_MANAGED.key]: KWOK_MANAGED.value } },
    status: {
      addresses: [
        { type: 'InternalIP', address: n.ip },
        { type: 'Hostname', address: n.name },
      ],
    },
  };
}

export function readyStatus(node: k8s.V1Node): string {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Missing';
}

/** Creates the nodes that do not exist yet and waits until all are Ready. */
export async function ensureNodes(kc: k8s.KubeConfig, nodes: SimNode[], timeoutMs = 60_000): Promise<void> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  for (const n of nodes) {
    try {
      await core.createNode({ body: nodeObject(n) });
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e;
    }
  }
  await waitNodesReady(
    kc,
    nodes.map((n) => n.name),
    'True',
    timeoutMs,
  );
}

export async function waitNodesReady(
  kc: k8s.KubeConfig,
  names: string[],
  status: 'True' | 'Unknown' | 'False',
  timeoutMs = 60_000,
): Promise<void> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await waitFor(
    `nodes ${names.join(',')} Ready=${status}`,
    async () => {
      const list = await core.listNode();
      const seen = new Map(list.items.map((n) => [n.metadata?.name ?? '', readyStatus(n)]));
      return names.every((n) => seen.get(n) === status);
    },
    { timeoutMs, intervalMs: 250 },
  );
}

const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const strategicPatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);

/**
 * Simulates an edge site losing (connected=false) or regaining its link to the cloud.
 * Disconnect: kwok stops playing the node's kubelet (no status, no lease renewals) and the
 * node's Ready condition turns Unknown at once, as the node lifecycle controller reports it
 * after the grace period (20 s here); the controller then adds the unreachable taints.
 * Reconnect: kwok manages the node again and reports Ready=True. Waits for the new state.
 */
export async function setNodeConnected(
  kc: k8s.KubeConfig,
  name: string,
  connected: boolean,
  timeoutMs = 60_000,
): Promise<void> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const value = connected ? KWOK_MANAGED.value : 'disconnected';
  await core.patchNode({ name, body: { metadata: { annotations: { [KWOK_MANAGED.key]: value } } } }, mergePatch);
  if (!connected) {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await core.patchNodeStatus(
      {
        name,
        body: {
          status: {
            conditions: [
              {
                type: 'Ready',
                status: 'Unknown',
                reason: 'NodeStatusUnknown',
                message: 'Kubelet stopped posting node status.',
                lastHeartbeatTime: now,
                lastTransitionTime: now,
              },
            ],
          },
        },
      },
      strategicPatch,
    );
  }
  await waitNodesReady(kc, [name], connected ? 'True' : 'Unknown', timeoutMs);
}
