import { describe, expect, it } from 'vitest';
import { NOW, node } from '../snapshot/objects.testkit.ts';
import { DEFAULT_OFFLINE_GRACE_MS } from '../status/report.ts';
import { planSites } from './test-matrix.ts';
import { deploymentObject, DEFAULT_IMAGES, nextNamespace, testObjects } from './workloads.ts';

const sites = planSites(
  [node('cloud-1'), node('edge-a-1', { edge: 'site-a' }), node('edge-a-2', { edge: 'site-a', ready: 'Unknown' })],
  [{ name: 'site-a', nodeSelector: { 'kec.kubeedge.io/group': 'site-a' }, source: 'spec' }],
  { now: NOW, offlineGraceMs: DEFAULT_OFFLINE_GRACE_MS },
);

describe('workloads', () => {
  it('pins edge pods to the group (edge label + selector) and keeps them off its unusable nodes, one NotIn per node as the API requires', () => {
    const d = deploymentObject('echo', sites[1]!, 'cilium-test-1', DEFAULT_IMAGES) as {
      spec: { template: { spec: Record<string, unknown> } };
    };
    expect(d.spec.template.spec['affinity']).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: 'node-role.kubernetes.io/edge', operator: 'Exists' },
                { key: 'kec.kubeedge.io/group', operator: 'In', values: ['site-a'] },
              ],
              matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['edge-a-2'] }],
            },
          ],
        },
      },
    });
    const cloud = deploymentObject('client', sites[0]!, 'cilium-test-1', DEFAULT_IMAGES) as {
      spec: { template: { spec: { affinity: unknown } } };
    };
    expect(JSON.stringify(cloud.spec.template.spec.affinity)).toBe(
      '{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"node-role.kubernetes.io/edge","operator":"DoesNotExist"}]}]}}}',
    );
  });

  it('labels every object so cleanup finds leftovers; the namespace comes first', () => {
    const objs = testObjects('cilium-test-3', 'run-1', sites, DEFAULT_IMAGES);
    expect(objs.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([
      'Namespace/cilium-test-3',
      'Deployment/client-cloud',
      'Deployment/echo-cloud',
      'Deployment/client-edge-site-a',
      'Deployment/echo-edge-site-a',
      'Service/echo',
    ]);
    expect(objs.every((o) => o.metadata?.labels?.['kec.kubeedge.io/connectivity-test'] === 'true')).toBe(true);
  });

  it('picks the first free cilium-test-<n>', () => {
    expect(nextNamespace([])).toBe('cilium-test-1');
    expect(nextNamespace(['cilium-test-1', 'cilium-test-3'])).toBe('cilium-test-2');
  });
});
