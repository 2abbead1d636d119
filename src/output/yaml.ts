// YAML output with stable formatting (block style, no line folding, no anchors).
import { stringify } from 'yaml';

export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false, indentSeq: true });
}

/** Several documents in one stream. */
export function toYamlStream(values: unknown[]): string {
  return values.map((v) => `---\n${toYaml(v)}`).join('');
}

/** A comment block; each line prefixed with "# ". */
export function yamlComment(lines: string[]): string {
  return lines.map((l) => (l ? `# ${l}` : '#')).join('\n') + '\n';
}
