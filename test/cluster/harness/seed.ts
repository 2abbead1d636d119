// Seed objects that make the harness look like a KubeEdge + Cilium cluster, and the
// reset that brings a used cluster back to exactly that state.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { SHARED_FIXTURES } from '../../paths.ts';
import type { KObject } from './k8s.ts';
import { createOrReplace, isNotFound, objectKey, readYamlObjects } from './k8s.ts';
import { MANIFESTS_DIR } from './paths.ts';
import { waitFor } from './wait.ts';

export const CLOUDCORE_FIXTURE = join(SHARED_FIXTURES, 'kubeedge', 'kubeedge-build-cloud-05-configmap.yaml');
export const CILIUM_CRD_DIR = join(SHARED_FIXTURES, 'cilium-crds');

interface SeedGroup {
  /** Field manager of the tool that creates these objects in a real cluster. */
  manager: string;
  objects: KObject[];
}

/** Helm 3 stamps every object of a release with these. */
function helmOwned(o: KObject): KObject {
  const c = structuredClone(o);
  c.metadata = {
    ...c.metadata,
    labels: { ...c.metadata?.labels, 'app.kubernetes.io/managed-by': 'Helm' },
    annotations: {
      ...c.metadata?.annotations,
      'meta.helm.sh/release-name': 'cilium',
      'meta.helm.sh/release-namespace': 'kube-system',
    },
  };
  return c;
}

/** The seed, in apply order. CRDs are registered by cilium-operator in a real cluster, not by Helm. */
export function seedGroups(): SeedGroup[] {
  const crdFiles = readdirSync(CILIUM_CRD_DIR).filter((f) => f.endsWith('.yaml') && !f.startsWith('upstream-exact'));
  // ciliumpodippools is split in two files (v2 and v2alpha1 versions of one CRD): merge them.
  const crds = new Map<string, KObject>();
  for (const f of crdFiles.sort()) {
    for (const o of readYamlObjects(join(CILIUM_CRD_DIR, f))) {
      const name = o.metadata?.name ?? '';
      const prev = crds.get(name);
      if (prev === undefined) {
        crds.set(name, o);
        continue;
      }
      const spec = prev['spec'] as { versions: { name: string; storage: boolean }[] };
      const more = (o['spec'] as { versions: { name: string; storage: boolean }[] }).versions.filter(
        (v) => !spec.versions.some((p) => p.name === v.name),
      );
      spec.versions.push(...more);
      if (spec.versions.filter((v) => v.storage).length !== 1)
        throw new Error(`CRD ${name}: merged versions need exactly one storage version`);
    }
  }
  const manifest = (f: string): KObject[] => readYamlObjects(join(MANIFESTS_DIR, f));
  return [
    { manager: 'cilium-operator-generic', objects: [...crds.values()] },
    { manager: 'keadm', objects: [...manifest('10-kubeedge.yaml'), ...readYamlObjects(CLOUDCORE_FIXTURE)] },
    { manager: 'helm', objects: manifest('20-cilium.yaml').map(helmOwned) },
  ];
}

export function seedObjects(): KObject[] {
  return seedGroups().flatMap((g) => g.objects);
}

async function waitCrdsEstablished(api: k8s.KubernetesObjectApi, crds: KObject[]): Promise<void> {
  for (const crd of crds) {
    await waitFor(
      `CRD ${crd.metadata?.name ?? ''} Established`,
      async () => {
        const cur = await api.read({
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: crd.metadata?.name ?? '' },
        });
        const conds =
          ((cur as KObject)['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ??
          [];
        return conds.some((c) => c.type === 'Established' && c.status === 'True');
      },
      { timeoutMs: 30_000 },
    );
  }
}

/** Waits until every seeded DaemonSet and Deployment is fully rolled out on the current nodes. */
export async function waitSeedWorkloads(kc: k8s.KubeConfig, timeoutMs = 90_000): Promise<void> {
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const workloads = seedObjects().filter((o) => o.kind === 'DaemonSet' || o.kind === 'Deployment');
  for (const w of workloads) {
    const name = w.metadata?.name ?? '';
    const namespace = w.metadata?.namespace ?? '';
    await waitFor(
      `${w.kind} ${namespace}/${name} rolled out`,
      async () => {
        if (w.kind === 'DaemonSet') {
          const ds = await apps.readNamespacedDaemonSet({ name, namespace });
          const s = ds.status;
          return (
            s !== undefined &&
            (ds.metadata?.generation ?? 0) === (s.observedGeneration ?? -1) &&
            s.desiredNumberScheduled > 0 &&
            s.numberReady === s.desiredNumberScheduled &&
            (s.updatedNumberScheduled ?? 0) === s.desiredNumberScheduled
          );
        }
        const d = await apps.readNamespacedDeployment({ name, namespace });
        const want = d.spec?.replicas ?? 1;
        const s = d.status;
        return (
          s !== undefined &&
          (d.metadata?.generation ?? 0) === (s.observedGeneration ?? -1) &&
          (s.readyReplicas ?? 0) === want &&
          (s.updatedReplicas ?? 0) === want &&
          (s.replicas ?? 0) === want
        );
      },
      { timeoutMs, intervalMs: 300 },
    );
  }
}

/** Creates (or replaces with the exact seed content) every seed object. */
export async function applySeed(kc: k8s.KubeConfig): Promise<void> {
  const api = k8s.KubernetesObjectApi.makeApiClient(kc);
  for (const group of seedGroups()) {
    for (const o of group.objects) await createOrReplace(api, o, group.manager);
    const crds = group.objects.filter((o) => o.kind === 'CustomResourceDefinition');
    if (crds.length > 0) await waitCrdsEstablished(api, crds);
  }
}

/** Kinds the reset compares against the baseline (objects tests are likely to create). */
export const TRACKED_KINDS: { apiVersion: string; kind: string; namespaced: boolean }[] = [
  { apiVersion: 'v1', kind: 'Namespace', namespaced: false },
  { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', namespaced: false },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', namespaced: false },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', namespaced: false },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', namespaced: true },
  { apiVersion: 'apps/v1', kind: 'Deployment', namespaced: true },
  { apiVersion: 'v1', kind: 'ConfigMap', namespaced: true },
  { apiVersion: 'v1', kind: 'Secret', namespaced: true },
  { apiVersion: 'v1', kind: 'ServiceAccount', namespaced: true },
  { apiVersion: 'v1', kind: 'Service', namespaced: true },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', namespaced: true },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', namespaced: true },
  { apiVersion: 'batch/v1', kind: 'Job', namespaced: true },
];

const BASELINE_FILE = 'baseline.json';

export async function listTracked(kc: k8s.KubeConfig): Promise<string[]> {
  const api = k8s.KubernetesObjectApi.makeApiClient(kc);
  const keys: string[] = [];
  for (const t of TRACKED_KINDS) {
    const list = await api.list(t.apiVersion, t.kind);
    for (const item of list.items) keys.push(objectKey({ ...item, apiVersion: t.apiVersion, kind: t.kind }));
  }
  return keys.sort();
}

export async function recordBaseline(kc: k8s.KubeConfig, dir: string): Promise<void> {
  await writeFile(join(dir, BASELINE_FILE), JSON.stringify(await listTracked(kc), null, 1));
}

function parseKey(key: string): { apiVersion: string; kind: string; namespace: string; name: string } {
  const parts = key.split('/');
  const name = parts.pop() ?? '';
  const namespace = parts.pop() ?? '';
  const kind = parts.pop() ?? '';
  return { apiVersion: parts.join('/'), kind, namespace, name };
}

/**
 * Whole-cluster reset: deletes tracked objects that were not there after seeding (namespaces
 * last, waiting until they are gone), deletes every custom resource of the Cilium CRDs, then
 * replaces every seed object with its seed content and waits for the rollouts.
 */
export async function resetToBaseline(kc: k8s.KubeConfig, dir: string): Promise<void> {
  const file = join(dir, BASELINE_FILE);
  if (!existsSync(file)) throw new Error(`no baseline in ${dir}: was the cluster seeded?`);
  const baseline = new Set(JSON.parse(readFileSync(file, 'utf8')) as string[]);
  const api = k8s.KubernetesObjectApi.makeApiClient(kc);
  // Objects controllers create in every namespace are not test leftovers.
  const perNamespace = (o: { kind: string; name: string }): boolean =>
    (o.kind === 'ServiceAccount' && o.name === 'default') || (o.kind === 'ConfigMap' && o.name === 'kube-root-ca.crt');
  const extra = (await listTracked(kc))
    .filter((k) => !baseline.has(k))
    .map(parseKey)
    .filter((o) => !perNamespace(o));
  const del = async (o: { apiVersion: string; kind: string; namespace: string; name: string }): Promise<void> => {
    const metadata = o.namespace === '' ? { name: o.name } : { name: o.name, namespace: o.namespace };
    try {
      await api.delete(
        { apiVersion: o.apiVersion, kind: o.kind, metadata },
        undefined,
        undefined,
        0,
        undefined,
        'Background',
      );
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  };
  for (const o of extra.filter((x) => x.kind !== 'Namespace')) await del(o);

  const custom = k8s.KubernetesObjectApi.makeApiClient(kc);
  for (const crd of seedObjects().filter((o) => o.kind === 'CustomResourceDefinition')) {
    const spec = crd['spec'] as {
      group: string;
      names: { kind: string };
      versions: { name: string; served: boolean }[];
    };
    const version = spec.versions.find((v) => v.served)?.name ?? 'v2';
    const list = await custom.list(`${spec.group}/${version}`, spec.names.kind);
    for (const item of list.items) {
      await del({
        apiVersion: `${spec.group}/${version}`,
        kind: spec.names.kind,
        namespace: item.metadata?.namespace ?? '',
        name: item.metadata?.name ?? '',
      });
    }
  }

  const namespaces = extra.filter((x) => x.kind === 'Namespace');
  for (const ns of namespaces) await del(ns);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await waitFor(
    'test namespaces deleted',
    async () => {
      const names = new Set((await core.listNamespace()).items.map((n) => n.metadata?.name ?? ''));
      return namespaces.every((n) => !names.has(n.name));
    },
    { timeoutMs: 60_000 },
  );

  await applySeed(kc);
}
