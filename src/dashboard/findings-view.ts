// Findings view model, pure: kec diagnose's report → findings (errors first) with their fixes.
import type { DiagnoseReport } from '../cluster/diagnose/diagnose-rules.ts';
import type { FindingsView } from './types.ts';

export function findingsView(report: DiagnoseReport | undefined, checkedAt?: string): FindingsView {
  if (!report) return { source: 'none', findings: [], counts: { error: 0, warning: 0 }, notChecked: [], rulesRun: 0 };
  const findings = report.findings.map((f) => ({
    rule: f.rule,
    title: f.title,
    severity: f.severity,
    evidence: [...f.evidence],
    fix: f.fix,
  }));
  findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return {
    source: 'live',
    ...(checkedAt !== undefined ? { checkedAt } : {}),
    findings,
    counts: {
      error: findings.filter((f) => f.severity === 'error').length,
      warning: findings.filter((f) => f.severity === 'warning').length,
    },
    notChecked: report.notChecked,
    rulesRun: report.rulesRun,
  };
}
