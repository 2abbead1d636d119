// Where the harness keeps its binaries, caches and per-cluster state.
// The cache lives outside the clone (CI runs on fresh clones of the same machine).
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Kubernetes and kwok versions; build.sh and build/go.mod pin the same (paths.test.ts checks). */
export const K8S_VERSION = 'v1.36.3';
export const KWOK_VERSION = 'v0.8.0';
/** helm is built too (not a daemon): tests of Helm-managed Cilium run the real client. */
export const HELM_VERSION = 'v3.22.0';

export const HARNESS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BUILD_SCRIPT = join(HARNESS_DIR, 'build.sh');
export const MANIFESTS_DIR = join(HARNESS_DIR, 'manifests');
export const KWOK_STAGES = join(HARNESS_DIR, 'kwok', 'stages.yaml');

export function cacheDir(): string {
  return process.env['KEC_CACHE_DIR'] ?? join(homedir(), '.cache', 'kec-harness');
}

export function binDir(): string {
  return join(cacheDir(), `bin-${K8S_VERSION}`);
}

export const BINARIES = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
  'kwok',
  'helm',
] as const;
export type Binary = (typeof BINARIES)[number];

export function binPath(name: Binary): string {
  return join(binDir(), name);
}
