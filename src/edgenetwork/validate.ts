// The spec pipeline: stale values → schema (types, defaults) → normalise → rules.
// Returns {value, warnings, errors}; value is undefined when there are errors.
import { Diagnostics } from '../diagnostics.ts';
import type { Result } from '../diagnostics.ts';
import type { EdgeNetwork } from './types.ts';
import { SPEC_SCHEMA } from './schema.ts';
import { check } from './schema-dsl.ts';
import { checkStaleValues } from './stale.ts';
import { normalize } from './normalize.ts';
import { checkRules } from './constraints.ts';

export function validateSpec(raw: unknown): Result<EdgeNetwork> {
  const d = new Diagnostics();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    d.error(
      '(document)',
      `must be a mapping with apiVersion, kind and spec; got ${raw === null ? 'an empty document' : Array.isArray(raw) ? 'a list' : typeof raw}`,
    );
    return { value: undefined, warnings: d.warnings, errors: d.errors };
  }
  checkStaleValues(raw, d);
  const checked = check(SPEC_SCHEMA, raw, [], d) as Record<string, unknown>;
  const spec = checked['spec'] as Record<string, unknown> | undefined;
  if (spec && spec['kubernetes'] && spec['kubeedge'] && spec['cilium']) {
    const normalized = normalize(checked);
    checkRules(normalized, d);
    return { value: d.errors.length ? undefined : normalized, warnings: d.warnings, errors: d.errors };
  }
  return { value: undefined, warnings: d.warnings, errors: d.errors };
}
