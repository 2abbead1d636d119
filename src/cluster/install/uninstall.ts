// kec uninstall: undo what kec-state records, newest first — delete what kec created,
// put back what it modified exactly as it was — then roll Helm back and drop the record.
import type { Obj, ObjectReader, ObjectRef, ObjectWriter } from '../types.ts';
import { refString } from '../types.ts';
import type { Helm } from './helm.ts';
import { StateStore } from './state.ts';
import type { StepResult } from './apply.ts';
import { comparable } from './apply.ts';
import { withRetry } from '../retry.ts';
import type { RetryOptions } from '../retry.ts';
import { toApiError } from '../errors.ts';
import { unifiedDiff } from '../../output/diff.ts';

export interface UninstallOptions {
  namespace: string;
  dryRun: boolean;
  /** undefined: leave the Helm release as it is. */
  helm?: Helm;
  retry?: RetryOptions;
  onStep?: (s: StepResult) => void;
  /** --wait: until removed objects are gone and restored DaemonSets have rolled out (ms). */
  waitMs?: number;
  /** Tests inject these. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface UninstallReport {
  dryRun: boolean;
  found: boolean;
  steps: StepResult[];
  ok: boolean;
}

export async function uninstall(api: ObjectReader & ObjectWriter, o: UninstallOptions): Promise<UninstallReport> {
  const state = new StateStore(api, o.namespace, { spec: '', kec: '' });
  const retry = o.retry ?? {};
  const steps: StepResult[] = [];
  const report = (s: StepResult): void => {
    steps.push(s);
    o.onStep?.(s);
  };
  const recorded = await state.load();
  if (!recorded) return { dryRun: o.dryRun, found: false, steps, ok: true };

  for (const change of [...recorded.changes].reverse()) {
    const name = refString(change.ref);
    try {
      const current = await api.get(change.ref);
      if (change.action === 'created') {
        if (!current) report({ id: 'undo', object: name, status: 'unchanged', detail: 'already gone' });
        else if (o.dryRun) report({ id: 'undo', object: name, status: 'would-remove' });
        else {
          await api.delete(change.ref);
          report({ id: 'undo', object: name, status: 'removed' });
        }
        continue;
      }
      const previous = change.previous as Obj;
      const diff = unifiedDiff(comparable(current), comparable(previous), {
        from: `${name} (live)`,
        to: `${name} (before kec)`,
      });
      if (!diff) {
        report({ id: 'undo', object: name, status: 'unchanged' });
      } else if (o.dryRun) {
        report({ id: 'undo', object: name, status: current ? 'would-change' : 'would-create', diff });
      } else {
        await withRetry(async () => {
          const live = await api.get(change.ref);
          if (!live) await api.create(previous);
          else
            await api.replace({
              ...previous,
              metadata: { ...previous.metadata, resourceVersion: live.metadata?.resourceVersion },
            } as Obj);
        }, retry);
        report({ id: 'undo', object: name, status: 'restored' });
      }
    } catch (e) {
      report({ id: 'undo', object: name, status: 'failed', detail: toApiError(e).message });
    }
  }

  if (recorded.helm && o.helm) {
    const h = recorded.helm;
    const what = `helm release ${h.namespace}/${h.release}`;
    try {
      if (h.previousRevision === null && h.adoptedExisting) {
        // The objects were restored above; only Helm's record of the release goes (its storage
        // Secrets, deleted by name without reading them).
        const secrets = await api.list('v1', 'Secret', {
          namespace: h.namespace,
          labelSelector: `owner=helm,name=${h.release}`,
        });
        if (o.dryRun)
          report({
            id: 'helm',
            object: what,
            status: 'would-remove',
            detail: `forget the release (${secrets.length} Helm record(s)); the objects it adopted are restored`,
          });
        else {
          for (const sec of secrets)
            await api.delete({
              apiVersion: 'v1',
              kind: 'Secret',
              name: sec.metadata?.name ?? '',
              namespace: h.namespace,
            });
          report({
            id: 'helm',
            object: what,
            status: 'removed',
            detail: 'the release record is gone; the Cilium objects it adopted are back as they were',
          });
        }
      } else if (o.dryRun)
        report({
          id: 'helm',
          object: what,
          status: h.previousRevision === null ? 'would-remove' : 'would-change',
          detail: h.previousRevision === null ? 'uninstall' : `rollback to revision ${h.previousRevision}`,
        });
      else if (h.previousRevision === null) {
        await o.helm.uninstall(h.release, h.namespace);
        report({ id: 'helm', object: what, status: 'removed' });
      } else {
        await o.helm.rollback(h.release, h.namespace, h.previousRevision);
        report({
          id: 'helm',
          object: what,
          status: 'restored',
          detail: `rolled back to revision ${h.previousRevision}`,
        });
      }
    } catch (e) {
      report({ id: 'helm', object: what, status: 'failed', detail: (e as Error).message });
    }
  } else if (recorded.helm) {
    report({
      id: 'helm',
      object: `helm release ${recorded.helm.namespace}/${recorded.helm.release}`,
      status: 'skipped',
      detail: '--skip-helm: release left as it is',
    });
  }

  if (o.waitMs !== undefined && !o.dryRun && !steps.some((s) => s.status === 'failed')) {
    const touched = recorded.changes.map((c) => ({ ref: c.ref, gone: c.action === 'created' }));
    for (const s of await waitUndone(api, touched, o)) report(s);
  }

  const ok = !steps.some((s) => s.status === 'failed');
  if (ok && !o.dryRun) {
    await state.remove();
    report({ id: 'state', object: refString(state.ref()), status: 'removed' });
  }
  return { dryRun: o.dryRun, found: true, steps, ok };
}

/** Waits until removed objects are gone and restored DaemonSets have rolled out; one step per object still pending. */
async function waitUndone(
  api: ObjectReader,
  touched: Array<{ ref: ObjectRef; gone: boolean }>,
  o: Pick<UninstallOptions, 'waitMs' | 'now' | 'sleep'>,
): Promise<StepResult[]> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + (o.waitMs ?? 0);
  const pending = new Map(
    touched.filter((t) => t.gone || t.ref.kind === 'DaemonSet').map((t) => [refString(t.ref), t]),
  );
  for (;;) {
    for (const [name, t] of pending) {
      const live = await api.get(t.ref);
      if (t.gone ? live === undefined : live !== undefined && rolledOut(live)) pending.delete(name);
    }
    if (pending.size === 0 || now() >= deadline) break;
    await sleep(1000);
  }
  const secs = Math.round((o.waitMs ?? 0) / 1000);
  return [...pending].map(([name, t]) => ({
    id: 'wait',
    object: name,
    status: 'failed' as const,
    detail: t.gone ? `still there after ${secs}s` : `not rolled out after ${secs}s`,
  }));
}

function rolledOut(ds: Obj): boolean {
  const st = (ds['status'] ?? {}) as Record<string, number | undefined>;
  const gen = (ds.metadata?.['generation'] as number | undefined) ?? 0;
  return (
    (st['observedGeneration'] ?? 0) >= gen &&
    st['updatedNumberScheduled'] === st['desiredNumberScheduled'] &&
    st['numberReady'] === st['desiredNumberScheduled']
  );
}
