// The one place that talks to the Kubernetes API, through @kubernetes/client-node.
// kubeconfig / --context resolution follows kubectl: --kubeconfig, $KUBECONFIG, ~/.kube/config.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import type { Cluster, ListOptions, Obj, ObjectRef } from './types.ts';
import { isNotFound, toApiError } from './errors.ts';
import { InputError, UnreachableError } from '../errors.ts';
import { VERSION } from '../version.ts';

export interface ConnectOptions {
  kubeconfig?: string;
  context?: string;
  /** Per-request timeout. */
  timeoutMs?: number;
}

/** Where kubectl looks for a kubeconfig without --kubeconfig: $KUBECONFIG (a path list), else ~/.kube/config. */
export function defaultKubeconfigPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env['KUBECONFIG'] ?? '').split(delimiter).filter((p) => p !== '');
  return fromEnv.length > 0 ? fromEnv : [join(env['HOME'] ?? homedir(), '.kube', 'config')];
}

export function loadKubeConfig(opts: ConnectOptions): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  if (opts.kubeconfig === undefined) {
    // client-node falls back to http://localhost:8080 when nothing is found; kubectl says so instead.
    const looked = defaultKubeconfigPaths();
    const inCluster = existsSync(SERVICE_ACCOUNT_TOKEN) && process.env['KUBERNETES_SERVICE_HOST'] !== undefined;
    if (!inCluster && !looked.some((p) => existsSync(p))) {
      throw new InputError(
        `no kubeconfig found (looked at ${looked.join(', ')}, and for an in-cluster service account); pass --kubeconfig FILE or set KUBECONFIG`,
      );
    }
  } else if (!existsSync(opts.kubeconfig)) {
    throw new InputError(`--kubeconfig ${opts.kubeconfig}: no such file`);
  }
  try {
    if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
    else kc.loadFromDefault();
  } catch (e) {
    throw new InputError(
      `cannot load kubeconfig ${opts.kubeconfig ?? process.env['KUBECONFIG'] ?? '~/.kube/config'}: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  if (opts.context) {
    if (!kc.getContexts().some((c) => c.name === opts.context)) {
      throw new InputError(
        `context "${opts.context}" is not in the kubeconfig; known: ${
          kc
            .getContexts()
            .map((c) => c.name)
            .join(', ') || 'none'
        }`,
      );
    }
    kc.setCurrentContext(opts.context);
  }
  if (!kc.getCurrentCluster())
    throw new InputError('the kubeconfig has no current cluster; pass --kubeconfig or --context');
  return kc;
}

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** KubernetesObjectApi with the context's namespace as default, as its own makeApiClient sets it. */
class ObjectApi extends k8s.KubernetesObjectApi {
  useNamespaceOf(kc: k8s.KubeConfig): void {
    this.setDefaultNamespace(kc);
  }
}

/**
 * An API client whose every request is aborted after timeoutMs (--request-timeout, as kubectl
 * applies it): client-node's own makeApiClient sets no timeout at all.
 */
function makeClient<T>(
  kc: k8s.KubeConfig,
  type: new (config: k8s.Configuration) => T,
  timeoutMs: number | undefined,
): T {
  const promiseMiddleware: k8s.Middleware[] = [
    {
      pre: async (request) => {
        request.setHeaderParam('User-Agent', `kec/${VERSION}`);
        if (timeoutMs !== undefined && timeoutMs > 0) request.setSignal(AbortSignal.timeout(timeoutMs));
        return request;
      },
      post: async (response) => response,
    },
  ];
  const config = k8s.createConfiguration({
    baseServer: new k8s.ServerConfiguration(kc.getCurrentCluster()!.server, {}),
    authMethods: { default: kc },
    promiseMiddleware,
  });
  return new type(config);
}

const STRIP = ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink'];

/** An object as kec sends it in an apply: without fields the server owns. */
export function forApply(obj: Obj): Obj {
  const out = structuredClone(obj);
  if (out.metadata) for (const k of STRIP) delete out.metadata[k];
  delete out['status'];
  return out;
}

function header(ref: ObjectRef): k8s.KubernetesObject {
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: ref.namespace ? { name: ref.name, namespace: ref.namespace } : { name: ref.name },
  };
}

/** client-node turns timestamps of known kinds into Date objects; kec works on plain JSON. */
function plain(obj: unknown): Obj {
  // managedFields are large and never used by kec: dropped at the source (status over thousands of nodes).
  return JSON.parse(JSON.stringify(obj, (k, v: unknown) => (k === 'managedFields' ? undefined : v))) as Obj;
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toApiError(e);
  }
}

export function connect(opts: ConnectOptions = {}): Cluster {
  const kc = loadKubeConfig(opts);
  const objects = makeClient(kc, ObjectApi, opts.timeoutMs);
  objects.useNamespaceOf(kc);
  const core = makeClient(kc, k8s.CoreV1Api, opts.timeoutMs);
  const authz = makeClient(kc, k8s.AuthorizationV1Api, opts.timeoutMs);
  const version = makeClient(kc, k8s.VersionApi, opts.timeoutMs);
  const coreGroup = makeClient(kc, k8s.CoreApi, opts.timeoutMs);
  const groups = makeClient(kc, k8s.ApisApi, opts.timeoutMs);
  const FIELD_MANAGER = 'kec';

  return {
    server: kc.getCurrentCluster()?.server ?? '',
    context: kc.getCurrentContext(),

    async get(ref) {
      try {
        const h = ref.namespace
          ? { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } }
          : { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name } };
        return plain(await objects.read<k8s.KubernetesObject>(h));
      } catch (e) {
        if (
          isNotFound(e) ||
          /Unrecognized API version and kind|resource .* not found/i.test((e as Error).message ?? '')
        )
          return undefined;
        throw toApiError(e);
      }
    },

    async list(apiVersion: string, kind: string, o: ListOptions = {}) {
      const items: Obj[] = [];
      let cont: string | undefined;
      do {
        let page: k8s.KubernetesListObject<k8s.KubernetesObject>;
        try {
          page = await objects.list(
            apiVersion,
            kind,
            o.namespace,
            undefined,
            undefined,
            undefined,
            o.fieldSelector,
            o.labelSelector,
            500,
            cont,
          );
        } catch (e) {
          if (isNotFound(e) || /Unrecognized API version and kind/i.test((e as Error).message ?? '')) return [];
          throw toApiError(e);
        }
        for (const it of page.items) items.push({ apiVersion, kind, ...plain(it) });
        cont = page.metadata?._continue || undefined;
      } while (cont);
      return items;
    },

    apply: (obj, o = {}) =>
      call(async () =>
        plain(
          await objects.patch(
            forApply(obj) as k8s.KubernetesObject,
            undefined,
            o.dryRun ? 'All' : undefined,
            FIELD_MANAGER,
            true,
            k8s.PatchStrategy.ServerSideApply,
          ),
        ),
      ),
    replace: (obj) =>
      call(async () => plain(await objects.replace(obj as k8s.KubernetesObject, undefined, undefined, FIELD_MANAGER))),
    mergePatch: (ref, patch) =>
      call(
        async () =>
          (await objects.patch(
            {
              ...patch,
              ...header(ref),
              metadata: { ...(patch.metadata ?? {}), ...header(ref).metadata },
            } as k8s.KubernetesObject,
            undefined,
            undefined,
            FIELD_MANAGER,
            undefined,
            k8s.PatchStrategy.MergePatch,
          )) as Obj,
      ),
    create: (obj) =>
      call(
        async () =>
          (await objects.create(forApply(obj) as k8s.KubernetesObject, undefined, undefined, FIELD_MANAGER)) as Obj,
      ),

    async delete(ref) {
      try {
        await objects.delete(header(ref));
      } catch (e) {
        if (!isNotFound(e)) throw toApiError(e);
      }
    },

    canI: (c) =>
      call(async () => {
        const r = await authz.createSelfSubjectAccessReview({
          body: {
            spec: {
              resourceAttributes: {
                verb: c.verb,
                group: c.group,
                resource: c.resource,
                ...(c.namespace ? { namespace: c.namespace } : {}),
                ...(c.name ? { name: c.name } : {}),
              },
            },
          },
        });
        return r.status?.allowed === true;
      }),

    version: () =>
      call(async () => {
        const v = await version.getCode();
        return { major: v.major, minor: v.minor, gitVersion: v.gitVersion };
      }),

    apiVersions: () =>
      call(async () => {
        const [core, named] = await Promise.all([coreGroup.getAPIVersions(), groups.getAPIVersions()]);
        return [...core.versions, ...named.groups.flatMap((g) => g.versions.map((v) => v.groupVersion))];
      }),

    logs: (namespace, pod, container, o = {}) =>
      call(async () =>
        String(
          await core.readNamespacedPodLog({
            name: pod,
            namespace,
            container,
            ...(o.tailLines !== undefined ? { tailLines: o.tailLines } : {}),
            ...(o.previous ? { previous: true } : {}),
          }),
        ),
      ),

    exec: (namespace, pod, container, command, timeoutMs) =>
      new Promise((resolve, reject) => {
        let stdout = '';
        let stderr = '';
        let socket: { close: () => void } | undefined;
        let done = false;
        const finish = (fn: () => void): void => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          fn();
        };
        const sink = (append: (s: string) => void): Writable =>
          new Writable({
            write(chunk, _enc, cb) {
              append(String(chunk));
              cb();
            },
          });
        const timer = setTimeout(
          () =>
            finish(() => {
              socket?.close(); // do not leave the websocket open after giving up
              reject(new Error(`exec in ${namespace}/${pod} timed out after ${timeoutMs} ms`));
            }),
          timeoutMs,
        );
        new k8s.Exec(kc)
          .exec(
            namespace,
            pod,
            container,
            command,
            sink((s) => {
              stdout += s;
            }),
            sink((s) => {
              stderr += s;
            }),
            null,
            false,
            (status) => {
              finish(() => {
                const code =
                  status.status === 'Success'
                    ? 0
                    : Number(status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message ?? 1);
                resolve({ stdout, stderr, code });
              });
            },
          )
          .then((ws) => {
            socket = ws;
            if (done) ws.close();
          })
          .catch((e: unknown) => finish(() => reject(toApiError(e))));
      }),
  };
}

/**
 * Connects and asks the API server for its version once (no retries): an unreachable server, a
 * timeout or refused credentials end the command with one clear line instead of every later
 * read failing (and being retried) on its own.
 */
export async function connectChecked(opts: ConnectOptions = {}): Promise<Cluster> {
  const cluster = connect(opts);
  try {
    await cluster.version();
  } catch (e) {
    const a = toApiError(e);
    if (a.status === 401)
      throw new UnreachableError(
        `the API server at ${cluster.server} refused the credentials of context ${cluster.context} (401 Unauthorized)`,
      );
    if (a.status === 0) throw new UnreachableError(`cannot reach the API server at ${cluster.server}: ${a.message}`);
    // Any other answer means the server is there: let the command's own requests report.
  }
  return cluster;
}
