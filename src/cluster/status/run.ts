// kec status [-f SPEC] [--wait] [-o json|yaml]: loaded lazily by the CLI.
import type { Io, OutputFormat } from '../../output/io.ts';
import type { ConnectOptions } from '../client.ts';
import type { ObjectReader, PodExec } from '../types.ts';
import { collectState } from '../snapshot/collect.ts';
import { probeAgents } from './probe-agents.ts';
import { renderStatus } from './render.ts';
import type { StatusReport } from './report.ts';
import { buildStatusReport, DEFAULT_OFFLINE_GRACE_MS } from './report.ts';
import { connectCluster, resolveTarget } from '../snapshot/target.ts';
import { durationFlag } from '../../util/duration.ts';
import { emit } from '../../output/emit.ts';

export interface StatusCommandOptions {
  file?: string;
  namespace?: string;
  format: OutputFormat;
  connect: ConnectOptions;
  wait?: boolean;
  /** --wait-timeout, e.g. "5m". */
  waitTimeout?: string;
  /** --offline-grace, e.g. "1h". */
  offlineGrace?: string;
  /** false: do not exec cilium-dbg status in agents. */
  exec?: boolean;
  /** Tests inject a cluster (or a slice of one). */
  cluster?: ObjectReader & PodExec;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export async function statusReport(
  cluster: ObjectReader & PodExec,
  o: {
    namespace: string;
    groups?: Parameters<typeof collectState>[1]['groups'];
    offlineGraceMs: number;
    exec: boolean;
    now: () => number;
  },
): Promise<StatusReport> {
  const state = await collectState(cluster, {
    namespace: o.namespace,
    ...(o.groups ? { groups: o.groups } : {}),
    now: o.now,
  });
  const first = buildStatusReport(state, { now: o.now(), offlineGraceMs: o.offlineGraceMs });
  if (!o.exec) return first;
  const probes = await probeAgents(cluster, o.namespace, first);
  return buildStatusReport(state, { now: o.now(), offlineGraceMs: o.offlineGraceMs, probes });
}

function rolledOut(r: StatusReport): boolean {
  const ws = [r.cloud.agents, r.cloud.operator, ...r.groups.map((g) => g.daemonSet)];
  return r.ok && ws.every((w) => !w.present || w.updated >= w.desired);
}

export async function statusCommand(io: Io, opts: StatusCommandOptions): Promise<number> {
  const target = await resolveTarget(io, { file: opts.file, namespace: opts.namespace, connect: opts.connect });
  const offlineGraceMs =
    opts.offlineGrace !== undefined
      ? durationFlag('--offline-grace', opts.offlineGrace, { allowZero: true })
      : DEFAULT_OFFLINE_GRACE_MS;
  const waitMs = opts.waitTimeout !== undefined ? durationFlag('--wait-timeout', opts.waitTimeout) : 5 * 60_000;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const cluster = opts.cluster ?? (await connectCluster(opts.connect));
  const run = (): Promise<StatusReport> =>
    statusReport(cluster, {
      namespace: target.namespace,
      ...(target.groups ? { groups: target.groups } : {}),
      offlineGraceMs,
      exec: opts.exec !== false,
      now,
    });
  let report = await run();
  if (opts.wait) {
    const deadline = now() + waitMs;
    while (!rolledOut(report) && now() < deadline) {
      io.err(
        io.color.dim(
          `waiting: ${report.failures[0] ?? 'rollout in progress'}${report.failures.length > 1 ? ` (+${report.failures.length - 1} more)` : ''}`,
        ),
      );
      await sleep(2000);
      report = await run();
    }
    if (!rolledOut(report) && report.ok)
      report.failures.push(`timed out after ${Math.round(waitMs / 1000)}s waiting for the rollout`);
    if (report.failures.length) report.ok = false;
  }
  emit(io, opts.format, report, () => renderStatus(report, io.color));
  return report.ok ? 0 : 1;
}
