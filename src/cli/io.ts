// What a command needs from its environment: output streams, colour, working directory.
// Tests pass their own.
import { Option } from 'commander';
import type { Palette } from '../output/color.ts';
import { colorEnabled, palette } from '../output/color.ts';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  color: Palette;
  cwd: string;
}

let pipeHandled = false;

/** A reader that stops early (`kec … | head`) closes the pipe: that ends kec quietly, like other CLIs. */
function exitOnClosedPipe(): void {
  if (pipeHandled) return;
  pipeHandled = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
}

export function processIo(colorFlag?: boolean): Io {
  exitOnClosedPipe();
  return {
    out: (t) => void process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => void process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
    color: palette(colorEnabled(process.stdout, process.env, colorFlag)),
    cwd: process.cwd(),
  };
}

/** Output mode of `-o`: a data format, or (for commands that write files) a directory. */
export type OutputFormat = 'human' | 'json' | 'yaml';

export function parseOutputs(values: string[], allowDir: boolean): { format: OutputFormat; dir?: string } {
  let format: OutputFormat = 'human';
  let dir: string | undefined;
  for (const v of values) {
    const word = v.toLowerCase();
    if (word === 'json') format = 'json';
    else if (word === 'yaml' || word === 'yml') format = 'yaml';
    else if (word === 'human' || word === 'text' || word === 'wide') format = 'human';
    else if (allowDir) {
      if (dir !== undefined && dir !== v) throw new OutputError(v, `-o ${v}: a second output directory (first: ${dir})`);
      dir = v;
    } else throw new OutputError(v);
  }
  return dir === undefined ? { format } : { format, dir };
}

export class OutputError extends Error {
  constructor(readonly value: string, message = `-o ${value}: unknown output format; use json or yaml`) {
    super(message);
  }
}

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The `-o, --output` option every data-printing command has. */
export const outputOption = (allowDir: boolean): Option =>
  new Option('-o, --output <format>', allowDir ? 'json or yaml for data on stdout, or a directory to write (repeatable)' : 'json or yaml')
    .argParser(collect).default([] as string[], 'human-readable');
