// kec uninstall --wait against an in-memory API: it waits for what it removed to be gone and
// for restored DaemonSets to roll out, and reports what is still pending at the deadline.
import { describe, expect, it } from 'vitest';
import type { Obj, ObjectReader, ObjectWriter } from '../types.ts';
import { memoryCluster } from '../connectivity/probers.testkit.ts';
import { STATE_NAME } from '../../names.ts';
import { uninstall } from './uninstall.ts';

const ds = (name: string, status: Record<string, number> = {}): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name, namespace: 'kube-system', generation: 2 },
  spec: {},
  status,
});
const stateMap = (changes: unknown[]): Obj => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: STATE_NAME, namespace: 'kube-system', resourceVersion: '1' },
  data: { 'state.json': JSON.stringify({ version: 1, spec: '', kec: '', installedAt: '', updatedAt: '', changes }) },
});
const ref = (name: string) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', name, namespace: 'kube-system' });

/** A cluster whose DaemonSets linger for `lingerCalls` reads after their delete (finalizers, GC). */
function lingering(c: ObjectReader & ObjectWriter, lingerCalls: number): ObjectReader & ObjectWriter {
  const gone = new Map<string, number>();
  return {
    ...c,
    async delete(r) {
      gone.set(r.name, lingerCalls);
    },
    async get(r) {
      const left = gone.get(r.name);
      if (left === undefined) return c.get(r);
      if (left <= 0) return undefined;
      gone.set(r.name, left - 1);
      return c.get(r);
    },
  };
}

describe('kec uninstall --wait', () => {
  it('waits until removed DaemonSets are gone, then removes kec-state', async () => {
    const c = memoryCluster([
      ds('cilium-edge-a'),
      stateMap([{ ref: ref('cilium-edge-a'), action: 'created', at: '' }]),
    ]);
    let clock = 0;
    const sleeps: number[] = [];
    const r = await uninstall(lingering(c, 3), {
      namespace: 'kube-system',
      dryRun: false,
      waitMs: 60_000,
      now: () => clock,
      sleep: async (ms) => void (sleeps.push(ms), (clock += ms)),
    });
    expect(r.ok).toBe(true);
    expect(sleeps.length).toBeGreaterThan(0);
    expect(r.steps.map((s) => `${s.id}:${s.status}`)).toEqual(['undo:removed', 'state:removed']);
  });

  it('reports what is still there at the deadline and keeps kec-state for another run', async () => {
    const c = memoryCluster([
      ds('cilium-edge-b'),
      stateMap([{ ref: ref('cilium-edge-b'), action: 'created', at: '' }]),
    ]);
    let clock = 0;
    const r = await uninstall(lingering(c, 1_000), {
      namespace: 'kube-system',
      dryRun: false,
      waitMs: 5_000,
      now: () => clock,
      sleep: async (ms) => void (clock += ms),
    });
    expect(r.ok).toBe(false);
    expect(r.steps.find((s) => s.id === 'wait')).toMatchObject({ status: 'failed', detail: 'still there after 5s' });
    expect(c.objects.some((o) => o.metadata?.name === STATE_NAME)).toBe(true);
  });
});
