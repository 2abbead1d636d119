// Collection for kec status: nodes and the Cilium namespace's DaemonSets, Deployments
// and pods through the narrow ObjectReader; each failed list is recorded, not thrown.
import type { Obj, ObjectReader } from '../types.ts';
import { toApiError } from '../errors.ts';
import { withRetry } from '../retry.ts';
import type { EdgeNetwork } from '../../edgenetwork/types.ts';
import type { ClusterState, CollectError, GroupDef } from './state.ts';
import { discoverGroups } from './state.ts';

export function groupsFromSpec(spec: EdgeNetwork): GroupDef[] {
  return spec.spec.edgeGroups.map((g) => ({
    name: g.name,
    nodeSelector: { ...g.nodeSelector },
    source: 'spec' as const,
  }));
}

/** Describes an error for output: API status and message, never request details. */
export function errorText(e: unknown): string {
  const a = toApiError(e);
  return a.status > 0 ? `HTTP ${a.status}${a.reason ? ` ${a.reason}` : ''}: ${a.message}` : a.message;
}

/** Runs a list; on failure records it in errors and returns []. */
export async function tryList(
  reader: ObjectReader,
  errors: CollectError[],
  what: string,
  apiVersion: string,
  kind: string,
  opts: { namespace?: string; labelSelector?: string } = {},
): Promise<Obj[]> {
  try {
    return await withRetry(() => reader.list(apiVersion, kind, opts), { attempts: 3 });
  } catch (e) {
    errors.push({ what, error: errorText(e), kind });
    return [];
  }
}

export async function tryGet(
  reader: ObjectReader,
  errors: CollectError[],
  what: string,
  ref: Parameters<ObjectReader['get']>[0],
): Promise<Obj | undefined> {
  try {
    return await withRetry(() => reader.get(ref), { attempts: 3 });
  } catch (e) {
    errors.push({ what, error: errorText(e) });
    return undefined;
  }
}

export interface CollectOptions {
  namespace: string;
  /** From the spec; discovered from labels when absent. */
  groups?: GroupDef[];
  now?: () => number;
}

export async function collectState(reader: ObjectReader, opts: CollectOptions): Promise<ClusterState> {
  const errors: CollectError[] = [];
  const ns = opts.namespace;
  const [nodes, daemonSets, deployments, pods] = await Promise.all([
    tryList(reader, errors, 'nodes', 'v1', 'Node'),
    tryList(reader, errors, `DaemonSets in ${ns}`, 'apps/v1', 'DaemonSet', { namespace: ns }),
    tryList(reader, errors, `Deployments in ${ns}`, 'apps/v1', 'Deployment', { namespace: ns }),
    tryList(reader, errors, `pods in ${ns}`, 'v1', 'Pod', { namespace: ns }),
  ]);
  return {
    namespace: ns,
    collectedAt: new Date(opts.now?.() ?? Date.now()).toISOString(),
    groups: opts.groups ?? discoverGroups(daemonSets, nodes),
    nodes,
    daemonSets,
    deployments,
    pods,
    errors,
  };
}
