// The checks of `kec node preflight` are src/check.ts's Check with a feature: this builds one.
import type { Check, CheckStatus } from '../check.ts';

export function check(id: string, feature: string, status: CheckStatus, message: string, fix?: string): Check {
  return fix === undefined || status === 'pass' || status === 'skip'
    ? { id, feature, status, message }
    : { id, feature, status, message, fix };
}
