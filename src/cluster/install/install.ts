// kec install: checks, Helm, RBAC, cloudcore, edge DaemonSets — each step recorded in
// kec-state before it changes anything, each reported as it completes.
import type { AccessReviewer, Obj, ObjectReader, ObjectWriter, ServerInfo } from '../types.ts';
import { refOf } from '../types.ts';
import type { EdgeNetwork } from '../../edgenetwork/types.ts';
import type { Plan } from '../../plan/plan.ts';
import { edgeDaemonSet } from '../../plan/edge-daemonset.ts';
import { cloudOnlyAffinity } from '../../plan/affinity.ts';
import { CHART_NAMES } from '../../knowledge/cilium.ts';
import { CLOUDCORE } from '../../knowledge/kubeedge.ts';
import { CLUSTER_SCOPED_KINDS } from '../../knowledge/kubernetes.ts';
import { preInstallChecks } from './checks.ts';
import type { Helm } from './helm.ts';
import { StateStore } from './state.ts';
import type { ApplyContext, StepResult } from './apply.ts';
import { applyObject, removeObject } from './apply.ts';
import { enableCloudcoreModules } from './cloudcore-config.ts';
import { withRetry } from '../retry.ts';
import type { RetryOptions } from '../retry.ts';
import { toApiError } from '../errors.ts';
import { unifiedDiff } from '../../output/diff.ts';
import { redactHelmValues } from '../redact.ts';
import { isDeepStrictEqual } from 'node:util';
import {
  ANNOTATIONS,
  GROUP_LABEL,
  groupOfLabels,
  LEGACY_DAEMONSET_GROUP_LABEL,
  MANAGED_BY_SELECTOR,
} from '../../names.ts';
import type { Check } from '../../check.ts';

/** Kinds without a namespace among those the Cilium chart renders. */

export type InstallApi = ObjectReader & ObjectWriter & AccessReviewer & ServerInfo;

export interface InstallOptions {
  dryRun: boolean;
  /** undefined: do not run Helm (--skip-helm). */
  helm?: Helm;
  chart: string;
  chartVersion: string;
  wait: boolean;
  waitTimeoutMs: number;
  kecVersion: string;
  specName: string;
  /** Re-read-and-retry policy for read-modify-write steps (conflicts); single calls retry in the client. */
  retry?: RetryOptions;
  onChecks?: (checks: Check[]) => void;
  onStep?: (s: StepResult) => void;
}

export interface InstallReport {
  dryRun: boolean;
  checks: Check[];
  steps: StepResult[];
  changed: number;
  ok: boolean;
}

export async function install(api: InstallApi, n: EdgeNetwork, plan: Plan, o: InstallOptions): Promise<InstallReport> {
  const spec = n.spec;
  const ns = spec.cilium.namespace;
  const steps: StepResult[] = [];
  const report = (s: StepResult): void => {
    steps.push(s);
    o.onStep?.(s);
  };
  const checks = await preInstallChecks(api, spec, { skipHelm: o.helm === undefined });
  o.onChecks?.(checks);
  const done = (): InstallReport => ({
    dryRun: o.dryRun,
    checks,
    steps,
    changed: steps.filter((s) => !['unchanged', 'skipped'].includes(s.status)).length,
    ok: !checks.some((c) => c.status === 'fail') && !steps.some((s) => s.status === 'failed'),
  });
  if (checks.some((c) => c.status === 'fail')) return done();

  const state = new StateStore(api, ns, { spec: o.specName, kec: o.kecVersion });
  const retry = o.retry ?? {};
  const ctx: ApplyContext = { api, state, dryRun: o.dryRun, retry };
  const step = async (id: string, fn: () => Promise<StepResult | StepResult[]>): Promise<boolean> => {
    try {
      const r = await fn();
      for (const s of Array.isArray(r) ? r : [r]) report(s);
      return true;
    } catch (e) {
      report({ id, status: 'failed', detail: toApiError(e).message });
      return false;
    }
  };

  if (
    !(await step('state', async () => {
      await state.load();
      return [];
    }))
  )
    return done();
  if (o.helm) {
    if (!(await step('helm', () => helmStep(ctx, api, o.helm!, plan, o)))) return done();
  } else if (!(await step('cilium.affinity', () => cloudAffinityStep(ctx, ns)))) return done();
  for (const obj of plan.rbac) {
    if (!(await step(`rbac.${obj.kind}`, () => applyObject(ctx, `rbac.${obj.kind}`, obj as Obj)))) return done();
  }
  if (!(await step('cloudcore.config', () => cloudcoreStep(ctx, spec)))) return done();
  await step('edge.daemonsets', () => edgeDaemonSetsStep(ctx, plan, ns));
  if (o.wait && !o.dryRun && !steps.some((s) => s.status === 'failed')) {
    await step('edge.rollout', () => waitForRollouts(api, plan, ns, o.waitTimeoutMs));
  }
  return done();
}

async function helmStep(
  ctx: ApplyContext,
  server: ServerInfo,
  helm: Helm,
  plan: Plan,
  o: InstallOptions,
): Promise<StepResult> {
  const { release, namespace } = plan.cilium;
  const state = ctx.state;
  const current = await helm.status(release, namespace);
  if (
    current &&
    current.chartVersion === o.chartVersion &&
    current.status === 'deployed' &&
    isDeepStrictEqual(await helm.values(release, namespace), JSON.parse(JSON.stringify(plan.values)))
  ) {
    return {
      id: 'helm',
      object: `helm release ${namespace}/${release}`,
      status: 'unchanged',
      detail: `revision ${current.revision}, chart ${o.chartVersion}`,
    };
  }
  if (o.dryRun) {
    // Deployed values may hold keys and certificates (hubble.tls.*.key, ...): never print them.
    const diff = current
      ? unifiedDiff(
          JSON.stringify(redactHelmValues(await helm.values(release, namespace)), null, 1),
          JSON.stringify(redactHelmValues(plan.values), null, 1),
          { from: 'deployed values', to: 'planned values' },
        )
      : '';
    return {
      id: 'helm',
      object: `helm release ${namespace}/${release}`,
      status: current ? 'would-change' : 'would-create',
      detail: `${o.chart} ${o.chartVersion}`,
      ...(diff ? { diff } : {}),
    };
  }
  const adoptedExisting =
    !current &&
    (await ctx.api.get({ apiVersion: 'apps/v1', kind: 'DaemonSet', name: CHART_NAMES.agentDaemonSet, namespace })) !==
      undefined;
  if (adoptedExisting) {
    // Helm is about to take over Cilium objects it did not create: record each as it is, so
    // that uninstall puts them back instead of deleting them with the release.
    for (const ref of await helm.objects({
      release,
      chart: o.chart,
      version: o.chartVersion,
      namespace,
      values: plan.values,
      kubeVersion: (await server.version()).gitVersion,
      apiVersions: await server.apiVersions(),
    })) {
      if (ref.kind === 'Secret') continue; // never copied into kec-state (a ConfigMap); Helm keeps or regenerates them
      const full =
        ref.namespace || !CLUSTER_SCOPED_KINDS.has(ref.kind) ? { ...ref, namespace: ref.namespace ?? namespace } : ref;
      await state.recordBefore(full, await ctx.api.get(full));
    }
  }
  await state.recordHelm({
    release,
    namespace,
    previousRevision: current ? current.revision : null,
    ...(adoptedExisting ? { adoptedExisting } : {}),
  });
  await helm.upgradeInstall({
    release,
    chart: o.chart,
    version: o.chartVersion,
    namespace,
    values: plan.values,
    wait: o.wait,
    timeout: `${Math.ceil(o.waitTimeoutMs / 1000)}s`,
  });
  return {
    id: 'helm',
    object: `helm release ${namespace}/${release}`,
    status: current ? 'changed' : 'created',
    detail: `${o.chart} ${o.chartVersion}`,
  };
}

/** --skip-helm: keep the chart's cilium DaemonSet off edge nodes until Helm applies the plan's values. */
async function cloudAffinityStep(ctx: ApplyContext, ns: string): Promise<StepResult> {
  const desired: Obj = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: CHART_NAMES.agentDaemonSet, namespace: ns },
    spec: { template: { spec: { affinity: cloudOnlyAffinity() } } },
  };
  const r = await applyObject(ctx, 'cilium.affinity', desired);
  return {
    ...r,
    detail: 'edge nodes excluded; cilium-values.yaml carries the same affinity for the next helm upgrade',
  };
}

async function cloudcoreStep(ctx: ApplyContext, spec: EdgeNetwork['spec']): Promise<StepResult[]> {
  const ke = spec.kubeedge.namespace;
  const cmRef = { apiVersion: 'v1', kind: 'ConfigMap', name: CLOUDCORE.configMap, namespace: ke };
  const id = 'cloudcore.config';
  const name = `ConfigMap/${ke}/${CLOUDCORE.configMap}`;
  // Read-modify-write with the resourceVersion as precondition; a conflict re-reads and re-edits.
  const edited = await withRetry(async () => {
    const cm = await ctx.api.get(cmRef);
    const text = (cm?.['data'] as Record<string, string> | undefined)?.[CLOUDCORE.configKey] ?? '';
    const edit = enableCloudcoreModules(text);
    if (edit.changed.length === 0 || ctx.dryRun) return { edit, text };
    await ctx.state.recordBefore(cmRef, cm);
    const rv = cm?.metadata?.resourceVersion;
    await ctx.api.mergePatch(cmRef, {
      metadata: rv ? { resourceVersion: rv } : {},
      data: { [CLOUDCORE.configKey]: edit.text },
    });
    return { edit, text };
  }, ctx.retry);
  if (edited.edit.changed.length === 0) return [{ id, object: name, status: 'unchanged' }];
  const diff = unifiedDiff(edited.text, edited.edit.text, { from: `${name} (live)`, to: `${name} (planned)` });
  if (ctx.dryRun)
    return [
      { id, object: name, status: 'would-change', diff },
      {
        id: 'cloudcore.restart',
        object: `Deployment/${ke}/${CLOUDCORE.deployment}`,
        status: 'would-change',
        detail: 'restart to load the new configuration',
      },
    ];
  const depRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: CLOUDCORE.deployment, namespace: ke };
  const dep = await ctx.api.get(depRef);
  const results: StepResult[] = [
    { id, object: name, status: 'changed', detail: `set ${edited.edit.changed.join(', ')}` },
  ];
  if (!dep)
    return [
      ...results,
      {
        id: 'cloudcore.restart',
        object: `Deployment/${ke}/${CLOUDCORE.deployment}`,
        status: 'skipped',
        detail: `not found: restart the pods labelled ${CLOUDCORE.podSelector} by hand`,
      },
    ];
  await ctx.state.recordBefore(depRef, dep);
  await ctx.api.mergePatch(depRef, {
    spec: { template: { metadata: { annotations: { [ANNOTATIONS.restartedAt]: new Date().toISOString() } } } },
  });
  return [
    ...results,
    {
      id: 'cloudcore.restart',
      object: `Deployment/${ke}/${CLOUDCORE.deployment}`,
      status: 'changed',
      detail: 'restarted to load the new configuration',
    },
  ];
}

async function edgeDaemonSetsStep(ctx: ApplyContext, plan: Plan, ns: string): Promise<StepResult[]> {
  const cloud = await ctx.api.get({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    name: CHART_NAMES.agentDaemonSet,
    namespace: ns,
  });
  if (!cloud)
    return [
      {
        id: 'edge.daemonsets',
        status: 'failed',
        detail: `DaemonSet ${ns}/${CHART_NAMES.agentDaemonSet} not found: the edge DaemonSets are derived from it`,
      },
    ];
  const results: StepResult[] = [];
  for (const g of plan.groups) {
    const desired = edgeDaemonSet(cloud, g.agentPatch) as Obj;
    const replaced = await replaceLegacyDaemonSet(ctx, g.name, desired);
    if (replaced) results.push(replaced);
    // A dry run cannot apply over an object it only would have removed: the server refuses the selector change.
    if (replaced?.status === 'would-remove')
      results.push({
        id: `edge.${g.name}`,
        object: `DaemonSet/${ns}/${g.daemonSet}`,
        status: 'would-change',
        detail: `recreated with label ${GROUP_LABEL}`,
      });
    else results.push(await applyObject(ctx, `edge.${g.name}`, desired));
  }
  // Edge DaemonSets of groups no longer in the spec.
  const planned = new Set(plan.groups.map((g) => g.daemonSet));
  const existing = await ctx.api.list('apps/v1', 'DaemonSet', { namespace: ns, labelSelector: MANAGED_BY_SELECTOR });
  for (const ds of existing) {
    const group = groupOfLabels(ds.metadata?.labels ?? {});
    if (group !== undefined && !planned.has(ds.metadata?.name ?? ''))
      results.push(await removeObject(ctx, `edge.${group}`, ds));
  }
  return results;
}

/**
 * kec 0.1 selected edge agent pods by LEGACY_DAEMONSET_GROUP_LABEL. A DaemonSet's selector cannot
 * change, so such a DaemonSet is deleted (recorded for uninstall) and created anew: the group's
 * agents restart once; the datapath keeps forwarding meanwhile.
 */
async function replaceLegacyDaemonSet(ctx: ApplyContext, group: string, desired: Obj): Promise<StepResult | undefined> {
  const current = await ctx.api.get(refOf(desired));
  const selector =
    (current?.['spec'] as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector?.matchLabels ??
    {};
  if (!current || !(LEGACY_DAEMONSET_GROUP_LABEL in selector)) return undefined;
  const r = await removeObject(ctx, `edge.${group}.legacy`, current);
  return {
    ...r,
    detail: `selects pods by ${LEGACY_DAEMONSET_GROUP_LABEL} (kec 0.1); replaced by one selecting ${GROUP_LABEL}`,
  };
}

async function waitForRollouts(api: ObjectReader, plan: Plan, ns: string, timeoutMs: number): Promise<StepResult[]> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(plan.groups.map((g) => g.daemonSet));
  const results: StepResult[] = [];
  while (pending.size && Date.now() < deadline) {
    for (const name of [...pending]) {
      const ds = await api.get({ apiVersion: 'apps/v1', kind: 'DaemonSet', name, namespace: ns });
      const st = (ds?.['status'] ?? {}) as Record<string, number>;
      const gen = (ds?.metadata?.['generation'] as number | undefined) ?? 0;
      if (
        ds &&
        (st['observedGeneration'] ?? 0) >= gen &&
        st['desiredNumberScheduled'] === st['numberReady'] &&
        st['updatedNumberScheduled'] === st['desiredNumberScheduled']
      ) {
        pending.delete(name);
        results.push({
          id: `rollout.${name}`,
          object: `DaemonSet/${ns}/${name}`,
          status: 'unchanged',
          detail: `${st['numberReady'] ?? 0}/${st['desiredNumberScheduled'] ?? 0} ready`,
        });
      }
    }
    if (pending.size) await new Promise((r) => setTimeout(r, 1000));
  }
  for (const name of pending)
    results.push({
      id: `rollout.${name}`,
      object: `DaemonSet/${ns}/${name}`,
      status: 'failed',
      detail: `not rolled out within ${Math.round(timeoutMs / 1000)} s`,
    });
  return results;
}
