import type { Diagnostic } from '../diagnostics.ts';
import { formatDiagnostic } from '../diagnostics.ts';
import type { Io } from './io.ts';

export function printDiagnostics(io: Io, file: string, errors: Diagnostic[], warnings: Diagnostic[]): void {
  const byLine = (a: Diagnostic, b: Diagnostic): number =>
    (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
  for (const w of [...warnings].sort(byLine)) io.err(io.color.yellow(formatDiagnostic(w, file)));
  for (const e of [...errors].sort(byLine)) io.err(io.color.red(formatDiagnostic(e, file)));
}
