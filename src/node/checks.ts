// The result model of `kec node preflight`: one record per check, summarised.

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface Check {
  id: string;
  feature: string;
  status: CheckStatus;
  message: string;
  fix?: string;
}

export interface Summary {
  pass: number;
  warn: number;
  fail: number;
  skip: number;
}

export function summarize(checks: readonly Check[]): Summary {
  const s: Summary = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of checks) s[c.status] += 1;
  return s;
}

export function check(id: string, feature: string, status: CheckStatus, message: string, fix?: string): Check {
  return fix === undefined || status === 'pass' || status === 'skip' ? { id, feature, status, message } : { id, feature, status, message, fix };
}
