// Human output of kec diagnose.
import type { Palette } from '../../output/color.ts';
import type { DiagnoseReport } from './diagnose-rules.ts';

export function renderDiagnose(r: DiagnoseReport, c: Palette): string {
  const out: string[] = [];
  for (const f of r.findings) {
    const tag = f.severity === 'error' ? c.red('ERROR') : c.yellow('WARN ');
    out.push(`${tag} ${c.bold(f.title)} ${c.dim(`[${f.rule}]`)}`);
    if (f.issue) out.push(`      known issue: ${f.issue}`);
    for (const e of f.evidence) out.push(`      - ${e}`);
    out.push(`      fix: ${f.fix}`);
    out.push('');
  }
  if (r.notChecked.length) {
    out.push(c.dim('Not checked:'));
    for (const n of r.notChecked) out.push(c.dim(`  ${n.rule}: ${n.reason}`));
  }
  if (r.unavailable.length) {
    out.push(
      c.dim(
        `Unavailable (${r.unavailable.length}): ${r.unavailable
          .slice(0, 5)
          .map((u) => `${u.what}: ${u.error}`)
          .join('; ')}${r.unavailable.length > 5 ? '; ...' : ''}`,
      ),
    );
  }
  if (r.collectionErrors.length) {
    out.push(c.red('Not collected:'));
    for (const e of r.collectionErrors) out.push(`  ${e.what}: ${e.error}`);
  }
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  const warnings = r.findings.length - errors;
  out.push(
    r.findings.length === 0
      ? c.green(`No problems found (${r.rulesRun} rules, ${r.notChecked.length} not checked)`)
      : `${errors ? c.red(`${errors} error${errors === 1 ? '' : 's'}`) : '0 errors'}, ${warnings} warning${warnings === 1 ? '' : 's'} (${r.rulesRun} rules, ${r.notChecked.length} not checked)`,
  );
  return out.join('\n');
}
