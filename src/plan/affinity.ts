// Node affinity that keeps cloud components off edge nodes and pins edge agents to
// their group. Edge nodes carry node-role.kubernetes.io/edge (keadm join).
import { EDGE_LABELS } from '../knowledge/kubeedge.ts';

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

function required(expressions: NodeSelectorRequirement[]): Record<string, unknown> {
  return { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: expressions }] } };
}

/** `affinity` fragment for a cloud-only workload. */
export function cloudOnlyAffinity(): Record<string, unknown> {
  return { nodeAffinity: required([{ key: EDGE_LABELS.edge, operator: 'DoesNotExist' }]) };
}

/** `affinity` for an edge group's agents: an edge node carrying every label of the group's selector. */
export function edgeGroupAffinity(nodeSelector: Record<string, string>): Record<string, unknown> {
  const expressions: NodeSelectorRequirement[] = [{ key: EDGE_LABELS.edge, operator: 'Exists' }];
  for (const [key, value] of Object.entries(nodeSelector).sort(([a], [b]) => a.localeCompare(b))) {
    expressions.push(value === '' ? { key, operator: 'Exists' } : { key, operator: 'In', values: [value] });
  }
  return { nodeAffinity: required(expressions) };
}
