// Which edge group a Hubble node_name belongs to. Flows carry only the node name, so
// groups need node labels (a NodeList from `kubectl get nodes -o json`), matched against
// the spec's edgeGroups[].nodeSelector; without a spec, the default group label
// kec.kubeedge.io/group is used. Without node labels there are no groups: per node.
import { parse } from 'yaml';
import type { EdgeGroup } from '../edgenetwork/types.ts';
import { EDGE_LABELS } from '../knowledge/kubeedge.ts';
import { InputError } from '../errors.ts';
import { GROUP_LABEL } from '../names.ts';

export const CLOUD_GROUP = '(cloud)';
export const UNGROUPED_EDGE = '(edge, no group)';
export const UNKNOWN_NODE = '(node not in --nodes)';

export type NodeLabels = ReadonlyMap<string, Readonly<Record<string, string>>>;

export interface Grouper {
  /** "spec+nodes" | "nodes" when groups are resolved, "none" when flows are grouped per node. */
  readonly source: 'spec+nodes' | 'nodes' | 'none';
  groupOf(node: string): string;
}

/** Reads node labels from a Node, NodeList or List (JSON or YAML). */
export function parseNodeLabels(text: string, file: string): NodeLabels {
  let doc: unknown;
  try {
    doc = parse(text, { logLevel: 'error' });
  } catch (e) {
    throw new InputError(`--nodes ${file} is neither JSON nor YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const o = doc as { kind?: unknown; items?: unknown; metadata?: unknown } | null;
  const items =
    o && typeof o === 'object' ? (Array.isArray(o.items) ? o.items : o.kind === 'Node' ? [o] : undefined) : undefined;
  if (!items)
    throw new InputError(
      `--nodes ${file}: expected a NodeList (kubectl get nodes -o json) with items[].metadata.name and .labels`,
    );
  const out = new Map<string, Record<string, string>>();
  items.forEach((item: unknown, i: number) => {
    const md = (item as { metadata?: { name?: unknown; labels?: unknown } } | null)?.metadata;
    if (!md || typeof md.name !== 'string')
      throw new InputError(`--nodes ${file}: items[${i}].metadata.name is missing; expected a string`);
    const labels = md.labels && typeof md.labels === 'object' ? (md.labels as Record<string, unknown>) : {};
    out.set(md.name, Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])));
  });
  return out;
}

function matches(labels: Readonly<Record<string, string>>, selector: Readonly<Record<string, string>>): boolean {
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}

export function makeGrouper(groups: readonly EdgeGroup[] | undefined, nodes: NodeLabels | undefined): Grouper {
  if (!nodes) return { source: 'none', groupOf: (n) => n };
  const cache = new Map<string, string>();
  const resolve = (node: string): string => {
    // Hubble Relay prefixes node names with the cluster name ("cluster/node").
    const labels = nodes.get(node) ?? nodes.get(node.slice(node.lastIndexOf('/') + 1));
    if (!labels) return UNKNOWN_NODE;
    if (!(EDGE_LABELS.edge in labels)) return CLOUD_GROUP;
    if (groups) return groups.find((g) => matches(labels, g.nodeSelector))?.name ?? UNGROUPED_EDGE;
    return labels[GROUP_LABEL] ?? UNGROUPED_EDGE;
  };
  return {
    source: groups ? 'spec+nodes' : 'nodes',
    groupOf(node) {
      let g = cache.get(node);
      if (g === undefined) cache.set(node, (g = resolve(node)));
      return g;
    },
  };
}
