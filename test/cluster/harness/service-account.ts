// Kubeconfigs for a ServiceAccount (TokenRequest API), to prove least-privilege RBAC.
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import type { ClusterInfo } from './control-plane.ts';
import { writeKubeconfig } from './kubeconfig.ts';

export interface ServiceAccountKubeconfigOptions {
  /** Create the ServiceAccount when missing (default true). */
  create?: boolean;
  /** Token lifetime (default 3600 s; the apiserver's minimum is 600 s). */
  expirationSeconds?: number;
  /** Point the kubeconfig at another server (e.g. a fault proxy) that trusts the same CA. */
  server?: string;
  /** Where to write it (default <cluster dir>/sa-<namespace>-<name>.kubeconfig). */
  path?: string;
}

/** Mints a bound token for namespace/name and writes a kubeconfig (mode 0600) using it. */
export async function mintServiceAccountKubeconfig(
  info: ClusterInfo,
  namespace: string,
  name: string,
  opts: ServiceAccountKubeconfigOptions = {},
): Promise<string> {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(info.kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  if (opts.create ?? true) {
    try {
      await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } });
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e;
    }
  }
  const tr = await core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: opts.expirationSeconds ?? 3600 } },
  });
  const token = tr.status?.token;
  if (token === undefined || token === '') throw new Error(`TokenRequest for ${namespace}/${name} returned no token`);
  const path = opts.path ?? join(info.dir, `sa-${namespace}-${name}.kubeconfig`);
  return writeKubeconfig(path, {
    server: opts.server ?? info.server,
    caFile: info.caFile,
    user: `system:serviceaccount:${namespace}:${name}`,
    credentials: { token },
    namespace,
  });
}
