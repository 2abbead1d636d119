// Which cilium.io CRDs the cluster has, asked through MetaServer before any cilium.io request.
// A list or watch of a cilium.io resource whose CRD is not installed makes cloudcore's
// dynamicController exit, and the edge re-sends that watch after every reconnect, so cloudcore
// crash-loops (kubeedge#7303, seen with the real cloudcore v1.23.1). kec never asks for such a
// resource: it asks only for the ones whose CRD the cloud's list names.
import type { AgentResource } from '../../knowledge/agent-resources.ts';
import type { ListSource } from '../../knowledge/agent-resources-metaserver.ts';
import { listSource } from '../../knowledge/agent-resources-metaserver.ts';
import { get } from './client.ts';
import type { Endpoint } from './client.ts';

export const CRD_COLLECTION = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

export interface InstalledCrds {
  /** `<plural>.<group>` of every CRD in the answer. */
  names: ReadonlySet<string>;
  /** Only a list relayed from the cloud is the cluster's truth; the edge store may lack CRDs. */
  source: ListSource;
}

/** CRD-backed resources: Cilium's own API group. */
export function isCrdBacked(r: Pick<AgentResource, 'group'>): boolean {
  return r.group === 'cilium.io';
}

/** The CRD list through MetaServer; undefined when there was no usable list. */
export async function installedCrds(ep: Endpoint, timeoutMs: number): Promise<InstalledCrds | undefined> {
  const r = await get(ep, CRD_COLLECTION, timeoutMs);
  if (!r.ok || r.status !== 200) return undefined;
  let body: { metadata?: { selfLink?: unknown; resourceVersion?: unknown }; items?: unknown };
  try {
    body = JSON.parse(r.body) as typeof body;
  } catch {
    return undefined;
  }
  if (!body || typeof body !== 'object' || !Array.isArray(body.items)) return undefined;
  const names = new Set<string>();
  for (const item of body.items as Array<{ metadata?: { name?: unknown } } | null>) {
    const name = item?.metadata?.name;
    if (typeof name === 'string') names.add(name);
  }
  return { names, source: listSource(body.metadata).source };
}

/**
 * Whether kec may list and watch `r`: yes unless it is CRD-backed and either its CRD is not in
 * the cloud's list, or there is no list from the cloud and the resource is feature-gated (its CRD
 * exists only with the feature on). Required resources are asked for without a cloud list: every
 * agent of that version needs them, and without them it would not start either.
 */
export function mayAsk(
  r: AgentResource,
  crds: InstalledCrds | undefined,
): { ask: true } | { ask: false; status: 'not installed' | 'not checked' } {
  if (!isCrdBacked(r)) return { ask: true };
  if (crds?.source === 'cloud')
    return crds.names.has(`${r.resource}.${r.group}`) ? { ask: true } : { ask: false, status: 'not installed' };
  return r.feature === undefined ? { ask: true } : { ask: false, status: 'not checked' };
}
