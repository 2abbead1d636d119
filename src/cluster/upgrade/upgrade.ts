// kec upgrade: the cloud release first, then edge groups one at a time (the canary
// first), each gated on its rollout; a group that fails its gate is rolled back to the
// DaemonSet it had (and, with --auto-rollback, the release to its previous revision).
import type { Obj, ObjectReader, ObjectRef, ObjectWriter } from '../types.ts';
import type { Plan } from '../../plan/plan.ts';
import { edgeDaemonSet } from '../../plan/edge-daemonset.ts';
import { CHART_NAMES } from '../../knowledge/cilium.ts';
import { KNOWN_ISSUES } from '../../knowledge/kubeedge.ts';
import type { Helm } from '../install/helm.ts';
import { comparable } from '../install/apply.ts';
import { snapshot } from '../install/state.ts';
import type { GateResult } from './gate.ts';
import { waitGate } from './gate.ts';
import type { ValuesCompat } from './values-compat.ts';
import { isConflict, toApiError } from '../errors.ts';
import { withRetry } from '../retry.ts';

export type GroupStatus = 'upgraded' | 'unchanged' | 'rolled-back' | 'failed' | 'skipped' | 'would-upgrade';

export interface GroupOutcome {
  group: string;
  daemonSet: string;
  status: GroupStatus;
  detail: string;
  gate?: GateResult;
  ms: number;
}

export interface UpgradeReport {
  from: string;
  to: string;
  dryRun: boolean;
  compat: ValuesCompat;
  cloud: {
    status: 'upgraded' | 'unchanged' | 'skipped' | 'failed' | 'rolled-back' | 'would-upgrade';
    detail: string;
    gate?: GateResult;
  };
  groups: GroupOutcome[];
  ok: boolean;
}

export interface UpgradeOptions {
  from: string;
  to: string;
  canary?: string;
  autoRollback: boolean;
  dryRun: boolean;
  /** undefined: the cloud release is managed elsewhere (--skip-helm). */
  helm?: Helm;
  chart: string;
  gateTimeoutMs: number;
  pollMs?: number;
  compat: ValuesCompat;
  onEvent?: (line: string) => void;
}

export async function upgrade(
  api: ObjectReader & ObjectWriter,
  target: Plan,
  o: UpgradeOptions,
): Promise<UpgradeReport> {
  const ns = target.cilium.namespace;
  const say = o.onEvent ?? (() => {});
  const report: UpgradeReport = {
    from: o.from,
    to: o.to,
    dryRun: o.dryRun,
    compat: o.compat,
    cloud: { status: 'skipped', detail: '' },
    groups: [],
    ok: false,
  };
  const cloudRef = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: CHART_NAMES.agentDaemonSet, namespace: ns };

  // 1. The cloud release.
  let previousRevision: number | undefined;
  if (!o.helm) {
    report.cloud = {
      status: 'skipped',
      detail: '--skip-helm: the Cilium release is managed elsewhere; edge DaemonSets follow the live cilium DaemonSet',
    };
  } else {
    const { release } = target.cilium;
    const st = await o.helm.status(release, ns);
    previousRevision = st?.revision;
    if (o.dryRun) {
      report.cloud = {
        status: 'would-upgrade',
        detail: `helm upgrade ${release} ${o.chart} --version ${o.to} (revision ${st?.revision ?? 'none'} now)`,
      };
    } else {
      say(`upgrading release ${ns}/${release} to ${o.to}`);
      try {
        await o.helm.upgradeInstall({
          release,
          chart: o.chart,
          version: o.to,
          namespace: ns,
          values: target.values,
          wait: false,
          timeout: `${Math.ceil(o.gateTimeoutMs / 1000)}s`,
        });
      } catch (e) {
        report.cloud = { status: 'failed', detail: (e as Error).message };
        return report;
      }
      const gate = await waitGate(api, cloudRef, o.gateTimeoutMs, o.pollMs);
      if (!gate.ok) {
        let detail = `cloud agents: ${gate.reason}`;
        if (o.autoRollback && previousRevision !== undefined) {
          await o.helm.rollback(release, ns, previousRevision);
          detail += `; release rolled back to revision ${previousRevision}`;
          report.cloud = { status: 'rolled-back', detail, gate };
        } else report.cloud = { status: 'failed', detail, gate };
        return report;
      }
      report.cloud = { status: 'upgraded', detail: `release at ${o.to}; cloud agents ${gate.reason}`, gate };
    }
  }

  // 2. Edge groups, canary first.
  const order = [...target.groups].sort((a, b) => Number(b.name === o.canary) - Number(a.name === o.canary));
  let stopped = '';
  /** Groups already upgraded in this run, with the DaemonSet each had: --auto-rollback restores them too. */
  const upgraded: Array<{ outcome: GroupOutcome; previous: Obj }> = [];
  for (const g of order) {
    const t0 = Date.now();
    const ref = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: g.daemonSet, namespace: ns };
    const outcome = (status: GroupStatus, detail: string, gate?: GateResult): GroupOutcome => ({
      group: g.name,
      daemonSet: g.daemonSet,
      status,
      detail,
      ...(gate ? { gate } : {}),
      ms: Date.now() - t0,
    });
    if (stopped) {
      report.groups.push(outcome('skipped', `not attempted: ${stopped}`));
      continue;
    }
    try {
      const cloud = await api.get(cloudRef);
      if (!cloud) throw new Error(`DaemonSet ${ns}/${CHART_NAMES.agentDaemonSet} not found`);
      const desired = edgeDaemonSet(cloud, g.agentPatch) as Obj;
      const current = await api.get(ref);
      const planned = await api.apply(desired, { dryRun: true });
      if (current && comparable(planned) === comparable(current)) {
        report.groups.push(outcome('unchanged', 'already at the target'));
        continue;
      }
      if (o.dryRun) {
        report.groups.push(
          outcome('would-upgrade', current ? 'its DaemonSet changes' : 'its DaemonSet would be created'),
        );
        continue;
      }
      const online = await onlineNodes(api, g.nodeSelector);
      if (current && online === 0) {
        if (g.name === o.canary) {
          // A canary that cannot run proves nothing: the other groups wait for it.
          report.groups.push(
            outcome(
              'skipped',
              `canary: every node is offline (autonomous), so the new version was not proven on it; run again when the site reconnects${JUST_BACK}, or choose another --canary`,
            ),
          );
          stopped = `canary group ${g.name} is offline`;
          continue;
        }
        report.groups.push(
          outcome('skipped', `every node is offline (autonomous); upgrade it when the site reconnects${JUST_BACK}`),
        );
        continue;
      }
      say(`upgrading edge group ${g.name}${g.name === o.canary ? ' (canary)' : ''}`);
      await api.apply(desired);
      const gate = await waitGate(api, ref, o.gateTimeoutMs, o.pollMs);
      if (gate.ok) {
        const done = outcome('upgraded', gate.reason, gate);
        report.groups.push(done);
        if (current) upgraded.push({ outcome: done, previous: snapshot(current) });
        continue;
      }
      // Roll this group back to the DaemonSet it had.
      let detail = gate.reason;
      if (current) {
        await restoreDaemonSet(api, ref, snapshot(current));
        detail += '; DaemonSet restored to its previous spec';
      } else {
        await api.delete(ref);
        detail += '; new DaemonSet removed';
      }
      if (o.autoRollback) {
        // The whole fleet goes back together: groups upgraded before this one as well.
        for (const u of upgraded) {
          const uref = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: u.outcome.daemonSet, namespace: ns };
          await restoreDaemonSet(api, uref, u.previous);
          u.outcome.status = 'rolled-back';
          u.outcome.detail += `; rolled back with the release after group ${g.name} failed`;
        }
      }
      if (o.autoRollback && o.helm && previousRevision !== undefined) {
        await o.helm.rollback(target.cilium.release, ns, previousRevision);
        report.cloud = {
          ...report.cloud,
          status: 'rolled-back',
          detail: `${report.cloud.detail}; rolled back to revision ${previousRevision} after group ${g.name} failed`,
        };
        detail += `; release rolled back to revision ${previousRevision}`;
      }
      report.groups.push(outcome('rolled-back', detail, gate));
      stopped = `group ${g.name} failed its gate`;
    } catch (e) {
      report.groups.push(outcome('failed', toApiError(e).message));
      stopped = `group ${g.name} failed`;
    }
  }
  report.ok = !stopped && !['failed', 'rolled-back'].includes(report.cloud.status);
  return report;
}

/** Nodes NotReady right after their site came back: kubeedge#4850. */
const JUST_BACK = ` (one that has just reconnected can stay NotReady about a minute more: ${KNOWN_ISSUES.leaseAfterReconnect.split(':')[0]})`;

async function onlineNodes(api: ObjectReader, selector: Record<string, string>): Promise<number> {
  const sel = [
    'node-role.kubernetes.io/edge',
    ...Object.entries(selector).map(([k, v]) => (v === '' ? k : `${k}=${v}`)),
  ].join(',');
  const nodes = await api.list('v1', 'Node', { labelSelector: sel });
  return nodes.filter((n) =>
    ((n['status'] as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []).some(
      (c) => c.type === 'Ready' && c.status === 'True',
    ),
  ).length;
}

/**
 * Puts a DaemonSet's previous spec back. The DaemonSet controller keeps writing its status while
 * a failed rollout settles, so the replace (with the live resourceVersion as precondition) can
 * meet a 409: read again and retry, as kubectl does for its read-modify-write edits.
 */
export async function restoreDaemonSet(api: ObjectReader & ObjectWriter, ref: ObjectRef, previous: Obj): Promise<void> {
  await withRetry(
    async () => {
      const live = await api.get(ref);
      await api.replace({
        ...previous,
        metadata: { ...previous.metadata, resourceVersion: live?.metadata?.resourceVersion },
      } as Obj);
    },
    { attempts: 6, baseMs: 50, retryable: isConflict },
  );
}
