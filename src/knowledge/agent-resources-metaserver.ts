// How KubeEdge's MetaServer answers the agent's lists and watches, read from kubeedge/kubeedge
// at tag v1.23.1 (the version of shared/upstream/kubeedge). kec node metaserver check
// interprets MetaServer's answers with these facts.
//
// - edge/pkg/metamanager/metaserver/kubernetes/storage/storage.go (REST.List/Watch): every
//   LIST first goes to cloudcore's dynamicController as an "application"; when that fails for
//   any reason (edge offline, dynamicController off, cloudcore's own list refused by RBAC or
//   a missing CRD) MetaServer answers from its edge store (SQLite) instead, with HTTP 200.
//   A 403/404 from the API server never reaches the edge: cloudcore wraps it
//   (cloud/pkg/dynamiccontroller/application/application.go: "get current list error")
//   and MetaServer falls back to its store. WATCH is always served from the edge store;
//   the cloud only feeds it events when it approved the watch application.
// - edge/pkg/metamanager/metaserver/agent/agent.go: offline edgecore fails at once
//   (connect.IsConnected); otherwise MetaServer waits up to 10 s (SendSync timeout) for
//   cloudcore before it falls back.
// - edge/pkg/metamanager/metaserver/kubernetes/storage/sqlite/store.go (GetList): a list
//   from the edge store with items carries metadata.selfLink (the store key) and the store's
//   revision; an empty one carries no resourceVersion at all. A list relayed from the API
//   server has a resourceVersion and no selfLink (removed from Kubernetes in 1.20/1.24).
//   No response header tells the source.
// - pkg/metaserver/util/util.go (UnsafeResourceToKind): the edge store names a list's kind
//   by title-casing the resource ("ciliumnodes" → "CiliumnodeList"), which typed clients
//   (the Cilium agent) cannot decode (kubeedge/kubeedge#6641).

/** MetaServer's wait for cloudcore before it answers from its edge store (agent.go SendSync). */
export const METASERVER_CLOUD_WAIT_MS = 10_000;
/** An answer at least this slow came after MetaServer waited for cloudcore in vain. */
export const METASERVER_SLOW_FALLBACK_MS = 9_000;

export type ListSource = 'cloud' | 'edge' | 'unknown';

/** Where a 200 list answer of MetaServer v1.23 came from, by its shape (see store.go above). */
export function listSource(metadata: { selfLink?: unknown; resourceVersion?: unknown } | undefined): {
  source: ListSource;
  reason: string;
} {
  // Seen on real edgecore v1.23.1: an empty list from the edge store has no metadata at all.
  if (metadata === undefined)
    return {
      source: 'edge',
      reason: "no list metadata: an empty list from MetaServer's edge store (the API server always sets metadata)",
    };
  if (typeof metadata.selfLink === 'string' && metadata.selfLink !== '')
    return {
      source: 'edge',
      reason: `metadata.selfLink ${metadata.selfLink}: set only by MetaServer's edge store`,
    };
  if (metadata.resourceVersion === undefined || metadata.resourceVersion === '')
    return {
      source: 'edge',
      reason:
        "no metadata.resourceVersion: an empty list from MetaServer's edge store (the API server always sets one)",
    };
  return {
    source: 'cloud',
    reason: 'metadata.resourceVersion set, no selfLink: relayed from the API server by cloudcore',
  };
}

/** The list kind MetaServer's edge store gives a resource (pkg/metaserver/util UnsafeResourceToKind + "List"). */
export function edgeStoreListKind(resource: string): string {
  const unusual: Record<string, string> = {
    endpoints: 'Endpoints',
    endpointslices: 'EndpointSlice',
    nodes: 'Node',
    namespaces: 'Namespace',
    services: 'Service',
    customresourcedefinitions: 'CustomResourceDefinition',
    leases: 'Leases',
  };
  const title = resource.charAt(0).toUpperCase() + resource.slice(1).toLowerCase();
  const kind =
    unusual[resource] ??
    (title.endsWith('ies')
      ? `${title.slice(0, -3)}y`
      : title.endsWith('ses')
        ? title.slice(0, -2)
        : title.endsWith('s')
          ? title.slice(0, -1)
          : title);
  return `${kind}List`;
}
