// kec entry point: command wiring only. Errors become exit codes here and nowhere
// else: 0 ok, 1 problems found, 2 usage or input error.
import { Command, CommanderError } from 'commander';
import type { Io } from './io.ts';
import { OutputError, outputOption, parseOutputs, processIo } from './io.ts';
import { KecError, UsageError } from '../errors.ts';
import { VERSION } from './version.ts';
import type { Registrar } from './commands/index.ts';
import { registrarsFor } from './commands/index.ts';

export function buildProgram(io: Io, setExit: (code: number) => void, registrars: Registrar[] = []): Command {
  const program = new Command('kec')
    .description('Run Cilium on KubeEdge edge nodes: spec → plan → node checks → cluster operations')
    .version(VERSION, '--version')
    .option('--no-color', 'disable colour (also: NO_COLOR=1)')
    .showHelpAfterError('(run kec help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();

  program.command('plan')
    .description('Turn an EdgeNetwork spec into Helm values, edge DaemonSet patches, RBAC, cloudcore/edgecore patches and a runbook')
    .requiredOption('-f, --file <spec>', 'EdgeNetwork spec (YAML)')
    .addOption(outputOption(true))
    .option('--output-dir <dir>', 'directory to write (default ./kec-plan unless -o json|yaml)')
    .option('--cilium-manifest <file>', 'output of `helm template` for the Cilium chart: also write full edge DaemonSets')
    .option('--force', 'overwrite generated files that were edited since kec wrote them')
    .action(async (o: { file: string; output: string[]; outputDir?: string; ciliumManifest?: string; force?: boolean }) => {
      const out = parseOutputs(o.output, true);
      const dir = o.outputDir ?? out.dir;
      const { planCommand } = await import('./commands/plan.ts');
      setExit(await planCommand(io, {
        file: o.file,
        format: out.format,
        ...(dir !== undefined ? { dir } : {}),
        ...(o.ciliumManifest !== undefined ? { ciliumManifest: o.ciliumManifest } : {}),
        force: o.force === true,
      }));
    });

  program.command('validate')
    .description('Validate an EdgeNetwork spec (exit 2 on errors)')
    .requiredOption('-f, --file <spec>', 'EdgeNetwork spec (YAML)')
    .addOption(outputOption(false))
    .action(async (o: { file: string; output: string[] }) => {
      const { validateCommand } = await import('./commands/validate.ts');
      setExit(await validateCommand(io, { file: o.file, format: parseOutputs(o.output, false).format }));
    });

  const spec = program.command('spec').description('The EdgeNetwork spec');
  spec.command('reference')
    .description('Print every spec field with its type, default and meaning (Markdown)')
    .addOption(outputOption(false))
    .action(async (o: { output: string[] }) => {
      const { specReferenceCommand } = await import('./commands/spec.ts');
      setExit(specReferenceCommand(io, parseOutputs(o.output, false).format));
    });

  program.command('version')
    .description('Print kec\'s version and the Cilium/KubeEdge versions it knows')
    .addOption(outputOption(false))
    .action(async (o: { output: string[] }) => {
      const { versionCommand } = await import('./commands/version.ts');
      setExit(versionCommand(io, parseOutputs(o.output, false).format));
    });

  for (const register of registrars) register(program, io, setExit);
  return program;
}

/** Runs kec with argv (without node and script) and returns the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => { code = c; }, await registrarsFor(argv));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    return handleError(e, io);
  }
}

function handleError(e: unknown, io: Io): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
    return 2; // commander printed the message already
  }
  if (e instanceof OutputError) e = new UsageError(e.message);
  if (e instanceof KecError) {
    io.err(io.color.red(`error: ${e.message}`));
    for (const d of e.details) io.err(`  ${d}`);
    return e.exitCode;
  }
  io.err(io.color.red(`error: ${(e as Error)?.message ?? String(e)}`));
  if (process.env['KEC_DEBUG']) io.err(String((e as Error)?.stack));
  else io.err('(this is a bug in kec; run with KEC_DEBUG=1 for details and report it)');
  return 1;
}

/** The process entry point (src/cli/launcher.ts calls it). */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const io = processIo(!argv.includes('--no-color'));
  process.exitCode = await run(argv, io);
}
