// kec plan -f SPEC [-o DIR] [-o json|yaml] [--cilium-manifest FILE]: spec → plan → files.
import { INPUT_LIMITS, readBoundedText } from '../../util/input.ts';
import type { Registrar } from './index.ts';
import { outputOption, parseOutputs } from './flags.ts';
import type { Io, OutputFormat } from '../../output/io.ts';
import { serialize } from '../../output/emit.ts';
import { printDiagnostics } from '../../output/diagnostics.ts';
import { writeGeneratedDir } from '../../output/write-dir.ts';
import { loadSpec, specOrFail } from '../../edgenetwork/load.ts';
import { buildPlan } from '../../plan/plan.ts';
import { parseCiliumManifest } from '../../plan/cilium-manifest.ts';
import { PLAN_FILE, renderPlan } from '../../plan/render.ts';
import { planSummary } from '../../plan/summary.ts';
import { RUNBOOK_WORK_DIR } from '../../plan/runbook.ts';
import { CheckFailedError, InputError } from '../../errors.ts';

export interface PlanCommandOptions {
  file: string;
  format: OutputFormat;
  /** Directory to write; undefined with a data format means stdout only. */
  dir?: string | undefined;
  ciliumManifest?: string | undefined;
  /** Overwrite generated files the user edited since. */
  force?: boolean;
}

export const DEFAULT_PLAN_DIR = 'kec-plan';

async function readManifest(file: string): Promise<Array<Record<string, unknown>>> {
  let text: string;
  try {
    text = await readBoundedText(file, '--cilium-manifest', INPUT_LIMITS.manifest);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(
      `cannot read --cilium-manifest ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
  return parseCiliumManifest(text, file);
}

export async function planCommand(io: Io, opts: PlanCommandOptions): Promise<number> {
  const loaded = await loadSpec(opts.file);
  // With -o json|yaml the diagnostics are data on stdout too.
  if (opts.format !== 'human' && loaded.errors.length > 0)
    io.out(serialize(opts.format, { file: opts.file, errors: loaded.errors, warnings: loaded.warnings }));
  const spec = specOrFail(opts.format === 'human' ? io : { ...io, err: () => undefined }, loaded, 'no plan written');
  const manifest = opts.ciliumManifest ? await readManifest(opts.ciliumManifest) : undefined;
  const plan = buildPlan(spec.value, manifest ? { ciliumManifest: manifest } : {});
  plan.warnings.unshift(...spec.warnings);

  if (plan.errors.length > 0) {
    if (opts.format !== 'human') io.out(serialize(opts.format, plan));
    else {
      io.out(planSummary(plan, io.color));
      printDiagnostics(
        io,
        opts.file,
        plan.errors.map((d) => loaded.locate?.(d) ?? d),
        [],
      );
    }
    throw new CheckFailedError(
      `the plan for ${opts.file} does not fit: ${plan.errors.length} problem${plan.errors.length === 1 ? '' : 's'}; no files written`,
    );
  }

  const files = renderPlan(plan);
  const dir = opts.dir ?? (opts.format === 'human' ? DEFAULT_PLAN_DIR : undefined);
  if (dir !== undefined)
    await writeGeneratedDir(dir, files, PLAN_FILE, { force: opts.force === true, scratch: RUNBOOK_WORK_DIR });
  if (opts.format !== 'human') {
    io.out(opts.format === 'json' ? files.get(PLAN_FILE)! : serialize('yaml', JSON.parse(files.get(PLAN_FILE)!)));
    return 0;
  }
  io.out(planSummary(plan, io.color));
  if (plan.warnings.length) {
    io.out(`\n${io.color.yellow('Warnings:')}`);
    for (const w of plan.warnings) io.out(`  ${w.path}: ${w.message}`);
  }
  io.out(`\nWrote ${files.size} files to ${dir}/ — follow ${dir}/RUNBOOK.md (${plan.runbook.length} steps).`);
  return 0;
}

export const registerPlan: Registrar = (program, io, setExit) => {
  program
    .command('plan')
    .description(
      'Turn an EdgeNetwork spec into Helm values, edge DaemonSet patches, RBAC, cloudcore/edgecore patches and a runbook',
    )
    .requiredOption('-f, --file <spec>', 'EdgeNetwork spec (YAML)')
    .addOption(outputOption())
    .option('-d, --output-dir <dir>', `directory to write (default ./${DEFAULT_PLAN_DIR} unless -o json|yaml)`)
    .option(
      '--cilium-manifest <file>',
      'output of `helm template` for the Cilium chart: also write full edge DaemonSets',
    )
    .option('--force', 'overwrite generated files that were edited since kec wrote them')
    .action(
      async (o: { file: string; output: string[]; outputDir?: string; ciliumManifest?: string; force?: boolean }) => {
        const format = parseOutputs(o.output, { dirFlag: '--output-dir/-d' });
        setExit(
          await planCommand(io, {
            file: o.file,
            format,
            dir: o.outputDir,
            ciliumManifest: o.ciliumManifest,
            force: o.force === true,
          }),
        );
      },
    );
};
