// RBAC that lets cloudcore answer edge agents' API calls (its dynamicController serves
// them under cloudcore's ServiceAccount). Upstream (hack/configure_cilium.sh
// patch_cilium_rbac) edits the chart's ClusterRole/ClusterRoleBinding `cilium`; the
// next `helm upgrade` would revert such edits, so kec grants the same in objects of its own.
import type { EdgeNetwork } from '../edgenetwork/types.ts';
import { CHART_NAMES } from '../knowledge/cilium.ts';
import { ANNOTATIONS, MANAGED_BY, RBAC_NAMES } from '../names.ts';

export function rbacObjects(spec: EdgeNetwork['spec']): Array<Record<string, unknown>> {
  const subject = {
    kind: 'ServiceAccount',
    name: spec.kubeedge.cloudcoreServiceAccount,
    namespace: spec.kubeedge.namespace,
  };
  const meta = (name: string, what: string): Record<string, unknown> => ({
    name,
    labels: { ...MANAGED_BY },
    annotations: { [ANNOTATIONS.purpose]: what },
  });
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(
        RBAC_NAMES.extraRole,
        'ClusterRole cilium plus get on ciliumpodippools, which edge agents read through cloudcore',
      ),
      rules: [{ apiGroups: ['cilium.io'], resources: ['ciliumpodippools'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(
        RBAC_NAMES.bindChartRole,
        `the cilium ClusterRole for cloudcore (${spec.kubeedge.namespace}/${spec.kubeedge.cloudcoreServiceAccount}), which serves edge agents' API calls`,
      ),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: CHART_NAMES.agentClusterRole },
      subjects: [subject],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(RBAC_NAMES.bindExtraRole, `${RBAC_NAMES.extraRole} for cloudcore`),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: RBAC_NAMES.extraRole },
      subjects: [subject],
    },
  ];
}
