// Edits cloudcore.yaml (the `cloudcore.yaml` key of ConfigMap kubeedge/cloudcore) in place:
// sets the module switches kec needs and keeps every other key, comment and the order.
import { isMap, parseDocument } from 'yaml';
import { CLOUDCORE } from '../../knowledge/kubeedge.ts';
import { InputError } from '../../errors.ts';

export interface ConfigEdit {
  text: string;
  /** Dotted keys whose value changed, e.g. ["modules.dynamicController.enable"]. */
  changed: string[];
}

/** Sets `path` = value in a YAML text; returns the new text and what changed. */
export function setYamlKeys(
  text: string,
  sets: Array<{ path: readonly string[]; value: unknown }>,
  what: string,
): ConfigEdit {
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length) throw new InputError(`${what} is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  if (!isMap(doc.contents)) throw new InputError(`${what} is not a YAML mapping`);
  const changed: string[] = [];
  for (const { path, value } of sets) {
    if (doc.getIn(path) !== value) {
      doc.setIn(path, value);
      changed.push(path.join('.'));
    }
  }
  return { text: changed.length ? doc.toString({ lineWidth: 0 }) : text, changed };
}

/** cloudcore.yaml with dynamicController and cloudStream enabled. */
export function enableCloudcoreModules(text: string): ConfigEdit {
  return setYamlKeys(
    text,
    [
      { path: CLOUDCORE.keys.dynamicControllerEnable, value: true },
      { path: CLOUDCORE.keys.cloudStreamEnable, value: true },
    ],
    `ConfigMap ${CLOUDCORE.configMap} key ${CLOUDCORE.configKey}`,
  );
}
