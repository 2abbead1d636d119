// The kec-state record: what kec install changed and what was there before, in
// ConfigMap kec-state (Cilium namespace), so that kec uninstall restores the
// pre-install objects exactly. Written ahead of every change: a crash or an API
// failure half-way leaves a record of everything already touched.
import type { Obj, ObjectReader, ObjectRef, ObjectWriter } from '../types.ts';
import { refString } from '../types.ts';
import { isConflict } from '../errors.ts';
import { withRetry } from '../retry.ts';
import { MANAGED_BY, STATE_NAME } from '../../names.ts';

export const STATE_KEY = 'state.json';

export interface RecordedChange {
  ref: ObjectRef;
  /** created: did not exist before kec; modified: `previous` is what it was. */
  action: 'created' | 'modified';
  previous?: Obj;
  at: string;
}

export interface HelmRecord {
  release: string;
  namespace: string;
  /** Revision before kec's first upgrade; null when the release did not exist. */
  previousRevision: number | null;
  /** The release did not exist but Cilium's objects did: Helm adopted them (uninstall must not delete them). */
  adoptedExisting?: boolean;
}

export interface KecState {
  version: 1;
  spec: string;
  kec: string;
  installedAt: string;
  updatedAt: string;
  helm?: HelmRecord;
  changes: RecordedChange[];
  /** Progress of `kec encryption rotate-key` (its shape: src/cluster/encryption/rotation-state.ts). */
  encryptionRotation?: Record<string, unknown>;
}

const SERVER_FIELDS = ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink'];
/** Annotations controllers write on their own; restoring them would only fight the controller. */
const CONTROLLER_ANNOTATIONS = ['deprecated.daemonset.template.generation', 'deployment.kubernetes.io/revision'];

/** An object as it is recorded: what the user (or Helm) set, without server-owned fields. */
export function snapshot(obj: Obj): Obj {
  const out = structuredClone(obj);
  delete out['status'];
  if (out.metadata) {
    for (const k of SERVER_FIELDS) delete out.metadata[k];
    const ann = out.metadata.annotations;
    if (ann) {
      for (const k of CONTROLLER_ANNOTATIONS) delete ann[k];
      if (Object.keys(ann).length === 0) delete out.metadata.annotations;
    }
  }
  return out;
}

const sameRef = (a: ObjectRef, b: ObjectRef): boolean =>
  a.apiVersion === b.apiVersion &&
  a.kind === b.kind &&
  a.name === b.name &&
  (a.namespace ?? '') === (b.namespace ?? '');

export class StateStore {
  private state: KecState | undefined;
  private resourceVersion: string | undefined;

  constructor(
    private readonly api: ObjectReader & ObjectWriter,
    private readonly namespace: string,
    private readonly meta: { spec: string; kec: string },
  ) {}

  ref(): ObjectRef {
    return { apiVersion: 'v1', kind: 'ConfigMap', name: STATE_NAME, namespace: this.namespace };
  }

  async load(): Promise<KecState | undefined> {
    const cm = await this.api.get(this.ref());
    this.resourceVersion = cm?.metadata?.resourceVersion;
    const text = (cm?.['data'] as Record<string, string> | undefined)?.[STATE_KEY];
    this.state = text ? (JSON.parse(text) as KecState) : undefined;
    return this.state;
  }

  current(): KecState | undefined {
    return this.state;
  }

  recorded(ref: ObjectRef): RecordedChange | undefined {
    return this.state?.changes.find((c) => sameRef(c.ref, ref));
  }

  /** Records `ref` before kec changes it. The first record of an object wins: it holds the pre-kec content. */
  async recordBefore(ref: ObjectRef, current: Obj | undefined): Promise<void> {
    if (this.recorded(ref)) return;
    const change: RecordedChange = current
      ? { ref, action: 'modified', previous: snapshot(current), at: new Date().toISOString() }
      : { ref, action: 'created', at: new Date().toISOString() };
    await this.update((s) => {
      s.changes.push(change);
    });
  }

  async recordHelm(h: HelmRecord): Promise<void> {
    if (this.state?.helm) return;
    await this.update((s) => {
      s.helm = h;
    });
  }

  /** Writes the record (create or replace with its resourceVersion; on a conflict, reloads and reapplies). */
  async update(mutate: (s: KecState) => void): Promise<void> {
    await withRetry(async () => {
      const now = new Date().toISOString();
      const s: KecState = structuredClone(this.state) ?? {
        version: 1,
        spec: this.meta.spec,
        kec: this.meta.kec,
        installedAt: now,
        updatedAt: now,
        changes: [],
      };
      mutate(s);
      s.updatedAt = now;
      const cm: Obj = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: STATE_NAME, namespace: this.namespace, labels: { ...MANAGED_BY } },
        data: { [STATE_KEY]: JSON.stringify(s, null, 1) },
      };
      try {
        const written = this.resourceVersion
          ? await this.api.replace({ ...cm, metadata: { ...cm.metadata, resourceVersion: this.resourceVersion } })
          : await this.api.create(cm);
        this.resourceVersion = written.metadata?.resourceVersion;
        this.state = s;
      } catch (e) {
        if (isConflict(e)) await this.load(); // someone else wrote it: start from theirs
        throw e;
      }
    });
  }

  async remove(): Promise<void> {
    await this.api.delete(this.ref());
    this.state = undefined;
    this.resourceVersion = undefined;
  }

  describe(): string[] {
    return (this.state?.changes ?? []).map((c) => `${c.action} ${refString(c.ref)}`);
  }
}
