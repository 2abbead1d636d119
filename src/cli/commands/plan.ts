// kec plan -f SPEC [-o DIR] [-o json|yaml] [--cilium-manifest FILE]
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import type { Io, OutputFormat } from '../io.ts';
import { loadSpec } from '../../spec/load.ts';
import { buildPlan, findCiliumDaemonSet } from '../../plan/plan.ts';
import type { Plan } from '../../plan/plan.ts';
import { PLAN_FILE, renderPlan } from '../../plan/render.ts';
import { writeGeneratedDir } from '../../output/write-dir.ts';
import { printDiagnostics } from '../print-diagnostics.ts';
import { CheckFailedError, InputError } from '../../errors.ts';
import { table } from '../../output/table.ts';
import { toYaml } from '../../output/yaml.ts';
import { formatBytes } from '../../util/quantity.ts';

export interface PlanCommandOptions {
  file: string;
  format: OutputFormat;
  /** Directory to write; undefined with a data format means stdout only. */
  dir?: string;
  ciliumManifest?: string;
  /** Overwrite generated files the user edited since. */
  force?: boolean;
}

export const DEFAULT_PLAN_DIR = 'kec-plan';

async function readManifest(file: string): Promise<Array<Record<string, unknown>>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read --cilium-manifest ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const docs = parseAllDocuments(text);
  const bad = docs.flatMap((d) => d.errors);
  if (bad.length) throw new InputError(`--cilium-manifest ${file} is not valid YAML: ${bad[0]!.message.split('\n')[0]}`);
  const objects = docs.map((d) => d.toJS() as unknown).filter((o): o is Record<string, unknown> => o !== null && typeof o === 'object' && !Array.isArray(o));
  if (!findCiliumDaemonSet(objects)) {
    throw new InputError(`--cilium-manifest ${file} has no DaemonSet named cilium; pass the output of helm template for the Cilium chart`);
  }
  return objects;
}

export async function planCommand(io: Io, opts: PlanCommandOptions): Promise<number> {
  const spec = await loadSpec(opts.file);
  if (spec.errors.length > 0 || !spec.value) {
    if (opts.format !== 'human') io.out(serialize(opts.format, { file: opts.file, errors: spec.errors, warnings: spec.warnings }));
    else printDiagnostics(io, opts.file, spec.errors, spec.warnings);
    throw new InputError(`${opts.file}: ${spec.errors.length} error${spec.errors.length === 1 ? '' : 's'}; no plan written`);
  }
  const manifest = opts.ciliumManifest ? await readManifest(opts.ciliumManifest) : undefined;
  const plan = buildPlan(spec.value, manifest ? { ciliumManifest: manifest } : {});
  plan.warnings.unshift(...spec.warnings);

  if (plan.errors.length > 0) {
    if (opts.format !== 'human') io.out(serialize(opts.format, plan));
    else {
      io.out(summary(io, plan));
      printDiagnostics(io, opts.file, plan.errors, []);
    }
    throw new CheckFailedError(`the plan for ${opts.file} does not fit: ${plan.errors.length} problem${plan.errors.length === 1 ? '' : 's'}; no files written`);
  }

  const files = renderPlan(plan);
  const dir = opts.dir ?? (opts.format === 'human' ? DEFAULT_PLAN_DIR : undefined);
  if (dir !== undefined) await writeGeneratedDir(dir, files, PLAN_FILE, { force: opts.force === true });
  if (opts.format !== 'human') {
    io.out(opts.format === 'json' ? files.get(PLAN_FILE)! : toYaml(JSON.parse(files.get(PLAN_FILE)!)));
    return 0;
  }
  io.out(summary(io, plan));
  if (plan.warnings.length) {
    io.out(`\n${io.color.yellow('Warnings:')}`);
    for (const w of plan.warnings) io.out(`  ${w.path}: ${w.message}`);
  }
  io.out(`\nWrote ${files.size} files to ${dir}/ — follow ${dir}/RUNBOOK.md (${plan.runbook.length} steps).`);
  return 0;
}

function serialize(format: OutputFormat, data: unknown): string {
  return format === 'yaml' ? toYaml(data) : JSON.stringify(data, null, 2);
}

function summary(io: Io, plan: Plan): string {
  const c = io.color;
  const rows = plan.groups.map((g) => [
    g.name,
    String(g.nodes),
    g.arch,
    g.kernel ?? '-',
    `${g.mtu.pod} (${g.mtu.link}-${g.mtu.overhead})`,
    `${g.memory.maps.ctTcp}/${g.memory.maps.ctAny}`,
    String(g.memory.maps.nat),
    g.memory.withinBudget ? formatBytes(g.memory.estimateBytes) : c.red(formatBytes(g.memory.estimateBytes)),
    formatBytes(g.memory.budgetBytes),
  ]);
  return [
    `${c.bold('Plan')} ${plan.name}: Cilium ${plan.cilium.version} (chart keys ${plan.cilium.chartKeysFrom}), KubeEdge ${plan.kubeedge.version}, ${plan.groups.length} edge group${plan.groups.length === 1 ? '' : 's'}`,
    '',
    table(['GROUP', 'NODES', 'ARCH', 'KERNEL', 'POD MTU', 'CT TCP/ANY', 'NAT', 'AGENT MEM', 'BUDGET'], rows),
    '',
    c.bold('Decisions:'),
    ...plan.decisions.map((d) => `  - ${d.title}`),
  ].join('\n');
}
