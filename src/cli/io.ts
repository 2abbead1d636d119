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

export function processIo(colorFlag?: boolean): Io {
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
    if (v === 'json' || v === 'yaml') format = v;
    else if (v === 'human' || v === 'text' || v === 'wide') format = 'human';
    else if (allowDir) dir = v;
    else throw new OutputError(v);
  }
  return dir === undefined ? { format } : { format, dir };
}

export class OutputError extends Error {
  constructor(readonly value: string) {
    super(`-o ${value}: unknown output format; use json or yaml`);
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
