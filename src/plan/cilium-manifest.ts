// `kec plan --cilium-manifest`: the output of `helm template` for the Cilium chart, whose
// agent DaemonSet the full edge DaemonSets are derived from.
import { parseAllDocuments } from 'yaml';
import { InputError } from '../errors.ts';
import { checkNesting, withinEngineLimits } from '../util/input.ts';
import { findCiliumDaemonSet } from './plan.ts';

/** The objects of a rendered chart; InputError naming `--cilium-manifest FILE` when unusable. */
export function parseCiliumManifest(text: string, file: string): Array<Record<string, unknown>> {
  checkNesting(text, `--cilium-manifest ${file}`);
  const docs = withinEngineLimits(`--cilium-manifest ${file}`, () => parseAllDocuments(text));
  const bad = docs.flatMap((d) => d.errors);
  if (bad.length)
    throw new InputError(`--cilium-manifest ${file} is not valid YAML: ${bad[0]!.message.split('\n')[0]}`);
  const objects = docs
    .map((d) => withinEngineLimits(`--cilium-manifest ${file}`, () => d.toJS({ maxAliasCount: 1000 }) as unknown))
    .filter((o): o is Record<string, unknown> => o !== null && typeof o === 'object' && !Array.isArray(o));
  if (!findCiliumDaemonSet(objects)) {
    throw new InputError(
      `--cilium-manifest ${file} has no DaemonSet named cilium; pass the output of helm template for the Cilium chart`,
    );
  }
  return objects;
}
