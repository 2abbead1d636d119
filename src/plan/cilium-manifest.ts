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
  const ds = findCiliumDaemonSet(objects);
  if (ds) checkDaemonSetShape(ds, file);
  if (!ds) {
    throw new InputError(
      `--cilium-manifest ${file} has no DaemonSet named cilium; pass the output of helm template for the Cilium chart`,
    );
  }
  return objects;
}

/** The parts of the chart's DaemonSet the edge DaemonSets are derived from must have the right types. */
function checkDaemonSetShape(ds: Record<string, unknown>, file: string): void {
  const where = `--cilium-manifest ${file}: DaemonSet cilium`;
  const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  const spec = ds['spec'];
  if (!isMap(spec)) throw new InputError(`${where}: spec must be a mapping`);
  const template = spec['template'];
  if (!isMap(template)) throw new InputError(`${where}: spec.template must be a mapping`);
  const pod = template['spec'];
  if (!isMap(pod)) throw new InputError(`${where}: spec.template.spec must be a mapping`);
  for (const key of ['containers', 'initContainers', 'volumes'] as const) {
    const v = pod[key];
    if (v === undefined && key !== 'containers') continue;
    if (!Array.isArray(v) || !v.every((c) => isMap(c) && typeof c['name'] === 'string')) {
      throw new InputError(`${where}: spec.template.spec.${key} must be a list of objects with a name`);
    }
  }
}
