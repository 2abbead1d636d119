// Entry points used by the CLI: load policies strictly (errors → InputError) or for checking.
import { InputError } from '../errors.ts';
import { formatDiagnostic } from '../diagnostics.ts';
import { loadPaths } from './load.ts';
import type { ParsedPolicies } from './parse.ts';
import { parsePolicyObjects } from './parse.ts';

export async function checkPolicies(paths: string[]): Promise<ParsedPolicies & { files: string[] }> {
  const loaded = await loadPaths(paths);
  return { ...parsePolicyObjects(loaded), files: loaded.files };
}

/** For trace/matrix/diff: a policy with errors is bad input (exit 2). */
export async function loadPolicies(paths: string[], what = 'policies'): Promise<ParsedPolicies> {
  const p = await checkPolicies(paths);
  if (p.errors.length > 0) {
    throw new InputError(
      `${what}: ${p.errors.length} validation error${p.errors.length === 1 ? '' : 's'} (run kec policy check)`,
      p.errors.map((d) => formatDiagnostic(d, d.file)),
    );
  }
  return p;
}
