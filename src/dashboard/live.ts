// Live mode: the fleet re-read from the cluster every few seconds (kec status's collection and
// report, without exec) and pushed to browsers; diagnose on demand, cached. Read-only by
// construction: the cluster handed in can only get, list and read logs.
import type { ObjectReader, PodExec, PodLogs } from '../cluster/types.ts';
import { collectState } from '../cluster/snapshot/collect.ts';
import type { ClusterState } from '../cluster/snapshot/state.ts';
import type { Target } from '../cluster/snapshot/target.ts';
import type { StatusReport } from '../cluster/status/report.ts';
import { buildStatusReport } from '../cluster/status/report.ts';
import type { DiagnoseReport } from '../cluster/diagnose/diagnose-rules.ts';
import type { NodeRow } from './types.ts';
import { nodeRows } from './fleet-view.ts';
import { cachedAsync } from '../util/cached.ts';

export type ReadOnlyCluster = ObjectReader & PodLogs;

/** Only the reading half of a cluster: get, list, logs. Exec (a POST) is refused. */
export function readOnly(c: ReadOnlyCluster): ObjectReader & PodLogs & PodExec {
  return {
    get: (ref) => c.get(ref),
    list: (apiVersion, kind, opts) => c.list(apiVersion, kind, opts),
    logs: (ns, pod, container, opts) => c.logs(ns, pod, container, opts),
    exec: () => Promise.reject(new Error('the dashboard is read-only: it does not exec in pods')),
  };
}

export interface FleetSnapshot {
  report: StatusReport;
  state: ClusterState;
  rows: Map<string, NodeRow[]>;
}

export interface LiveOptions {
  target: Target;
  offlineGraceMs: number;
  intervalMs: number;
  now?: () => number;
  /** Called after every refresh (the server publishes it). */
  onUpdate: (s: FleetSnapshot) => void;
  onError?: (e: unknown) => void;
}

export class LiveFleet {
  private last: FleetSnapshot | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly cluster: ReturnType<typeof readOnly>,
    private readonly o: LiveOptions,
  ) {}

  current(): FleetSnapshot | undefined {
    return this.last;
  }

  /** Reads the cluster once (concurrent calls share one read). */
  refresh(): Promise<void> {
    this.running ??= this.read().finally(() => (this.running = undefined));
    return this.running;
  }

  private async read(): Promise<void> {
    const now = this.o.now ?? Date.now;
    const state = await collectState(this.cluster, {
      namespace: this.o.target.namespace,
      ...(this.o.target.groups ? { groups: this.o.target.groups } : {}),
      now,
    });
    const report = buildStatusReport(state, { now: now(), offlineGraceMs: this.o.offlineGraceMs });
    this.last = { report, state, rows: nodeRows(report, state) };
    if (!this.stopped) this.o.onUpdate(this.last);
  }

  /** First read, then one every intervalMs (each after the previous one ended). */
  async start(): Promise<void> {
    await this.refresh();
    const tick = (): void => {
      this.timer = setTimeout(() => {
        this.refresh()
          .catch((e: unknown) => this.o.onError?.(e))
          .finally(() => {
            if (!this.stopped) tick();
          });
      }, this.o.intervalMs);
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }
}

/** kec diagnose's rules on demand, at most one run per maxAgeMs. */
export function cachedDiagnose(
  cluster: ReturnType<typeof readOnly>,
  target: Target,
  maxAgeMs: number,
  now: () => number = Date.now,
): () => Promise<{ report: DiagnoseReport; at: string }> {
  return cachedAsync(
    async () => {
      const { collectDiagnose } = await import('../cluster/diagnose/collect.ts');
      const { runRules } = await import('../cluster/diagnose/diagnose-rules.ts');
      const state = await collectDiagnose(cluster, { target, nodeReports: [], exec: false, logs: true, now });
      return { report: runRules(state), at: new Date(now()).toISOString() };
    },
    maxAgeMs,
    now,
  );
}
