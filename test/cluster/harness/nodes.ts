// Harness nodes: two cloud nodes played by kwok and edge nodes in groups, each a hollow
// KubeEdge node (edge-nodes.ts) in its own network namespace (netns.ts). Edge nodes carry the
// labels keadm gives them plus kec's group label.
import * as k8s from '@kubernetes/client-node';
import { EDGE_LABELS } from '../../../src/knowledge/kubeedge.ts';
import { KWOK_MANAGED } from './kwok.ts';
import { readClusterNet, setLink } from './netns.ts';
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
  /** InternalIP: given by the harness to cloud (kwok) nodes; for edge nodes their namespace's address once running ('' in a bare topology). */
  ip: string;
  labels: Record<string, string>;
}

/** The nodes a topology describes (names: cloud-N, edge-<group>-N). */
export function topologyNodes(t: Topology): SimNode[] {
  const base = (name: string): Record<string, string> => ({
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
  });
  const nodes: SimNode[] = [];
  for (let i = 1; i <= t.cloudNodes; i++) {
    const name = `cloud-${i}`;
    const labels: Record<string, string> = { ...base(name), type: 'kwok' };
    if (i === 1) labels['node-role.kubernetes.io/control-plane'] = '';
    nodes.push({ name, role: 'cloud', ip: `10.200.0.${10 + i}`, labels });
  }
  Object.entries(t.edgeGroups).forEach(([group, count]) => {
    for (let i = 1; i <= count; i++) {
      const name = `edge-${group}-${i}`;
      nodes.push({
        name,
        role: 'edge',
        group,
        ip: '',
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

/** The topology's nodes with the edge nodes' addresses filled in from the running cluster in dir. */
export function runningNodes(t: Topology, dir: string): SimNode[] {
  const net = readClusterNet(dir);
  return topologyNodes(t).map((n) =>
    n.role === 'edge' ? { ...n, ip: net?.nodes.find((x) => x.node === n.name)?.address ?? '' } : n,
  );
}

/** Creates the kwok (cloud) nodes that do not exist yet and waits until all nodes are Ready (edge nodes register themselves). */
export async function ensureNodes(kc: k8s.KubeConfig, nodes: SimNode[], timeoutMs = 60_000): Promise<void> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  for (const n of nodes.filter((x) => x.role === 'cloud')) {
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

/**
 * An edge site loses (connected=false) or regains its link to the cloud: the node's host-side
 * veth goes down/up. edgehub loses its websocket to cloudhub, the node stops posting status
 * and the node lifecycle controller marks it Ready=Unknown after its grace period (20 s here)
 * and adds the unreachable taints; MetaServer keeps answering from the node's local store.
 * Restoring the link is all it takes to come back. Waits for Ready=Unknown / True.
 */
export async function setNodeConnected(
  kc: k8s.KubeConfig,
  dir: string,
  names: string[],
  connected: boolean,
  timeoutMs = 120_000,
): Promise<void> {
  for (const name of names) await setLink(dir, name, connected);
  await waitNodesReady(kc, names, connected ? 'True' : 'Unknown', timeoutMs);
}
