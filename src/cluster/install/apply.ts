// One object made to look like the plan: recorded first (kec-state), then applied
// server-side; "unchanged" when the server's resourceVersion did not move.
import type { Obj, ObjectReader, ObjectWriter } from '../types.ts';
import { refOf, refString } from '../types.ts';
import type { StateStore } from './state.ts';
import { snapshot } from './state.ts';
import type { RetryOptions } from '../retry.ts';
import { unifiedDiff } from '../../output/diff.ts';
import { toYaml } from '../../output/yaml.ts';

export type StepStatus =
  | 'unchanged'
  | 'created'
  | 'changed'
  | 'removed'
  | 'restored'
  | 'skipped'
  | 'failed'
  | 'would-create'
  | 'would-change'
  | 'would-remove';

export interface StepResult {
  id: string;
  object?: string;
  status: StepStatus;
  detail?: string;
  diff?: string;
}

export interface ApplyContext {
  api: ObjectReader & ObjectWriter;
  state: StateStore;
  dryRun: boolean;
  /** For read-modify-write loops that must re-read after a conflict. */
  retry: RetryOptions;
}

/** YAML of an object for diffs: without server-owned fields. */
export function comparable(obj: Obj | undefined): string {
  return obj ? toYaml(snapshot(obj)) : '';
}

export async function applyObject(ctx: ApplyContext, id: string, desired: Obj): Promise<StepResult> {
  const ref = refOf(desired);
  const name = refString(ref);
  const current = await ctx.api.get(ref);
  if (ctx.dryRun) {
    const result = await ctx.api.apply(desired, { dryRun: true });
    const diff = unifiedDiff(comparable(current), comparable(result), {
      from: current ? `${name} (live)` : '/dev/null',
      to: `${name} (planned)`,
    });
    return {
      id,
      object: name,
      status: current ? (diff ? 'would-change' : 'unchanged') : 'would-create',
      ...(diff ? { diff } : {}),
    };
  }
  await ctx.state.recordBefore(ref, current);
  const after = await ctx.api.apply(desired);
  if (!current) return { id, object: name, status: 'created' };
  return {
    id,
    object: name,
    status: after.metadata?.resourceVersion === current.metadata?.resourceVersion ? 'unchanged' : 'changed',
  };
}

export async function removeObject(ctx: ApplyContext, id: string, current: Obj): Promise<StepResult> {
  const ref = refOf(current);
  if (ctx.dryRun) return { id, object: refString(ref), status: 'would-remove' };
  await ctx.state.recordBefore(ref, current);
  await ctx.api.delete(ref);
  return { id, object: refString(ref), status: 'removed' };
}
