// The spec reference (docs/spec.md and `kec spec reference`), generated from the schema.
import { SPEC_SCHEMA } from './schema.ts';
import { reference } from './schema-dsl.ts';

export function specReferenceRows(): ReturnType<typeof reference> {
  return reference(SPEC_SCHEMA);
}

export function specReferenceMarkdown(): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '# EdgeNetwork spec reference',
    '',
    '<!-- Generated from src/edgenetwork/schema.ts by `kec spec reference`; do not edit by hand. -->',
    '',
    'A spec is one YAML document. Paths use `[]` for list items. Memory quantities take Kubernetes',
    'suffixes (`512Mi`, `4Gi`, `2G`); CPU quantities are cores (`4`, `1.5`, `500m`).',
    '',
    '| field | type | default | description |',
    '|---|---|---|---|',
    ...specReferenceRows().map(
      (r) => `| \`${r.path}\` | ${r.type.includes('|') ? r.type : esc(r.type)} | ${esc(r.default)} | ${esc(r.doc)} |`,
    ),
    '',
  ].join('\n');
}
