// kec validate -f SPEC: the spec pipeline alone.
import type { Io, OutputFormat } from '../io.ts';
import { loadSpec } from '../../spec/load.ts';
import { printDiagnostics } from '../print-diagnostics.ts';
import { InputError } from '../../errors.ts';
import { toYaml } from '../../output/yaml.ts';

export interface ValidateOptions {
  file: string;
  format: OutputFormat;
}

export async function validateCommand(io: Io, opts: ValidateOptions): Promise<number> {
  const spec = await loadSpec(opts.file);
  const ok = spec.errors.length === 0;
  if (opts.format !== 'human') {
    const data = { file: opts.file, valid: ok, errors: spec.errors, warnings: spec.warnings, ...(ok ? { spec: spec.value } : {}) };
    io.out(opts.format === 'json' ? JSON.stringify(data, null, 2) : toYaml(data));
    return ok ? 0 : 2;
  }
  printDiagnostics(io, opts.file, spec.errors, spec.warnings);
  if (!ok) throw new InputError(`${opts.file}: ${spec.errors.length} error${spec.errors.length === 1 ? '' : 's'}`);
  io.out(`${io.color.green('valid')}: ${opts.file} (${spec.value!.spec.edgeGroups.length} edge groups, ${spec.warnings.length} warning${spec.warnings.length === 1 ? '' : 's'})`);
  return 0;
}
