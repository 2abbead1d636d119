// CLI glue for kec upgrade (loaded lazily).
import { parse } from 'yaml';
import type { Io, OutputFormat } from '../../output/io.ts';
import type { ConnectOptions } from '../client.ts';
import { connectChecked } from '../client.ts';
import { retrying } from '../retry.ts';
import { ApiError } from '../errors.ts';
import { parseSpec, readSpecFile, specOrFail } from '../../edgenetwork/load.ts';
import { validateSpec } from '../../edgenetwork/validate.ts';
import { buildPlan } from '../../plan/plan.ts';
import { printDiagnostics } from '../../output/diagnostics.ts';
import { CheckFailedError, InputError, UsageError } from '../../errors.ts';
import { table } from '../../output/table.ts';
import { helmCli } from '../install/helm.ts';
import { valuesCompatibility } from './values-compat.ts';
import { keyPathsOf } from '../../knowledge/chart-keys.ts';
import { upgrade } from './upgrade.ts';
import { checkUpgradePath } from './path.ts';
import type { UpgradeReport } from './upgrade.ts';
import { emit } from '../../output/emit.ts';

export interface UpgradeCommandOptions {
  file: string;
  to: string;
  canary?: string;
  autoRollback: boolean;
  allowRemovedValues: boolean;
  format: OutputFormat;
  connect: ConnectOptions;
  helm: string;
  skipHelm: boolean;
  chart?: string;
  dryRun: boolean;
  timeoutSeconds: number;
}

export async function upgradeCommand(io: Io, o: UpgradeCommandOptions): Promise<number> {
  const text = await readSpecFile(o.file);
  const current = specOrFail(io, parseSpec(text, o.file), 'nothing upgraded');
  // The same spec at the target version must be valid (kernels, features of that release).
  const raw = parse(text) as { spec: { cilium: { version: string } } };
  raw.spec.cilium.version = o.to;
  const target = validateSpec(raw);
  if (!target.value) {
    printDiagnostics(io, `${o.file} (with Cilium ${o.to})`, target.errors, []);
    throw new InputError(`the spec does not hold for Cilium ${o.to}; nothing upgraded`);
  }
  const plan = buildPlan(target.value);
  if (plan.errors.length) {
    printDiagnostics(io, `${o.file} (with Cilium ${o.to})`, plan.errors, []);
    throw new CheckFailedError(`the plan for Cilium ${o.to} does not fit; nothing upgraded`);
  }
  if (o.canary !== undefined && !plan.groups.some((g) => g.name === o.canary)) {
    throw new UsageError(
      `--canary ${o.canary}: no such edge group; groups: ${plan.groups.map((g) => g.name).join(', ')}`,
    );
  }
  const human = o.format === 'human';
  const api = retrying(await connectChecked(o.connect), {
    onRetry: (n, e) => {
      if (human) io.err(io.color.dim(`  retrying (${n}) after: ${(e as Error).message}`));
    },
  });
  const helm = o.skipHelm
    ? undefined
    : helmCli({
        bin: o.helm,
        ...(o.connect.kubeconfig ? { kubeconfig: o.connect.kubeconfig } : {}),
        ...(o.connect.context ? { context: o.connect.context } : {}),
      });

  try {
    const release = helm ? await helm.status(plan.cilium.release, plan.cilium.namespace) : undefined;
    const from = release?.chartVersion ?? current.value.spec.cilium.version;
    const deployed =
      helm && release ? await helm.values(plan.cilium.release, plan.cilium.namespace) : buildPlan(current.value).values;
    // The same refusals with and without --dry-run: a dry run shows what the real run would do.
    checkUpgradePath(from, o.to);
    const compat = valuesCompatibility(deployed, from, o.to);
    // Values deployed outside the spec are not sent again: the upgrade drops them.
    const planned = new Set(keyPathsOf(plan.values));
    const dropped = keyPathsOf(deployed).filter(
      (k) => !planned.has(k) && ![...planned].some((p) => k.startsWith(`${p}.`)),
    );
    if (human) {
      io.out(
        `${io.color.bold(o.dryRun ? 'kec upgrade (dry run)' : 'kec upgrade')} Cilium ${from} → ${o.to}${o.canary ? `, canary ${o.canary}` : ''} → ${api.context}`,
      );
      if (compat.unchecked) io.out(io.color.yellow(`  values not checked: kec has no chart key table for ${o.to}`));
      for (const r of compat.removed)
        io.out(
          io.color.yellow(
            `  value ${r.key} is not in the Cilium ${compat.toChart} chart${r.suggestion ? ` (now ${r.suggestion}?)` : ''}: Helm would ignore it`,
          ),
        );
      const removedKeys = new Set(compat.removed.map((r) => r.key));
      for (const k of dropped.filter((d) => ![...removedKeys].some((r) => d === r || d.startsWith(`${r}.`)))) {
        io.out(
          io.color.yellow(
            `  value ${k} is deployed but not in the spec: the upgrade does not carry it over (add it to spec.cilium.values to keep it)`,
          ),
        );
      }
    }
    if (compat.removed.length && !o.allowRemovedValues) {
      if (!human) emit(io, o.format, { from, to: o.to, compat, dropped, ok: false });
      throw new CheckFailedError(
        `${compat.removed.length} deployed value(s) do not exist in Cilium ${o.to}; update them (or pass --allow-removed-values); nothing upgraded`,
      );
    }
    const report: UpgradeReport = await upgrade(api, plan, {
      from,
      to: o.to,
      autoRollback: o.autoRollback,
      dryRun: o.dryRun,
      chart: o.chart ?? plan.cilium.chart,
      gateTimeoutMs: o.timeoutSeconds * 1000,
      compat,
      ...(o.canary !== undefined ? { canary: o.canary } : {}),
      ...(helm ? { helm } : {}),
      ...(human ? { onEvent: (l: string) => io.out(io.color.dim(`  ${l}`)) } : {}),
    });
    if (!human) {
      const data = { ...report, dropped };
      emit(io, o.format, data);
      return report.ok ? 0 : 1;
    }
    io.out(`  cloud release: ${report.cloud.status}${report.cloud.detail ? ` — ${report.cloud.detail}` : ''}`);
    io.out(
      table(
        ['GROUP', 'DAEMONSET', 'RESULT', 'TIME', 'DETAIL'],
        report.groups.map((g) => [
          g.group,
          g.daemonSet,
          g.status === 'upgraded' || g.status === 'unchanged'
            ? io.color.green(g.status)
            : g.status === 'skipped' || g.status === 'would-upgrade'
              ? io.color.yellow(g.status)
              : io.color.red(g.status),
          `${(g.ms / 1000).toFixed(1)}s`,
          g.detail,
        ]),
      ),
    );
    io.out(
      report.ok
        ? io.color.green(o.dryRun ? 'Dry run: nothing changed.' : `Upgraded to Cilium ${o.to}.`)
        : io.color.red('Upgrade stopped; see the groups above.'),
    );
    return report.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof ApiError)
      throw new CheckFailedError(`API request failed${e.status ? ` (HTTP ${e.status})` : ''}: ${e.message}`);
    throw e;
  }
}
