import { describe, expect, it } from 'vitest';
import type { Obj, ObjectReader, ObjectRef } from '../types.ts';
import { checkDaemonSet } from './gate.ts';

const REF: ObjectRef = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  name: 'cilium-edge-site-c',
  namespace: 'kube-system',
};

function node(name: string, ready: boolean): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown' }] },
  };
}

function pod(name: string, nodeName: string, ready: boolean, waiting?: string): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { 'k8s-app': 'cilium' }, ownerReferences: [{ name: REF.name }] },
    spec: { nodeName },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [
        { name: 'cilium-agent', restartCount: 0, state: waiting ? { waiting: { reason: waiting } } : { running: {} } },
      ],
    },
  };
}

function reader(pods: Obj[], nodes: Obj[], status: Record<string, number>): ObjectReader {
  const ds: Obj = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: REF.name, namespace: 'kube-system', generation: 3 },
    spec: { selector: { matchLabels: { 'k8s-app': 'cilium' } } },
    status: { observedGeneration: 3, ...status },
  };
  return {
    get: async () => ds,
    list: async (_v, kind) => (kind === 'Pod' ? pods : nodes),
  };
}

describe('the DaemonSet rollout gate', () => {
  const nodes = [node('edge-site-c-1', true), node('edge-site-c-2', true), node('edge-site-c-3', false)];

  it('names the pods that are not Ready on Ready nodes, not those on offline nodes', async () => {
    const g = await checkDaemonSet(
      reader(
        [pod('a-1', 'edge-site-c-1', true), pod('a-2', 'edge-site-c-2', false), pod('a-3', 'edge-site-c-3', false)],
        nodes,
        { desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberReady: 1 },
      ),
      REF,
    );
    expect(g.ok).toBe(false);
    expect(g.reason).toBe('1/2 pods updated and ready; not ready: a-2 on edge-site-c-2');
    expect(g.offline).toEqual(['edge-site-c-3']);
  });

  it('passes when every pod on a Ready node is updated and Ready, counting offline nodes apart', async () => {
    const g = await checkDaemonSet(
      reader(
        [pod('a-1', 'edge-site-c-1', true), pod('a-2', 'edge-site-c-2', true), pod('a-3', 'edge-site-c-3', false)],
        nodes,
        {
          desiredNumberScheduled: 3,
          updatedNumberScheduled: 2,
          numberReady: 2,
        },
      ),
      REF,
    );
    expect(g).toMatchObject({ ok: true, reason: '2/3 ready, 1 on offline nodes not counted' });
  });

  it('fails at once on a crash-looping pod, and shortens a long list of waiting pods', async () => {
    const many = Array.from({ length: 5 }, (_, i) => node(`n-${i}`, true));
    const pods = many.map((n, i) => pod(`p-${i}`, n.metadata!.name!, false));
    const g = await checkDaemonSet(
      reader(pods, many, { desiredNumberScheduled: 5, updatedNumberScheduled: 5, numberReady: 0 }),
      REF,
    );
    expect(g.reason).toBe('0/5 pods updated and ready; not ready: p-0 on n-0, p-1 on n-1, p-2 on n-2 and 2 more');
    const crash = await checkDaemonSet(
      reader([pod('c-1', 'n-0', false, 'CrashLoopBackOff')], many, { desiredNumberScheduled: 5 }),
      REF,
    );
    expect(crash).toMatchObject({ ok: false, reason: 'crash-looping: c-1', crashing: ['c-1'] });
  });
});
