// Regenerates test/cluster/manifests/20-cilium.yaml from the real Cilium chart package with the
// harness's helm (start the harness once so that it is built). See test/cluster/harness/seed-render.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binPath, MANIFESTS_DIR } from '../test/cluster/harness/paths.ts';
import { renderCiliumSeed } from '../test/cluster/harness/seed-render.ts';

const out = join(MANIFESTS_DIR, '20-cilium.yaml');
writeFileSync(out, await renderCiliumSeed(binPath('helm')));
console.log(`wrote ${out}`);
