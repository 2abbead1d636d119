// The IPsec key rotation as a small state machine, recorded in kec-state (field
// encryptionRotation) ahead of every change, so that re-running `kec encryption rotate-key`
// finishes an interrupted rotation instead of starting another. Key material is never recorded.
import type { ObjectReader, ObjectWriter } from '../types.ts';
import { StateStore } from '../install/state.ts';
import { VERSION } from '../../version.ts';

export type RotationPhase =
  /** The new SPI is chosen; the Secret may not have been written yet. */
  | 'started'
  /** The Secret holds the new key; agents are moving to it. */
  | 'secret-updated'
  /** Every node reported the new SPI. */
  | 'complete';

export interface RotationRecord {
  phase: RotationPhase;
  fromSpi: number;
  toSpi: number;
  algorithm: string;
  startedAt: string;
  updatedAt: string;
  completedAt?: string;
  /** Groups ("cloud" and edge groups) whose every node reported toSpi. */
  groupsDone: string[];
  /** Groups whose agents kec restarted in this rotation (key watcher off). */
  groupsRestarted: string[];
  /** Nodes that had not reported toSpi at the last look (offline ones included). */
  pending: string[];
}

export type RotationAction =
  | { do: 'start' }
  | { do: 'write-secret'; record: RotationRecord }
  | { do: 'wait'; record: RotationRecord }
  | { do: 'conflict'; reason: string };

/** What to do next, from the record and the SPI the Secret has now. */
export function rotationAction(record: RotationRecord | undefined, secretSpi: number): RotationAction {
  if (!record || record.phase === 'complete') return { do: 'start' };
  if (secretSpi === record.toSpi) return { do: 'wait', record };
  if (record.phase === 'started' && secretSpi === record.fromSpi) return { do: 'write-secret', record };
  return {
    do: 'conflict',
    reason: `kec-state records a rotation from key ${record.fromSpi} to ${record.toSpi} (${record.phase}) but the Secret has key ${secretSpi}: someone else changed it; check the nodes with kec encryption status, then re-run with --force to start over from key ${secretSpi}`,
  };
}

/**
 * Why a new rotation must not start: nodes not yet on the current key. Cilium keeps only the
 * previous key during a rotation, so rotating again would leave them two keys behind.
 */
export function startBlockers(nodeSpis: ReadonlyArray<{ name: string; spi: number }>, currentSpi: number): string[] {
  return nodeSpis
    .filter((n) => n.spi !== 0 && n.spi !== currentSpi)
    .map((n) => `node ${n.name} is still on key ${n.spi} (the Secret has ${currentSpi})`);
}

export function newRecord(fromSpi: number, toSpi: number, algorithm: string, now: Date): RotationRecord {
  const t = now.toISOString();
  return {
    phase: 'started',
    fromSpi,
    toSpi,
    algorithm,
    startedAt: t,
    updatedAt: t,
    groupsDone: [],
    groupsRestarted: [],
    pending: [],
  };
}

function isRecord(v: unknown): v is RotationRecord {
  const r = v as Partial<RotationRecord> | undefined;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.fromSpi === 'number' &&
    typeof r.toSpi === 'number' &&
    (r.phase === 'started' || r.phase === 'secret-updated' || r.phase === 'complete')
  );
}

/** Loads and saves the record through kec-state (the same ConfigMap kec install writes). */
export class RotationStore {
  private readonly store: StateStore;
  constructor(api: ObjectReader & ObjectWriter, namespace: string) {
    this.store = new StateStore(api, namespace, { spec: '', kec: VERSION });
  }

  async load(): Promise<RotationRecord | undefined> {
    const s = await this.store.load();
    const r = s?.encryptionRotation;
    if (!isRecord(r)) return undefined;
    const loose = r as Partial<RotationRecord>;
    return {
      ...r,
      groupsDone: loose.groupsDone ?? [],
      groupsRestarted: loose.groupsRestarted ?? [],
      pending: loose.pending ?? [],
    };
  }

  async save(r: RotationRecord, now: Date = new Date()): Promise<void> {
    r.updatedAt = now.toISOString();
    await this.store.update((s) => {
      s.encryptionRotation = { ...r };
    });
  }
}
