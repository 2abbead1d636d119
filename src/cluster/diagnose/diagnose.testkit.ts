// A DiagnoseState for rule tests: an empty cluster at NOW with the default KubeEdge names;
// `status` and `o` fill in what a test looks at.
import type { ClusterState } from '../snapshot/state.ts';
import { NOW } from '../snapshot/objects.testkit.ts';
import type { DiagnoseState } from './state.ts';

export function diagnoseState(status: Partial<ClusterState> = {}, o: Partial<DiagnoseState> = {}): DiagnoseState {
  return {
    status: {
      namespace: 'kube-system',
      collectedAt: new Date(NOW).toISOString(),
      groups: [],
      nodes: [],
      daemonSets: [],
      deployments: [],
      pods: [],
      errors: [],
      ...status,
    },
    kubeedgeNamespace: 'kubeedge',
    cloudcoreServiceAccount: 'cloudcore',
    metaServers: [],
    kubeProxy: { pods: [] },
    policies: [],
    logs: [],
    nodeReports: [],
    unavailable: [],
    ...o,
  };
}
