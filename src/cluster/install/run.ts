// CLI glue for kec install / kec uninstall (loaded lazily: it pulls in the Kubernetes client).
import type { Io, OutputFormat } from '../../output/io.ts';
import { connectChecked } from '../client.ts';
import { retrying } from '../retry.ts';
import { ApiError } from '../errors.ts';
import type { ConnectOptions } from '../client.ts';
import { loadSpecOrFail } from '../../edgenetwork/load.ts';
import { buildPlan } from '../../plan/plan.ts';
import { printDiagnostics } from '../../output/diagnostics.ts';
import { CheckFailedError } from '../../errors.ts';
import { VERSION } from '../../version.ts';
import { helmCli } from './helm.ts';
import { install } from './install.ts';
import type { InstallReport } from './install.ts';
import { uninstall } from './uninstall.ts';
import type { UninstallReport } from './uninstall.ts';
import type { StepResult } from './apply.ts';
import { emit } from '../../output/emit.ts';
import type { Check } from '../../check.ts';

export interface InstallCommandOptions {
  file: string;
  format: OutputFormat;
  connect: ConnectOptions;
  helm: string;
  skipHelm: boolean;
  chart?: string;
  chartVersion?: string;
  dryRun: boolean;
  wait: boolean;
  timeoutSeconds: number;
}

function checkLine(io: Io, c: Check): string {
  const mark =
    c.status === 'pass' ? io.color.green('✓') : c.status === 'warn' ? io.color.yellow('!') : io.color.red('✗');
  return `  ${mark} ${c.id}: ${c.message}`;
}

export function stepLine(io: Io, s: StepResult): string {
  const colour =
    s.status === 'failed'
      ? io.color.red
      : s.status === 'unchanged' || s.status === 'skipped'
        ? io.color.dim
        : s.status.startsWith('would')
          ? io.color.yellow
          : io.color.green;
  const lines = [`  ${colour(s.status.padEnd(12))} ${s.object ?? s.id}${s.detail ? ` — ${s.detail}` : ''}`];
  if (s.diff)
    lines.push(
      ...s.diff
        .trimEnd()
        .split('\n')
        .map((l) => `      ${l}`),
    );
  return lines.join('\n');
}

export async function installCommand(io: Io, o: InstallCommandOptions): Promise<number> {
  const spec = await loadSpecOrFail(io, o.file, 'nothing installed');
  const network = spec.value;
  const plan = buildPlan(network);
  if (plan.errors.length) {
    printDiagnostics(io, o.file, plan.errors, []);
    throw new CheckFailedError(`the plan for ${o.file} does not fit; nothing installed`);
  }
  const human = o.format === 'human';
  const onRetry = (n: number, e: unknown): void => {
    if (human) io.err(io.color.dim(`  retrying (${n}) after: ${(e as Error).message}`));
  };
  const api = retrying(await connectChecked(o.connect), { onRetry });
  if (human)
    io.out(
      `${io.color.bold(o.dryRun ? 'kec install (dry run)' : 'kec install')} ${spec.value.metadata.name} → ${api.context} (${api.server})`,
    );
  const helmOpts = {
    bin: o.helm,
    ...(o.connect.kubeconfig ? { kubeconfig: o.connect.kubeconfig } : {}),
    ...(o.connect.context ? { context: o.connect.context } : {}),
  };
  const report: InstallReport = await apiErrors(() =>
    install(api, network, plan, {
      dryRun: o.dryRun,
      ...(o.skipHelm ? {} : { helm: helmCli(helmOpts) }),
      chart: o.chart ?? network.spec.cilium.chart,
      chartVersion: o.chartVersion ?? network.spec.cilium.version,
      wait: o.wait,
      waitTimeoutMs: o.timeoutSeconds * 1000,
      kecVersion: VERSION,
      specName: network.metadata.name,
      retry: { onRetry },
      ...(human
        ? {
            onChecks: (cs: Check[]) => {
              io.out(io.color.bold('Checks:'));
              for (const c of cs) io.out(checkLine(io, c));
            },
            onStep: (s: StepResult) => io.out(stepLine(io, s)),
          }
        : {}),
    }),
  );
  if (!human) {
    emit(io, o.format, report);
    return report.ok ? 0 : 1;
  }
  if (!report.ok) {
    io.err(
      io.color.red(
        report.checks.some((c) => c.status === 'fail')
          ? 'kec install stopped before changing anything: a check failed'
          : 'kec install failed; kec-state records what was changed (kec uninstall undoes it)',
      ),
    );
    return 1;
  }
  io.out(
    report.changed === 0
      ? io.color.green('No changes: the cluster already matches the plan.')
      : `${report.changed} ${o.dryRun ? 'change(s) would be made' : 'change(s) made'}.`,
  );
  return 0;
}

export interface UninstallCommandOptions {
  namespace: string;
  format: OutputFormat;
  connect: ConnectOptions;
  helm: string;
  skipHelm: boolean;
  dryRun: boolean;
  /** --wait --timeout: how long to wait for the undo to take effect (ms). */
  waitMs?: number | undefined;
}

export async function uninstallCommand(io: Io, o: UninstallCommandOptions): Promise<number> {
  const human = o.format === 'human';
  const api = retrying(await connectChecked(o.connect), {
    onRetry: (n, e) => {
      if (human) io.err(io.color.dim(`  retrying (${n}) after: ${(e as Error).message}`));
    },
  });
  const helmOpts = {
    bin: o.helm,
    ...(o.connect.kubeconfig ? { kubeconfig: o.connect.kubeconfig } : {}),
    ...(o.connect.context ? { context: o.connect.context } : {}),
  };
  if (human)
    io.out(`${io.color.bold(o.dryRun ? 'kec uninstall (dry run)' : 'kec uninstall')} → ${api.context} (${api.server})`);
  const report: UninstallReport = await apiErrors(() =>
    uninstall(api, {
      namespace: o.namespace,
      dryRun: o.dryRun,
      ...(o.waitMs !== undefined ? { waitMs: o.waitMs } : {}),
      ...(o.skipHelm ? {} : { helm: helmCli(helmOpts) }),
      ...(human ? { onStep: (s: StepResult) => io.out(stepLine(io, s)) } : {}),
    }),
  );
  if (!human) {
    emit(io, o.format, report);
    return report.ok ? 0 : 1;
  }
  if (!report.found) io.out(`Nothing to undo: no kec-state in ${o.namespace}.`);
  else if (!report.ok) io.err(io.color.red('kec uninstall did not finish; kec-state is kept, run it again'));
  else
    io.out(
      io.color.green(
        o.dryRun
          ? 'Dry run: the steps above would restore the cluster.'
          : 'Restored the cluster to its state before kec install.',
      ),
    );
  return report.ok ? 0 : 1;
}

/** API failures that escape a step (after retries) end the command with exit 1 and the API's message. */
async function apiErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ApiError)
      throw new CheckFailedError(`API request failed${e.status ? ` (HTTP ${e.status})` : ''}: ${e.message}`);
    throw e;
  }
}
