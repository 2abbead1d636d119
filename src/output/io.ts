// The output sink every command writes to: stdout/stderr lines, colour, working directory.
// Domain code takes an Io; tests pass their own.
import type { Palette } from './color.ts';
import { colorEnabled, palette } from './color.ts';
import { terminalSafe } from './terminal.ts';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  color: Palette;
  cwd: string;
}

/** What data is printed as: kubectl's `-o json|yaml`, or kec's human-readable form. */
export type OutputFormat = 'human' | 'json' | 'yaml';

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
    out: (t) => void process.stdout.write(terminalSafe(t.endsWith('\n') ? t : `${t}\n`)),
    err: (t) => void process.stderr.write(terminalSafe(t.endsWith('\n') ? t : `${t}\n`)),
    color: palette(colorEnabled(process.stdout, process.env, colorFlag)),
    cwd: process.cwd(),
  };
}
