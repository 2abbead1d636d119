// What kec install checks before it changes anything: the API answers, KubeEdge is
// there, the versions fit, every group finds its nodes, and the caller may do each step.
import type { AccessReviewer, ObjectReader, ServerInfo } from '../types.ts';
import type { EdgeNetwork } from '../../edgenetwork/types.ts';
import { CHART_NAMES } from '../../knowledge/cilium.ts';
import { CLOUDCORE, EDGE_LABELS } from '../../knowledge/kubeedge.ts';
import { parseVersion } from '../../util/version.ts';
import { toApiError } from '../errors.ts';
import type { Check } from '../../check.ts';

/** Permissions kec install needs for its own steps (Helm's are the chart's). */
export function requiredPermissions(
  spec: EdgeNetwork['spec'],
): Array<{ verb: string; group: string; resource: string; namespace?: string }> {
  const ns = spec.cilium.namespace;
  const ke = spec.kubeedge.namespace;
  return [
    { verb: 'list', group: '', resource: 'nodes' },
    { verb: 'get', group: 'apps', resource: 'daemonsets', namespace: ns },
    { verb: 'create', group: 'apps', resource: 'daemonsets', namespace: ns },
    { verb: 'patch', group: 'apps', resource: 'daemonsets', namespace: ns },
    { verb: 'delete', group: 'apps', resource: 'daemonsets', namespace: ns },
    { verb: 'get', group: '', resource: 'configmaps', namespace: ke },
    { verb: 'patch', group: '', resource: 'configmaps', namespace: ke },
    { verb: 'patch', group: 'apps', resource: 'deployments', namespace: ke },
    { verb: 'create', group: '', resource: 'configmaps', namespace: ns },
    { verb: 'update', group: '', resource: 'configmaps', namespace: ns },
    { verb: 'patch', group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
    { verb: 'patch', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
  ];
}

export async function preInstallChecks(
  api: ObjectReader & AccessReviewer & ServerInfo,
  spec: EdgeNetwork['spec'],
  o: { skipHelm: boolean },
): Promise<Check[]> {
  const checks: Check[] = [];
  const add = (id: string, status: Check['status'], message: string): void => {
    checks.push({ id, status, message });
  };
  /** Runs one check; an API error (403, 5xx after retries) becomes a failed check, not a crash. */
  const guarded = async (id: string, fn: () => Promise<void>): Promise<boolean> => {
    try {
      await fn();
      return true;
    } catch (e) {
      const err = toApiError(e);
      add(id, 'fail', err.status === 403 ? `forbidden: ${err.message}` : `API error: ${err.message}`);
      return false;
    }
  };
  const reachable = await guarded('api.reachable', async () => {
    const v = await api.version();
    add('api.reachable', 'pass', `API server ${v.gitVersion}`);
    const want = parseVersion(spec.kubernetes.version);
    const minor = Number.parseInt(v.minor, 10);
    if (want && (Number(v.major) !== want.major || minor !== want.minor)) {
      add(
        'kubernetes.version',
        'warn',
        `the cluster runs ${v.major}.${v.minor} (${v.gitVersion}); spec.kubernetes.version says ${spec.kubernetes.version}`,
      );
    } else add('kubernetes.version', 'pass', `${v.major}.${v.minor} matches spec.kubernetes.version`);
  });
  if (!reachable) return checks;
  const ke = spec.kubeedge.namespace;
  await guarded('kubeedge.cloudcore', async () => {
    if (!(await api.get({ apiVersion: 'v1', kind: 'Namespace', name: ke }))) {
      add('kubeedge.namespace', 'fail', `namespace ${ke} not found: install KubeEdge's cloudcore first (keadm init)`);
      return;
    }
    const cm = await api.get({ apiVersion: 'v1', kind: 'ConfigMap', name: CLOUDCORE.configMap, namespace: ke });
    const text = (cm?.['data'] as Record<string, string> | undefined)?.[CLOUDCORE.configKey];
    add(
      'kubeedge.cloudcore',
      text ? 'pass' : 'fail',
      text
        ? `ConfigMap ${ke}/${CLOUDCORE.configMap} found`
        : `ConfigMap ${ke}/${CLOUDCORE.configMap} with key ${CLOUDCORE.configKey} not found`,
    );
  });
  if (o.skipHelm) {
    await guarded('cilium.daemonset', async () => {
      const ds = await api.get({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        name: CHART_NAMES.agentDaemonSet,
        namespace: spec.cilium.namespace,
      });
      add(
        'cilium.daemonset',
        ds ? 'pass' : 'fail',
        ds
          ? `DaemonSet ${spec.cilium.namespace}/${CHART_NAMES.agentDaemonSet} found`
          : `DaemonSet ${spec.cilium.namespace}/${CHART_NAMES.agentDaemonSet} not found: with --skip-helm, install the Cilium chart first`,
      );
    });
  }
  await guarded('edge.nodes', async () => {
    const edgeNodes = await api.list('v1', 'Node', { labelSelector: EDGE_LABELS.edge });
    const owners = new Map<string, string[]>();
    for (const g of spec.edgeGroups) {
      const matched = edgeNodes.filter((n) =>
        Object.entries(g.nodeSelector).every(
          ([k, val]) => n.metadata?.labels?.[k] === val || (val === '' && k in (n.metadata?.labels ?? {})),
        ),
      );
      for (const n of matched)
        owners.set(n.metadata?.name ?? '', [...(owners.get(n.metadata?.name ?? '') ?? []), g.name]);
      add(
        `group.${g.name}.nodes`,
        matched.length ? 'pass' : 'warn',
        matched.length
          ? `${matched.length} edge node${matched.length === 1 ? '' : 's'} (spec says ${g.nodes})`
          : `no edge node matches ${Object.entries(g.nodeSelector)
              .map(([k, val]) => `${k}=${val}`)
              .join(',')}; its DaemonSet will wait for them`,
      );
    }
    for (const [node, groups] of owners) {
      if (groups.length > 1)
        add(
          `node.${node}.groups`,
          'fail',
          `node ${node} matches groups ${groups.join(', ')}: it would run ${groups.length} Cilium agents`,
        );
    }
  });
  await guarded('rbac.caller', async () => {
    const missing: string[] = [];
    for (const p of requiredPermissions(spec)) {
      if (!(await api.canI(p)))
        missing.push(
          `${p.verb} ${p.group ? `${p.resource}.${p.group}` : p.resource}${p.namespace ? ` in ${p.namespace}` : ''}`,
        );
    }
    add(
      'rbac.caller',
      missing.length ? 'fail' : 'pass',
      missing.length
        ? `the caller may not: ${missing.join('; ')}`
        : 'the caller has every permission kec install needs',
    );
  });
  return checks;
}
