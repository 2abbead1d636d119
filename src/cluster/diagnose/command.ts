// kec diagnose [-f SPEC] [--node-report [NODE=]FILE]... [-o json|yaml]: loaded lazily by the CLI.
import type { Io, OutputFormat } from '../../cli/io.ts';
import type { ConnectOptions } from '../client.ts';
import type { ObjectReader, PodExec, PodLogs } from '../types.ts';
import { toYaml } from '../../output/yaml.ts';
import { connectCluster, resolveTarget } from '../status/target.ts';
import { collectDiagnose, readNodeReport } from './collect.ts';
import { renderDiagnose } from './render.ts';
import { runRules } from './rules.ts';

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
  const target = await resolveTarget({ ...(opts.file !== undefined ? { file: opts.file } : {}), ...(opts.namespace !== undefined ? { namespace: opts.namespace } : {}), connect: opts.connect });
  const nodeReports = await Promise.all((opts.nodeReports ?? []).map(readNodeReport));
  const cluster = opts.cluster ?? await connectCluster(opts.connect);
  const state = await collectDiagnose(cluster, { target, nodeReports, exec: opts.exec !== false, logs: opts.logs !== false });
  const report = runRules(state);
  if (opts.format === 'json') io.out(JSON.stringify(report, null, 2));
  else if (opts.format === 'yaml') io.out(toYaml(report));
  else io.out(renderDiagnose(report, io.color));
  return report.ok ? 0 : 1;
}
