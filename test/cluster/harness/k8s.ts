// Thin helpers over @kubernetes/client-node used by seed, reset and node control.
import { readFileSync } from 'node:fs';
import type * as k8s from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { RetryingKubeConfig } from './retry.ts';

export type KObject = k8s.KubernetesObject & Record<string, unknown>;

/** A KubeConfig whose API clients retry 429 and 503 with Retry-After as client-go does (see retry.ts). */
export function loadKubeConfig(path: string): k8s.KubeConfig {
  const kc = new RetryingKubeConfig();
  kc.loadFromFile(path);
  return kc;
}

export function readYamlObjects(file: string): KObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as KObject | null)
    .filter((o): o is KObject => o !== null && typeof o === 'object' && typeof o.kind === 'string');
}

/** HTTP status of a client-node error (ApiException), or undefined. */
export function statusOf(e: unknown): number | undefined {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

export function isNotFound(e: unknown): boolean {
  return statusOf(e) === 404;
}

export function objectKey(o: k8s.KubernetesObject): string {
  const ns = o.metadata?.namespace ?? '';
  return `${o.apiVersion ?? ''}/${o.kind ?? ''}/${ns}/${o.metadata?.name ?? ''}`;
}

/**
 * Creates the object, or replaces it (PUT, full content) when it exists: the result is
 * exactly `obj`, whatever other managers had changed. Returns the stored object.
 */
export async function createOrReplace(
  api: k8s.KubernetesObjectApi,
  obj: KObject,
  fieldManager: string,
): Promise<KObject> {
  try {
    return await api.create(obj, undefined, undefined, fieldManager);
  } catch (e) {
    if (statusOf(e) !== 409) throw e;
  }
  for (let attempt = 0; ; attempt++) {
    const current = await api.read({
      apiVersion: obj.apiVersion ?? '',
      kind: obj.kind ?? '',
      metadata: { name: obj.metadata?.name ?? '', namespace: obj.metadata?.namespace ?? '' },
    });
    const next: KObject = structuredClone(obj);
    next.metadata = { ...next.metadata, resourceVersion: current.metadata?.resourceVersion ?? '' };
    if ('status' in current && !('status' in next)) next['status'] = (current as KObject)['status'];
    try {
      return await api.replace(next, undefined, undefined, fieldManager);
    } catch (e) {
      if (statusOf(e) !== 409 || attempt > 5) throw e;
    }
  }
}
