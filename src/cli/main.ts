// kec entry point: the program and its global flags; every command comes from
// src/cli/commands/. Errors become exit codes here and nowhere else: 0 ok, 1 problems
// found, 2 usage or input error.
import { Command, CommanderError } from 'commander';
import type { Option } from 'commander';
import type { Io } from '../output/io.ts';
import { processIo } from '../output/io.ts';
import { KecError } from '../errors.ts';
import { VERSION } from '../version.ts';
import type { Registrar } from './commands/index.ts';
import { registrarsFor } from './commands/index.ts';
import { splitShortOptionValues } from './commands/flags.ts';

export function buildProgram(io: Io, setExit: (code: number) => void, registrars: Registrar[] = []): Command {
  const program = new Command('kec')
    .description('Run Cilium on KubeEdge edge nodes: spec → plan → node checks → cluster operations')
    .version(VERSION, '--version')
    .option('--no-color', 'disable colour (also: NO_COLOR=1)')
    .showHelpAfterError('(run kec help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();
  for (const register of registrars) register(program, io, setExit);
  checkRequiredAfterUnknown(program);
  return program;
}

/**
 * Commander reports a missing required option before an unknown one, so `--fiel x` would say
 * "-f, --file not specified". Required options are checked after unknown ones instead (a
 * preAction hook runs after commander's unknown-option check), so the user sees
 * "unknown option '--fiel' (Did you mean --file?)".
 */
function checkRequiredAfterUnknown(program: Command): void {
  const required = new Map<Command, Option[]>();
  const walk = (cmd: Command): void => {
    const opts = cmd.options.filter((o) => o.mandatory);
    for (const o of opts) o.mandatory = false;
    if (opts.length > 0) required.set(cmd, opts);
    cmd.commands.forEach(walk);
  };
  walk(program);
  program.hook('preAction', (_root, action) => {
    for (const o of required.get(action) ?? []) {
      if (action.getOptionValue(o.attributeName()) === undefined)
        action.error(`error: required option '${o.flags}' not specified`, {
          exitCode: 2,
          code: 'commander.missingMandatoryOptionValue',
        });
    }
  });
}

/** `kec help node preflight` → `kec node preflight --help` (commander's help command takes one word). */
export function helpArgs(argv: readonly string[]): string[] {
  const i = argv.findIndex((a) => !a.startsWith('-'));
  if (i < 0 || argv[i] !== 'help' || argv.length <= i + 2) return [...argv];
  return [...argv.slice(0, i), ...argv.slice(i + 1), '--help'];
}

/** Runs kec with argv (without node and script) and returns the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  let code = 0;
  const args = helpArgs(splitShortOptionValues(argv));
  const program = buildProgram(
    io,
    (c) => {
      code = c;
    },
    await registrarsFor(args),
  );
  try {
    await program.parseAsync(args, { from: 'user' });
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
