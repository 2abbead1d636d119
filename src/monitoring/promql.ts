import { edgeDaemonSetName } from '../names.ts';
// Small PromQL builders for the alert rules: label matchers, kube-state-metrics node
// label names, and the edge_group label derived from agent pod names.

/** A PromQL string literal. */
export function q(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function matchers(m: Record<string, string>): string {
  return `{${Object.entries(m)
    .map(([k, v]) => `${k}=${q(v)}`)
    .join(', ')}}`;
}

/** kube-state-metrics' name for a Kubernetes label key in kube_node_labels (label_ + sanitised key). */
export function ksmLabel(key: string): string {
  return `label_${key.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

/** kube_node_labels matchers that select a group's nodes (empty-valued labels cannot be told from absent ones and are skipped). */
export function nodeSelectorMatchers(selector: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(selector)
      .filter(([, v]) => v !== '')
      .map(([k, v]) => [ksmLabel(k), v]),
  );
}

/**
 * Adds edge_group="<group>" to series whose pod belongs to an edge DaemonSet
 * (cilium-edge-<group>-<5-char suffix>); cloud agents' series get no edge_group.
 */
export function withEdgeGroup(expr: string): string {
  const prefix = edgeDaemonSetName('');
  return `label_replace(${expr}, "edge_group", "$1", "pod", ${q(`${prefix}(.+)-[a-z0-9]{5}`)})`;
}

/** Ready nodes (value 1) of a group, one series per node. */
export function readyNodesOf(selector: Record<string, string>): string {
  return `max by (node) (kube_node_status_condition{condition="Ready", status="true"} == 1)\n  * on (node) group_left ()\n  max by (node) (kube_node_labels${matchers(nodeSelectorMatchers(selector))})`;
}

/** Number of Ready nodes in the cluster that are not Ready (NotReady or Unknown). */
export const NOT_READY_NODES =
  '(count(kube_node_status_condition{condition="Ready", status="true"} == 0) or on () vector(0))';
