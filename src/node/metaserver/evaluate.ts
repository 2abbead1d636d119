// One resource's LIST and WATCH answers → its status, level, source and what to do about it.
import type { AgentResource } from '../../knowledge/agent-resources.ts';
import { collectionPath } from '../../knowledge/agent-resources.ts';
import type { ListSource } from '../../knowledge/agent-resources-metaserver.ts';
import {
  METASERVER_CLOUD_WAIT_MS,
  METASERVER_SLOW_FALLBACK_MS,
  edgeStoreListKind,
  listSource,
} from '../../knowledge/agent-resources-metaserver.ts';
import { KNOWN_ISSUES } from '../../knowledge/kubeedge.ts';
import type { GetResult, WatchResult } from './client.ts';

export type ResourceStatus =
  | 'ok'
  | 'empty'
  | 'not found'
  | 'forbidden'
  | 'wrong kind'
  | 'watch failed'
  | 'error'
  | 'unreachable'
  | 'not installed'
  | 'not checked';
export type Level = 'pass' | 'warn' | 'fail';

export interface ResourceResult {
  group: string;
  version: string;
  resource: string;
  kind: string;
  path: string;
  /** Watched by every agent with the chart's defaults (false: only with `feature`). */
  required: boolean;
  feature: string | null;
  status: ResourceStatus;
  level: Level;
  /** Items in the list (null when there was no list). */
  items: number | null;
  /** Where MetaServer's list answer came from, when its shape tells (never guessed). */
  source: ListSource;
  sourceReason: string | null;
  list: { httpStatus: number | null; ms: number; kind: string | null; resourceVersion: string | null };
  watch: WatchResult | null;
  reason: string | null;
  hint: string | null;
}

export const HINTS = {
  notFound:
    "cloudcore's dynamicController is off (ConfigMap kubeedge/cloudcore: modules.dynamicController.enable: true; kec install sets it), or the CRD is not installed (is cilium-operator running?)",
  forbidden:
    "cloudcore's RBAC: ClusterRoleBinding cilium needs subject ServiceAccount cloudcore in the KubeEdge namespace (kec install grants it)",
  unreachable:
    'is edgecore running with modules.metaManager.metaServer.enable: true? (kec node configure --plan DIR --group G sets it)',
  edgeSlow: `MetaServer waited ${METASERVER_CLOUD_WAIT_MS / 1000} s for cloudcore, then answered from its edge store: cloudcore's dynamicController is off (kec install turns it on) or cloudcore is not answering`,
  edgeFast:
    "answered from MetaServer's edge store at once: edgecore is offline from cloudcore, or cloudcore's own list failed (its RBAC: kec install grants it; a missing CRD) — MetaServer 1.23 hides such errors behind its store",
  wrongKind: `the agent's typed client cannot decode this list and restarts (${KNOWN_ISSUES.agentRestarts}); lists relayed from the cloud have the right kind: make cloudcore answer (dynamicController on, edge online)`,
  watchFailed: `the agent's informer re-lists and re-watches in a loop (${KNOWN_ISSUES.agentRestarts})`,
  notInstalled: `its CRD is not in the cluster's CRD list (cilium-operator registers the CRDs of the features it runs); kec did not ask for it: a list or watch of a resource without its CRD makes cloudcore exit and crash-loop (${KNOWN_ISSUES.cloudcoreMissingCrd})`,
  notChecked: `feature-gated, and the CRD list did not come from the cloud, so kec cannot tell whether its CRD exists and did not ask (${KNOWN_ISSUES.cloudcoreMissingCrd}); run the check again while cloudcore answers`,
  timeout: `MetaServer waits up to ${METASERVER_CLOUD_WAIT_MS / 1000} s for cloudcore before it answers from its edge store; give --timeout more than that`,
} as const;

interface ListBody {
  kind?: unknown;
  metadata?: { selfLink?: unknown; resourceVersion?: unknown };
  items?: unknown;
}

const FAILING: ReadonlySet<ResourceStatus> = new Set([
  'not found',
  'forbidden',
  'wrong kind',
  'watch failed',
  'error',
  'unreachable',
]);

function statusText(body: string): string | null {
  try {
    const o = JSON.parse(body) as { message?: unknown };
    return typeof o.message === 'string' ? o.message : null;
  } catch {
    return body.trim() ? body.trim().slice(0, 200) : null;
  }
}

/** A CRD-backed resource kec did not ask MetaServer for (crds.ts says why). */
export function unasked(
  r: AgentResource,
  status: 'not installed' | 'not checked',
  opts: { strict?: boolean } = {},
): ResourceResult {
  const required = r.feature === undefined;
  const level: Level =
    status === 'not installed' ? (required || opts.strict ? 'fail' : 'pass') : opts.strict ? 'fail' : 'warn';
  return {
    group: r.group,
    version: r.version,
    resource: r.resource,
    kind: r.kind,
    path: collectionPath(r),
    required,
    feature: r.feature ?? null,
    status,
    level,
    items: null,
    source: 'unknown',
    sourceReason: null,
    list: { httpStatus: null, ms: 0, kind: null, resourceVersion: null },
    watch: null,
    reason:
      status === 'not installed'
        ? `no CustomResourceDefinition ${r.resource}.${r.group} in the cluster${required ? '' : ` (feature off: ${r.feature})`}`
        : 'not asked: no CRD list from the cloud',
    hint: status === 'not installed' ? (required ? HINTS.notInstalled : null) : HINTS.notChecked,
  };
}

/** The result of one resource from its LIST answer and, if one was made, its WATCH answer. */
export function evaluate(
  r: AgentResource,
  list: GetResult,
  watchResult: WatchResult | null,
  opts: { strict?: boolean } = {},
): ResourceResult {
  const base = {
    group: r.group,
    version: r.version,
    resource: r.resource,
    kind: r.kind,
    path: collectionPath(r),
    required: r.feature === undefined,
    feature: r.feature ?? null,
  };
  let status: ResourceStatus;
  let items: number | null = null;
  let src: { source: ListSource; reason: string | null } = { source: 'unknown', reason: null };
  let reason: string | null = null;
  let hint: string | null = null;
  let level: Level | undefined;
  const listInfo: ResourceResult['list'] = {
    httpStatus: list.ok ? list.status : null,
    ms: list.ms,
    kind: null,
    resourceVersion: null,
  };

  if (!list.ok) {
    status = list.failure.kind === 'unreachable' ? 'unreachable' : 'error';
    reason = list.failure.message;
    hint =
      list.failure.kind === 'unreachable' ? HINTS.unreachable : list.failure.kind === 'timeout' ? HINTS.timeout : null;
  } else if (list.status === 404) {
    status = 'not found';
    reason = `HTTP 404${statusText(list.body) ? `: ${statusText(list.body)}` : ''}`;
    hint = HINTS.notFound;
  } else if (list.status === 403 || list.status === 401) {
    status = 'forbidden';
    reason = `HTTP ${list.status}${statusText(list.body) ? `: ${statusText(list.body)}` : ''}`;
    hint = HINTS.forbidden;
  } else if (list.status !== 200) {
    status = 'error';
    reason = `HTTP ${list.status}${statusText(list.body) ? `: ${statusText(list.body)}` : ''}`;
  } else {
    let body: ListBody | undefined;
    try {
      body = JSON.parse(list.body) as ListBody;
    } catch {
      body = undefined;
    }
    if (!body || typeof body !== 'object' || !Array.isArray(body.items)) {
      status = 'error';
      reason = 'HTTP 200 but not a Kubernetes list (no items)';
    } else {
      items = body.items.length;
      const meta = body.metadata && typeof body.metadata === 'object' ? body.metadata : undefined;
      src = listSource(meta);
      listInfo.kind = typeof body.kind === 'string' ? body.kind : null;
      listInfo.resourceVersion = typeof meta?.resourceVersion === 'string' ? meta.resourceVersion : null;
      const expected = `${r.kind}List`;
      if (listInfo.kind !== null && listInfo.kind !== '' && listInfo.kind !== expected) {
        status = 'wrong kind';
        reason = `kind ${listInfo.kind}, expected ${expected}${listInfo.kind === edgeStoreListKind(r.resource) ? " (the edge store's name for it)" : ''}`;
        hint = HINTS.wrongKind;
      } else if (watchResult && !watchResult.ok) {
        status = 'watch failed';
        reason = watchResult.reason;
        hint = HINTS.watchFailed;
      } else {
        status = items > 0 ? 'ok' : 'empty';
        if (src.source === 'edge') {
          level = 'warn';
          reason = "answered from MetaServer's edge store, not the cloud";
          hint = list.ms >= METASERVER_SLOW_FALLBACK_MS ? HINTS.edgeSlow : HINTS.edgeFast;
        }
        if (items === 0 && r.neverEmpty) {
          level = 'fail';
          reason = `empty, but every cluster has ${r.kind} objects${src.source === 'edge' ? "; MetaServer's edge store answered" : ''}`;
          hint ??= HINTS.edgeFast;
        }
      }
    }
  }
  if (level === undefined) level = FAILING.has(status) ? (base.required || opts.strict ? 'fail' : 'warn') : 'pass';
  return {
    ...base,
    status,
    level,
    items,
    source: src.source,
    sourceReason: src.reason,
    list: listInfo,
    watch: watchResult,
    reason,
    hint,
  };
}
