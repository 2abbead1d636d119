// One check result, wherever kec checks something: a node before Cilium runs on it
// (kec node preflight), a cluster before kec changes it (kec install).

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface Check {
  /** Stable identifier, e.g. `kernel.CONFIG_BPF` or `api.reachable`. */
  id: string;
  status: CheckStatus;
  message: string;
  /** The feature the check belongs to (node checks: base, wireguard, …). */
  feature?: string;
  /** What to do about a warn or fail. */
  fix?: string;
}

export interface CheckSummary {
  pass: number;
  warn: number;
  fail: number;
  skip: number;
}

export function summarizeChecks(checks: readonly Check[]): CheckSummary {
  const s: CheckSummary = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of checks) s[c.status] += 1;
  return s;
}
