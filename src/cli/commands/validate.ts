// kec validate -f SPEC: the spec pipeline alone (exit 2 on errors).
import type { Registrar } from './index.ts';
import { formatOf, outputOption } from './flags.ts';
import { serialize } from '../../output/emit.ts';
import { printDiagnostics } from '../../output/diagnostics.ts';
import { loadSpec } from '../../edgenetwork/load.ts';
import { buildPlan } from '../../plan/plan.ts';
import { InputError } from '../../errors.ts';

export const registerValidate: Registrar = (program, io, setExit) => {
  program
    .command('validate')
    .description('Validate an EdgeNetwork spec: every check kec plan runs (exit 2 on errors)')
    .requiredOption('-f, --file <spec>', 'EdgeNetwork spec (YAML)')
    .addOption(outputOption())
    .action(async (o: { file: string; output: string[] }) => {
      const format = formatOf(o.output);
      const loaded = await loadSpec(o.file);
      // Valid means plannable: the plan's own checks (memory budget, …) count as errors too.
      const planErrors = loaded.value ? buildPlan(loaded.value).errors.map((d) => loaded.locate?.(d) ?? d) : [];
      const spec = { ...loaded, errors: [...loaded.errors, ...planErrors] };
      const ok = spec.errors.length === 0;
      if (format !== 'human') {
        io.out(
          serialize(format, {
            file: o.file,
            valid: ok,
            errors: spec.errors,
            warnings: spec.warnings,
            ...(ok ? { spec: spec.value } : {}),
          }),
        );
        setExit(ok ? 0 : 2);
        return;
      }
      printDiagnostics(io, o.file, spec.errors, spec.warnings);
      if (!ok) throw new InputError(`${o.file}: ${spec.errors.length} error${spec.errors.length === 1 ? '' : 's'}`);
      io.out(
        `${io.color.green('valid')}: ${o.file} (${spec.value!.spec.edgeGroups.length} edge groups, ${spec.warnings.length} warning${spec.warnings.length === 1 ? '' : 's'})`,
      );
      setExit(0);
    });
};
