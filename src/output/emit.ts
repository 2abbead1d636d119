// One way to print a command's data: JSON or YAML for machines, the human form otherwise.
import type { Io, OutputFormat } from './io.ts';
import { toYaml } from './yaml.ts';

/** `data` as JSON or YAML text (the human form is the caller's). */
export function serialize(format: 'json' | 'yaml', data: unknown, compact = false): string {
  return format === 'yaml' ? toYaml(data) : compact ? JSON.stringify(data) : JSON.stringify(data, null, 2);
}

/**
 * Prints `data` in `format`; `human` renders it for people and is only called for the human
 * form (without one, people get the data as YAML).
 */
export function emit(
  io: Io,
  format: OutputFormat,
  data: unknown,
  human = (): string => toYaml(data),
  opts: { compact?: boolean } = {},
): void {
  io.out(format === 'human' ? human() : serialize(format, data, opts.compact === true));
}
