// kec diagnose [-f SPEC] [--node-report [NODE=]FILE]... [-o json|yaml]: loaded lazily by the CLI.
import type { Io, OutputFormat } from '../../output/io.ts';
import type { ConnectOptions } from '../client.ts';
import type { ObjectReader, PodExec, PodLogs } from '../types.ts';
import { connectCluster, resolveTarget } from '../snapshot/target.ts';
import { collectDiagnose, readNodeReport } from './collect.ts';
import { renderDiagnose } from './render.ts';
import { runRules } from './diagnose-rules.ts';
import { emit } from '../../output/emit.ts';
import { UnreachableError } from '../../errors.ts';

export interface DiagnoseCommandOptions {
  file?: string;
  namespace?: string;
  format: OutputFormat;
  connect: ConnectOptions;
  nodeReports?: string[];
  exec?: boolean;
  logs?: boolean;
  cluster?: ObjectReader & PodLogs & PodExec;
}

export async function diagnoseCommand(io: Io, opts: DiagnoseCommandOptions): Promise<number> {
  const target = await resolveTarget(io, { file: opts.file, namespace: opts.namespace, connect: opts.connect });
  const nodeReports = await Promise.all((opts.nodeReports ?? []).map(readNodeReport));
  // Diagnose that could not look at the cluster found nothing: exit 2, not "no problems found".
  const cluster =
    opts.cluster ??
    (await connectCluster(opts.connect).catch((e: unknown) => {
      throw e instanceof UnreachableError
        ? new UnreachableError(`${e.message}; nothing was checked`, { exitCode: 2 })
        : e;
    }));
  const state = await collectDiagnose(cluster, {
    target,
    nodeReports,
    exec: opts.exec !== false,
    logs: opts.logs !== false,
  });
  const report = runRules(state);
  emit(io, opts.format, report, () => renderDiagnose(report, io.color));
  return report.ok ? 0 : 1;
}
