// spec → plan: every artifact as data. Pure: no I/O (the rendered manifest of the
// chart, when given, is passed in already parsed).
import type { Diagnostic } from '../diagnostics.ts';
import type { EdgeNetwork } from '../edgenetwork/types.ts';
import { enabledFeatures } from '../edgenetwork/features.ts';
import { chartVersionFor } from '../knowledge/chart-keys.ts';
import { CHART_NAMES } from '../knowledge/cilium.ts';
import { minorOf, parseVersion } from '../util/version.ts';
import { formatBytes } from '../util/quantity.ts';
import type { MemoryEstimate } from './maps.ts';
import { estimateMemory } from './maps.ts';
import type { MtuPlan } from '../edgenetwork/mtu.ts';
import { podMtu } from '../edgenetwork/mtu.ts';
import type { Decision } from './values.ts';
import { ciliumValues } from './values.ts';
import { edgeAgentArgs, edgeAgentPatch, edgeDaemonSet } from './edge-daemonset.ts';
import { rbacObjects } from './rbac.ts';
import { cloudcorePatch, edgecorePatch } from './kubeedge-patches.ts';
import type { RunbookStep } from './runbook.ts';
import { runbook } from './runbook.ts';
import { planWarnings } from './warnings.ts';
import { edgeDaemonSetName } from '../names.ts';
import type { GroupEncryption } from './encryption.ts';
import { groupEncryption } from './encryption.ts';

export interface GroupPlan {
  name: string;
  daemonSet: string;
  nodeSelector: Record<string, string>;
  arch: string;
  kernel?: string;
  nodes: number;
  features: string[];
  mtu: MtuPlan;
  /** The encryption decision for the group: type, MTU cost, what the site must let through. */
  encryption: GroupEncryption;
  memory: MemoryEstimate;
  agentArgs: string[];
  agentPatch: Record<string, unknown>;
  edgecorePatch: Record<string, unknown>;
  /** Full DaemonSet, when the chart's rendered manifest was given. */
  manifest?: Record<string, unknown>;
}

export interface Plan {
  apiVersion: 'kec.kubeedge.io/v1alpha1';
  kind: 'EdgeNetworkPlan';
  name: string;
  cilium: { version: string; chartKeysFrom: string; chart: string; release: string; namespace: string };
  kubeedge: { version: string; namespace: string };
  values: Record<string, unknown>;
  decisions: Decision[];
  groups: GroupPlan[];
  rbac: Array<Record<string, unknown>>;
  cloudcorePatch: Record<string, unknown>;
  runbook: RunbookStep[];
  warnings: Diagnostic[];
  /** Problems that make the plan unusable (e.g. a memory budget exceeded). */
  errors: Diagnostic[];
}

export interface PlanOptions {
  /** Documents of `helm template` output; its `cilium` DaemonSet becomes the base of each edge DaemonSet. */
  ciliumManifest?: Array<Record<string, unknown>>;
}

export function findCiliumDaemonSet(docs: Array<Record<string, unknown>>): Record<string, unknown> | undefined {
  return docs.find(
    (d) =>
      d['kind'] === 'DaemonSet' &&
      (d['metadata'] as Record<string, unknown> | undefined)?.['name'] === CHART_NAMES.agentDaemonSet,
  );
}

export function buildPlan(n: EdgeNetwork, opts: PlanOptions = {}): Plan {
  const spec = n.spec;
  const version = parseVersion(spec.cilium.version);
  const chartKeysFrom = (version && chartVersionFor(minorOf(version))) ?? spec.cilium.version;
  const { values, decisions } = ciliumValues(spec);
  const cloudDs = opts.ciliumManifest ? findCiliumDaemonSet(opts.ciliumManifest) : undefined;
  const errors: Diagnostic[] = [];
  const features = enabledFeatures(spec).map((f) => f.name);

  const groups = spec.edgeGroups.map((g, i): GroupPlan => {
    const mtu = podMtu(spec, g);
    const memory = estimateMemory(spec, g);
    if (!memory.withinBudget) {
      errors.push({
        severity: 'error',
        path: `spec.edgeGroups[${i}].memory`,
        message:
          `the Cilium agent needs about ${formatBytes(memory.estimateBytes)} on a ${g.memoryText} node, over its budget of ${formatBytes(memory.budgetBytes)} ` +
          `(${g.memoryBudgetPercent}% of memory); lower maxPods (${g.maxPods}) or bpf.policyMapMax (${g.bpf.policyMapMax}), or raise memoryBudgetPercent`,
      });
    }
    const agentPatch = edgeAgentPatch(spec, g, memory, mtu);
    const plan: GroupPlan = {
      name: g.name,
      daemonSet: edgeDaemonSetName(g.name),
      nodeSelector: g.nodeSelector,
      arch: g.arch,
      nodes: g.nodes,
      features: [...new Set(features)],
      mtu,
      encryption: groupEncryption(spec, g, mtu),
      memory,
      agentArgs: edgeAgentArgs(spec, memory, mtu),
      agentPatch,
      edgecorePatch: edgecorePatch(spec),
    };
    if (g.kernel !== undefined) plan.kernel = g.kernel;
    if (cloudDs) plan.manifest = edgeDaemonSet(cloudDs, agentPatch);
    return plan;
  });

  return {
    apiVersion: 'kec.kubeedge.io/v1alpha1',
    kind: 'EdgeNetworkPlan',
    name: n.metadata.name,
    cilium: {
      version: spec.cilium.version,
      chartKeysFrom,
      chart: spec.cilium.chart,
      release: spec.cilium.release,
      namespace: spec.cilium.namespace,
    },
    kubeedge: { version: spec.kubeedge.version, namespace: spec.kubeedge.namespace },
    values,
    decisions,
    groups,
    rbac: rbacObjects(spec),
    cloudcorePatch: cloudcorePatch(),
    runbook: runbook({
      spec,
      groups: groups.map((g) => ({
        name: g.name,
        selector: Object.entries(g.nodeSelector)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
        hasManifest: g.manifest !== undefined,
      })),
    }),
    warnings: planWarnings(spec, values),
    errors,
  };
}
