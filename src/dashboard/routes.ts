// The JSON API: one route per view, each a view model over what the dashboard was started
// with (files) or reads (the cluster).
import { parseFlow } from '../policy/run.ts';
import type { FlowL4 } from '../policy/match.ts';
import { probePorts } from '../policy/report.ts';
import { makeGrouper } from '../flows/grouping.ts';
import type { NodeLabels } from '../flows/grouping.ts';
import { labelsOf, nameOf } from '../cluster/snapshot/state.ts';
import { UsageError } from '../errors.ts';
import { HttpError } from './server.ts';
import type { Route } from './server.ts';
import type { Inputs } from './inputs.ts';
import type { FleetSnapshot } from './live.ts';
import { fleetView, nodeDetail, nodeRows } from './fleet-view.ts';
import { planView } from './plan-view.ts';
import type { DeployedValues } from './values-view.ts';
import { valuesDiffView } from './values-view.ts';
import { diffView, matrixView, traceView } from './policy-view.ts';
import { flowsView } from './flows-view.ts';
import { findingsView } from './findings-view.ts';
import type { DiagnoseReport } from '../cluster/diagnose/diagnose-rules.ts';
import type { FleetView, FlowsView, MetaView, NodeRow, PolicyDiffView } from './types.ts';

export interface RouteSources {
  version: string;
  inputs: Inputs;
  /** Live mode: the latest fleet read. */
  live?: () => FleetSnapshot | undefined;
  diagnose?: () => Promise<{ report: DiagnoseReport; at: string }>;
  /** Live: the deployed Cilium release's values (through the user's helm). */
  helmValues?: () => Promise<{ got: DeployedValues; at: string }>;
}

/** The fleet of the moment: live, else the --snapshot file, else none. */
export function currentFleet(s: RouteSources): { view: FleetView; snap?: FleetSnapshot; rows: Map<string, NodeRow[]> } {
  const snap = s.live?.();
  if (snap) return { view: fleetView(snap.report, 'live', snap.state, snap.rows), snap, rows: snap.rows };
  const saved = s.inputs.snapshot?.report;
  if (saved) {
    const rows = nodeRows(saved);
    return { view: fleetView(saved, 'snapshot', undefined, rows), rows };
  }
  return { view: fleetView(undefined, 'none'), rows: new Map() };
}

function flowFrom(q: URLSearchParams, fallback: () => FlowL4): FlowL4 {
  const port = q.get('port');
  if (port === null) return fallback();
  try {
    return parseFlow(port, q.get('protocol') ?? undefined);
  } catch (e) {
    throw new HttpError(400, e instanceof UsageError ? e.message : String(e));
  }
}

export function buildRoutes(s: RouteSources): Record<string, Route> {
  let flows: FlowsView | undefined;
  let diff: PolicyDiffView | undefined;
  const nodeLabels = (): NodeLabels | undefined => {
    if (s.inputs.nodeLabels) return s.inputs.nodeLabels;
    const nodes = s.live?.()?.state.nodes;
    return nodes ? new Map(nodes.map((n) => [nameOf(n), labelsOf(n)])) : undefined;
  };
  const policy = s.inputs.policy;
  // The first heat map: the first container port, else the first port a rule names.
  const firstFlow = (): FlowL4 => {
    const container = policy?.endpoints.flatMap((e) => e.ports)[0];
    if (container) return { port: container.port, protocol: container.protocol };
    return (policy ? probePorts(policy.endpoints, policy.sets)[0] : undefined) ?? { port: 80, protocol: 'TCP' };
  };
  return {
    '/api/meta': (): MetaView => {
      const i = s.inputs;
      const live = s.live !== undefined;
      return {
        version: s.version,
        mode: live ? 'live' : 'offline',
        views: {
          fleet: live || i.snapshot !== undefined,
          plan: i.plan !== undefined,
          policy: i.policy !== undefined,
          policyDiff: i.policy?.next !== undefined,
          flows: i.flows !== undefined,
          findings: s.diagnose !== undefined,
        },
        sources: {
          ...(live ? { fleet: 'cluster', findings: 'cluster' } : i.snapshot ? { fleet: i.snapshot.source } : {}),
          ...(i.plan ? { plan: i.plan.source } : {}),
          ...(i.policy ? { policy: i.policy.source } : {}),
          ...(i.flows ? { flows: i.flows.source } : {}),
        },
      };
    },
    '/api/fleet': () => currentFleet(s).view,
    '/api/fleet/nodes': (q) => currentFleet(s).rows.get(q.get('group') ?? ''),
    '/api/fleet/node': (q) => {
      const f = currentFleet(s);
      const report = f.snap?.report ?? s.inputs.snapshot?.report;
      return report ? nodeDetail(q.get('name') ?? '', f.rows, report, f.snap?.state) : undefined;
    },
    '/api/plan': () =>
      s.inputs.plan ? planView(s.inputs.plan.plan, s.inputs.plan.source, s.live?.()?.state) : undefined,
    '/api/policy': (q) => (policy ? matrixView(policy.sets, policy.endpoints, flowFrom(q, firstFlow)) : undefined),
    '/api/policy/trace': (q) => {
      if (!policy) return undefined;
      const find = (key: 'from' | 'to') => {
        const id = q.get(key);
        const e = policy.endpoints.find((x) => x.id === id);
        if (!e) throw new HttpError(400, `${key}: unknown endpoint ${id ?? '(none)'}`);
        return e;
      };
      return traceView(policy.sets, find('from'), find('to'), flowFrom(q, firstFlow));
    },
    '/api/policy/diff': () => {
      if (!policy?.next) return undefined;
      diff ??= diffView(policy.sets, policy.next.sets, policy.endpoints, policy.next.source);
      return diff;
    },
    '/api/flows': () => {
      const f = s.inputs.flows;
      if (!f) return undefined;
      const labels = nodeLabels();
      const groups = s.inputs.spec?.spec.edgeGroups;
      flows ??= flowsView(f.lines, { source: f.source, ...(labels ? { grouper: makeGrouper(groups, labels) } : {}) });
      return flows;
    },
    '/api/plan/values': async () => {
      const plan = s.inputs.plan?.plan;
      if (!plan || !s.helmValues) return undefined;
      const { got, at } = await s.helmValues();
      return valuesDiffView(plan.values, { name: plan.cilium.release, namespace: plan.cilium.namespace }, got, at);
    },
    '/api/findings': async () => {
      if (!s.diagnose) return findingsView(undefined);
      const d = await s.diagnose();
      return findingsView(d.report, d.at);
    },
  };
}
