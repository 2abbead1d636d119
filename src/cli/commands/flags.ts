// Flags shared by several commands, spelled as kubectl spells them: -o, the cluster
// connection flags, repeatable options, durations.
import { Option } from 'commander';
import type { Command } from 'commander';
import type { ConnectOptions } from '../../cluster/client.ts';
import { UsageError } from '../../errors.ts';
import type { OutputFormat } from '../../output/io.ts';
import { durationFlag } from '../../util/duration.ts';

/** `-o` values: a data format, or (for commands that write files) a directory. */
export function parseOutputs(values: string[], allowDir: boolean): { format: OutputFormat; dir?: string } {
  let format: OutputFormat = 'human';
  let dir: string | undefined;
  for (const v of values) {
    const word = v.toLowerCase();
    if (word === 'json') format = 'json';
    else if (word === 'yaml' || word === 'yml') format = 'yaml';
    else if (word === 'human' || word === 'text' || word === 'wide') format = 'human';
    else if (allowDir) {
      if (dir !== undefined && dir !== v) throw new UsageError(`-o ${v}: a second output directory (first: ${dir})`);
      dir = v;
    } else throw new UsageError(`-o ${v}: unknown output format; use json or yaml`);
  }
  return dir === undefined ? { format } : { format, dir };
}

/** The format of `-o` for commands that print data only. */
export const formatOf = (values: string[]): OutputFormat => parseOutputs(values, false).format;

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The `-o, --output` option every data-printing command has. */
export const outputOption = (allowDir: boolean): Option =>
  new Option(
    '-o, --output <format>',
    allowDir ? 'json or yaml for data on stdout, or a directory to write (repeatable)' : 'json or yaml',
  )
    .argParser(collect)
    .default([] as string[], 'human-readable');

/** Flags every cluster command takes. */
export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  requestTimeout?: string;
}

export function addClusterFlags(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('-n, --namespace <ns>', 'Cilium namespace (default: from the spec, else kube-system)')
    .option(
      '--request-timeout <duration>',
      'how long to wait for each API request (30s, 2m, or seconds; 0: no limit)',
      '30s',
    );
}

export function connectOptions(f: ClusterFlags): ConnectOptions {
  const o: ConnectOptions = {};
  if (f.kubeconfig !== undefined) o.kubeconfig = f.kubeconfig;
  if (f.context !== undefined) o.context = f.context;
  if (f.requestTimeout !== undefined) {
    const ms = durationFlag('--request-timeout', f.requestTimeout, { allowZero: true });
    if (ms > 0) o.timeoutMs = ms;
  }
  return o;
}

/** A duration flag such as --timeout (10m, 90s, or bare seconds), in seconds; InputError naming the flag otherwise. */
export function secondsFlag(flag: string, value: string): number {
  return durationFlag(flag, value) / 1000;
}

/** Keeps only the keys whose value is defined: flags (optional, may be undefined) → options (exactOptionalPropertyTypes). */
export function defined<T extends object>(
  o: T,
): { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
} {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}

/** A positive whole number from a flag; UsageError naming the flag otherwise. */
export function countFlag(flag: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UsageError(`${flag} ${value}: expected a positive whole number`);
  return Number(value);
}
