// kec spec reference [-o json]
import type { Io, OutputFormat } from '../io.ts';
import { specReferenceMarkdown, specReferenceRows } from '../../spec/reference.ts';
import { toYaml } from '../../output/yaml.ts';

export function specReferenceCommand(io: Io, format: OutputFormat): number {
  if (format === 'json') io.out(JSON.stringify(specReferenceRows(), null, 2));
  else if (format === 'yaml') io.out(toYaml(specReferenceRows()));
  else io.out(specReferenceMarkdown());
  return 0;
}
