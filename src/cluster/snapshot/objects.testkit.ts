// Builders of Kubernetes objects for unit tests of status, diagnose and sysdump.
import type { Obj } from '../types.ts';
import { EDGE_LABELS } from '../../knowledge/kubeedge.ts';
import { GROUP_LABEL } from '../../names.ts';

export const NOW = Date.parse('2026-11-27T10:00:00Z');
export const iso = (msAgo: number): string => new Date(NOW - msAgo).toISOString();

export function node(
  name: string,
  o: { edge?: string; ready?: 'True' | 'False' | 'Unknown'; heartbeatAgoMs?: number; kernel?: string } = {},
): Obj {
  const labels: Record<string, string> = { 'kubernetes.io/hostname': name };
  if (o.edge !== undefined)
    Object.assign(labels, { [EDGE_LABELS.edge]: '', [EDGE_LABELS.agent]: '', [GROUP_LABEL]: o.edge });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: o.ready ?? 'True',
          reason: o.ready === 'False' ? 'KubeletNotReady' : 'KubeletReady',
          lastHeartbeatTime: iso(o.heartbeatAgoMs ?? 5000),
          lastTransitionTime: iso(o.heartbeatAgoMs ?? 5000),
        },
      ],
      nodeInfo: { kernelVersion: o.kernel ?? '6.1.0-generic' },
    },
  };
}

export function daemonSet(
  name: string,
  o: {
    group?: string;
    desired?: number;
    ready?: number;
    updated?: number;
    args?: string[];
    initArgs?: string[];
    env?: Array<{ name: string; value: string }>;
    affinity?: Array<{ key: string; operator: string }>;
    namespace?: string;
    image?: string;
  } = {},
): Obj {
  const labels: Record<string, string> = { 'k8s-app': 'cilium' };
  if (o.group) labels[GROUP_LABEL] = o.group;
  const desired = o.desired ?? 2;
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: o.namespace ?? 'kube-system', labels },
    spec: {
      template: {
        metadata: { labels },
        spec: {
          ...(o.affinity
            ? {
                affinity: {
                  nodeAffinity: {
                    requiredDuringSchedulingIgnoredDuringExecution: {
                      nodeSelectorTerms: [{ matchExpressions: o.affinity }],
                    },
                  },
                },
              }
            : {}),
          containers: [
            {
              name: name.startsWith('cilium-envoy') ? 'cilium-envoy' : 'cilium-agent',
              image: o.image ?? 'quay.io/cilium/cilium:v1.19.6@sha256:0df5',
              args: o.args ?? [],
              env: o.env ?? [],
            },
          ],
          initContainers: [{ name: 'config', args: o.initArgs ?? [] }],
        },
      },
    },
    status: {
      desiredNumberScheduled: desired,
      numberReady: o.ready ?? desired,
      updatedNumberScheduled: o.updated ?? desired,
    },
  };
}

export function deployment(name: string, replicas = 1, ready = replicas): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'kube-system' },
    spec: { replicas },
    status: { readyReplicas: ready, updatedReplicas: ready, replicas },
  };
}

export interface PodOpts {
  ready?: boolean;
  restarts?: number;
  waiting?: string;
  /** Last termination: finished this long ago, after running this long. */
  lastExit?: { agoMs: number; ranMs: number };
  labels?: Record<string, string>;
  namespace?: string;
  container?: string;
}

export function pod(name: string, owner: string, nodeName: string, o: PodOpts = {}): Obj {
  const container = o.container ?? 'cilium-agent';
  const cs: Record<string, unknown> = {
    name: container,
    ready: o.ready ?? true,
    restartCount: o.restarts ?? 0,
    state: o.waiting ? { waiting: { reason: o.waiting } } : { running: { startedAt: iso(60_000) } },
  };
  if (o.lastExit)
    cs['lastState'] = {
      terminated: {
        exitCode: 1,
        reason: 'Error',
        startedAt: iso(o.lastExit.agoMs + o.lastExit.ranMs),
        finishedAt: iso(o.lastExit.agoMs),
      },
    };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'kube-system',
      labels: { 'k8s-app': 'cilium', ...o.labels },
      ownerReferences: [{ kind: 'DaemonSet', name: owner, controller: true }],
    },
    spec: { nodeName, containers: [{ name: container }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: (o.ready ?? true) ? 'True' : 'False' }],
      containerStatuses: [cs],
    },
  };
}
