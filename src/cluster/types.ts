// The narrow views of the Kubernetes API that cluster operations depend on. Each
// domain (install, status, diagnose, sysdump) takes only what it needs, so that it
// can be tested against the real API server through the real client.

export type Obj = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    [k: string]: unknown;
  };
};

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ObjectReader {
  /** undefined when the object (or its kind) does not exist. */
  get(ref: ObjectRef): Promise<Obj | undefined>;
  list(apiVersion: string, kind: string, opts?: ListOptions): Promise<Obj[]>;
}

export interface ApplyOptions {
  dryRun?: boolean;
}

export interface ObjectWriter {
  /** Server-side apply with field manager `kec` (force: kec owns what it applies). */
  apply(obj: Obj, opts?: ApplyOptions): Promise<Obj>;
  /** Replace, with the object's resourceVersion as precondition (409 on a concurrent change). */
  replace(obj: Obj): Promise<Obj>;
  /** JSON merge patch; include metadata.resourceVersion for a precondition. */
  mergePatch(ref: ObjectRef, patch: Obj): Promise<Obj>;
  create(obj: Obj): Promise<Obj>;
  /** Deleting an object that is gone is not an error. */
  delete(ref: ObjectRef): Promise<void>;
}

export interface AccessReviewer {
  canI(check: { verb: string; group: string; resource: string; namespace?: string; name?: string }): Promise<boolean>;
}

export interface ServerInfo {
  version(): Promise<{ major: string; minor: string; gitVersion: string }>;
  /** Every group/version the API server serves ("v1", "apps/v1", "monitoring.coreos.com/v1", ...). */
  apiVersions(): Promise<string[]>;
}

export interface PodLogs {
  logs(
    namespace: string,
    pod: string,
    container: string,
    opts?: { tailLines?: number; previous?: boolean },
  ): Promise<string>;
}

export interface PodExec {
  exec(
    namespace: string,
    pod: string,
    container: string,
    command: string[],
    timeoutMs: number,
  ): Promise<{ stdout: string; stderr: string; code: number }>;
}

/** Everything; cluster commands build one and hand each domain its slice. */
export interface Cluster extends ObjectReader, ObjectWriter, AccessReviewer, ServerInfo, PodLogs, PodExec {
  /** API server URL, for messages (never credentials). */
  readonly server: string;
  readonly context: string;
}

export function refOf(obj: Obj): ObjectRef {
  const ref: ObjectRef = { apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '', name: obj.metadata?.name ?? '' };
  if (obj.metadata?.namespace) ref.namespace = obj.metadata.namespace;
  return ref;
}

export function refString(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}
