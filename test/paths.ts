// Where tests find the project and the shared folder (../shared beside the checkout).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED = process.env['KEC_SHARED'] ?? resolve(ROOT, '..', 'shared');
export const SHARED_FIXTURES = join(SHARED, 'fixtures');
export const CHART_DIR = join(SHARED, 'upstream', 'cilium-chart');
export const EXAMPLES = join(ROOT, 'examples');
export const KEC_BIN = join(ROOT, 'dist', 'kec.mjs');

if (!existsSync(SHARED)) {
  throw new Error(`tests need the shared folder at ${SHARED} (set KEC_SHARED to override)`);
}
