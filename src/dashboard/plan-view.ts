// Plan view model, pure: a kec plan (from -f SPEC or DIR/plan.json) → per group MTU breakdown,
// BPF map sizes, memory estimate against the budget, and the plan's decisions and warnings.
import type { Plan } from '../plan/plan.ts';
import { formatDiagnostic } from '../diagnostics.ts';
import type { ClusterState } from '../cluster/snapshot/state.ts';
import { containersOf, nameOf } from '../cluster/snapshot/state.ts';
import { CHART_NAMES } from '../knowledge/cilium.ts';
import type { DeployedDiff, PlanView } from './types.ts';

/** The plan's agent arguments per group against the edge DaemonSets in the cluster. */
export function deployedDiff(plan: Plan, state: ClusterState): DeployedDiff[] {
  return plan.groups.map((g) => {
    const ds = state.daemonSets.find((d) => nameOf(d) === g.daemonSet);
    const agent = ds ? containersOf(ds).find((c) => c.name === CHART_NAMES.agentContainer) : undefined;
    if (!ds || !agent)
      return {
        group: g.name,
        daemonSet: g.daemonSet,
        status: 'not deployed',
        missing: [...g.agentArgs],
        unexpected: [],
      };
    const deployed = new Set(agent.args);
    const planned = new Set(g.agentArgs);
    const missing = g.agentArgs.filter((a) => !deployed.has(a));
    const unexpected = agent.args.filter((a) => !planned.has(a));
    return {
      group: g.name,
      daemonSet: g.daemonSet,
      status: missing.length === 0 && unexpected.length === 0 ? 'matches' : 'differs',
      missing,
      unexpected,
    };
  });
}

export function planView(plan: Plan, source: string, live?: ClusterState): PlanView {
  return {
    ...(live ? { deployed: deployedDiff(plan, live) } : {}),
    name: plan.name,
    source,
    cilium: plan.cilium.version,
    kubeedge: plan.kubeedge.version,
    groups: plan.groups.map((g) => ({
      name: g.name,
      nodes: g.nodes,
      arch: g.arch,
      mtu: {
        link: g.mtu.link,
        tunnel: g.mtu.tunnel,
        encryption: g.mtu.encryption,
        overhead: g.mtu.overhead,
        pod: g.mtu.pod,
      },
      encryption: g.encryption.type,
      maps: { ...g.memory.maps },
      memory: {
        estimateBytes: g.memory.estimateBytes,
        budgetBytes: g.memory.budgetBytes,
        withinBudget: g.memory.withinBudget,
        breakdown: { ...g.memory.breakdown },
      },
    })),
    decisions: plan.decisions.map((d) => ({ id: d.id, title: d.title, detail: d.detail })),
    warnings: plan.warnings.map((w) => formatDiagnostic(w)),
    errors: plan.errors.map((e) => formatDiagnostic(e)),
  };
}
