// kec diagnose [-f SPEC] [--node-report [NODE=]FILE]... [-o json|yaml]: loaded lazily by the CLI.
import type { Io, OutputFormat } from '../../output/io.ts';
import type { ConnectOptions } from '../client.ts';
import type { ObjectReader, PodExec, PodLogs } from '../types.ts';
import { connectCluster, resolveTarget } from '../snapshot/target.ts';
import { collectDiagnose, readNodeReport } from './collect.ts';
import { renderDiagnose } from './render.ts';
import { runRules } from './diagnose-rules.ts';
import { emit } from '../../output/emit.ts';

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
  const cluster = opts.cluster ?? (await connectCluster(opts.connect));
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
