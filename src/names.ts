// kec's own names: labels, annotations and the objects kec creates. Upstream names (Cilium's
// chart objects, KubeEdge's labels and ConfigMaps) are facts and live in src/knowledge/.

/** kec's label group prefix. */
const PREFIX = 'kec.kubeedge.io';

/**
 * The edge group an object belongs to, one label for every kind: on nodes it is the default
 * nodeSelector of a group (`kec.kubeedge.io/group: <name>`), on kec's edge DaemonSets and their
 * pods it names the group they serve.
 */
export const GROUP_LABEL = `${PREFIX}/group`;

/**
 * The label kec 0.1 put on edge DaemonSets instead of GROUP_LABEL. Readers accept it; kec install
 * and kec upgrade replace such a DaemonSet (its selector is immutable) with one labelled GROUP_LABEL.
 */
export const LEGACY_DAEMONSET_GROUP_LABEL = `${PREFIX}/edge-group`;

/** The group an edge DaemonSet or its pod serves, under either label; undefined for other objects. */
export function groupOfLabels(labels: Readonly<Record<string, string>>): string | undefined {
  return labels[GROUP_LABEL] ?? labels[LEGACY_DAEMONSET_GROUP_LABEL];
}

/** On every object kec creates. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'kec' } as const;
export const MANAGED_BY_SELECTOR = 'app.kubernetes.io/managed-by=kec';

export const ANNOTATIONS = {
  /** On edge DaemonSets: the chart DaemonSet they were derived from (namespace/name). */
  derivedFrom: `${PREFIX}/derived-from`,
  /** On kec's RBAC objects: why the object exists. */
  purpose: `${PREFIX}/purpose`,
  /** On the cloudcore Deployment's pod template: set to restart cloudcore after a config change. */
  restartedAt: `${PREFIX}/restartedAt`,
  /** On a connectivity test namespace: the run that created it. */
  connectivityRun: `${PREFIX}/connectivity-run`,
} as const;

/** On kec's PrometheusRule: the EdgeNetwork it was generated for. */
export const EDGE_NETWORK_LABEL = `${PREFIX}/edge-network`;

/** Labels of `kec connectivity test` objects. */
export const CONNECTIVITY_LABELS = {
  /** On the namespace (and every object): how cleanup finds leftovers. */
  test: `${PREFIX}/connectivity-test`,
  /** client | echo */
  role: `${PREFIX}/connectivity-role`,
  /** Site name: cloud or the edge group. */
  site: `${PREFIX}/connectivity-site`,
} as const;

/** kec's RBAC objects that let cloudcore serve edge agents' API calls. */
export const RBAC_NAMES = {
  extraRole: 'kec-cilium-edge',
  bindChartRole: 'kec-cloudcore-cilium',
  bindExtraRole: 'kec-cloudcore-cilium-edge',
} as const;

/** The ConfigMap (in the Cilium namespace) where kec install records what it changed. */
export const STATE_NAME = 'kec-state';

/** The edge agent DaemonSet of a group. */
export function edgeDaemonSetName(group: string): string {
  return `cilium-edge-${group}`;
}
