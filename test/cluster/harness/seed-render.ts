// The harness's Cilium seed is what the real chart renders: `helm template` of the real
// cilium-1.19.6.tgz with its default values, as `helm install cilium -n kube-system` would
// create it. Secrets are left out of the committed seed: the chart generates a new CA and
// Hubble server certificate on every render (genCA), and private keys do not belong in the
// repository; the agent mounts both as optional. test/cluster/manifests/20-cilium.yaml is
// written by `node scripts/gen-harness-seed.ts` and checked against a fresh rendering by
// chart-template.itest.ts.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import { upstream } from '../../paths.ts';
import { K8S_VERSION } from './paths.ts';

export const SEED_CILIUM_VERSION = '1.19.6';

const HEADER = [
  `# The real Cilium ${SEED_CILIUM_VERSION} chart as a plain \`helm install cilium -n kube-system\` renders it`,
  `# (default values; Kubernetes ${K8S_VERSION}), Secrets left out (generated keys; mounted optional).`,
  '# Written by `node scripts/gen-harness-seed.ts`; chart-template.itest.ts checks it against a fresh',
  '# rendering. The seed deliberately has no edge-excluding affinity: `kec install` adds it.',
  '',
].join('\n');

/** Renders the seed's Cilium objects with the given helm binary, as the YAML text committed. */
export async function renderCiliumSeed(helm: string): Promise<string> {
  const tgz = upstream('cilium-chart', SEED_CILIUM_VERSION, `cilium-${SEED_CILIUM_VERSION}.tgz`);
  const { stdout } = await promisify(execFile)(
    helm,
    ['template', 'cilium', tgz, '-n', 'kube-system', '--kube-version', K8S_VERSION],
    { maxBuffer: 32 << 20 },
  );
  const objects = parseAllDocuments(stdout)
    .map((d) => d.toJS() as { kind?: string } | null)
    .filter((o): o is { kind: string } => o !== null && typeof o === 'object' && typeof o.kind === 'string')
    .filter((o) => o.kind !== 'Secret');
  return HEADER + objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}
