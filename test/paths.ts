// Where tests find the project, its fixtures and the large upstream artifacts.
// Small fixtures live in test/fixtures/ (PROVENANCE.md says where each came from). Large
// upstream artifacts (the real Cilium charts, KubeEdge binaries) stay outside the repository:
// KEC_UPSTREAM_DIR, default ../shared/upstream beside the checkout. Nothing here throws at
// import; a test that needs a missing artifact fails with one line naming it (upstream()).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
/** @deprecated the fixtures copied from ../shared/fixtures now live in test/fixtures: use FIXTURES. */
export const SHARED_FIXTURES = FIXTURES;
export const UPSTREAM_DIR = resolve(process.env['KEC_UPSTREAM_DIR'] ?? join(ROOT, '..', 'shared', 'upstream'));
export const CHART_DIR = join(UPSTREAM_DIR, 'cilium-chart');
export const EXAMPLES = join(ROOT, 'examples');
export const KEC_BIN = join(ROOT, 'dist', 'kec.mjs');

/** The path of an upstream artifact under KEC_UPSTREAM_DIR; an Error naming what to fetch when it is missing. */
export function upstream(...parts: string[]): string {
  const path = join(UPSTREAM_DIR, ...parts);
  if (!existsSync(path)) {
    throw new Error(
      `missing upstream artifact ${parts.join('/')}: expected at ${path} (put the shared folder's upstream/ there, or set KEC_UPSTREAM_DIR)`,
    );
  }
  return path;
}

/** The chart directory of one Cilium version (values.yaml, values.schema.json, cilium-<v>.tgz). */
export const chartDir = (version: string): string => upstream('cilium-chart', version);
