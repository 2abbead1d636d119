// Plan view model, pure: a kec plan (from -f SPEC or DIR/plan.json) → per group MTU breakdown,
// BPF map sizes, memory estimate against the budget, and the plan's decisions and warnings.
import type { Plan } from '../plan/plan.ts';
import { formatDiagnostic } from '../diagnostics.ts';
import type { PlanView } from './types.ts';

export function planView(plan: Plan, source: string): PlanView {
  return {
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
