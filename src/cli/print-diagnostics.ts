import type { Diagnostic } from '../spec/diagnostics.ts';
import { formatDiagnostic } from '../spec/diagnostics.ts';
import type { Io } from './io.ts';

export function printDiagnostics(io: Io, file: string, errors: Diagnostic[], warnings: Diagnostic[]): void {
  for (const w of warnings) io.err(io.color.yellow(formatDiagnostic(w, file)));
  for (const e of errors) io.err(io.color.red(formatDiagnostic(e, file)));
}
