// Flags shared by several commands, spelled as kubectl spells them: -o, the cluster
// connection flags, repeatable options, durations.
import { Option } from 'commander';
import type { Command } from 'commander';
import type { ConnectOptions } from '../../cluster/client.ts';
import { UsageError } from '../../errors.ts';
import type { OutputFormat } from '../../output/io.ts';
import { durationFlag } from '../../util/duration.ts';

/** `-o` values: kubectl's output formats (the last one wins). */
export function parseOutputs(values: string[], opts: { dirFlag?: string } = {}): OutputFormat {
  let format: OutputFormat = 'human';
  for (const v of values) {
    const word = v.replace(/^=/, '').toLowerCase();
    if (word === 'json') format = 'json';
    else if (word === 'yaml' || word === 'yml') format = 'yaml';
    else if (word === 'human' || word === 'text' || word === 'wide') format = 'human';
    else {
      const near = ['json', 'yaml'].find((f) => editDistance(word, f) <= 2);
      const hint =
        near !== undefined
          ? ` (did you mean ${near}?)`
          : opts.dirFlag !== undefined
            ? `; to write files to a directory use ${opts.dirFlag} ${v}`
            : '';
      throw new UsageError(`-o ${v}: unknown output format; use json or yaml${hint}`);
    }
  }
  return format;
}

/** Levenshtein distance of two short words (typo hints). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

/** The format of `-o` for commands that print data only. */
export const formatOf = (values: string[]): OutputFormat => parseOutputs(values);

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The `-o, --output` option every data-printing command has. */
export const outputOption = (): Option =>
  new Option('-o, --output <format>', 'json or yaml').argParser(collect).default([] as string[], 'human-readable');

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

/** kubectl's --dry-run: alone, or =server / =client (both: change nothing), or =none. */
export const dryRunOption = (what: string): Option =>
  new Option('--dry-run [mode]', `${what} (kubectl's server|client|none accepted)`);

export function dryRunFlag(value: string | boolean | undefined): boolean {
  if (value === undefined || value === false) return false;
  if (value === true) return true;
  const v = value.replace(/^=/, '').toLowerCase();
  if (v === 'server' || v === 'client' || v === 'true') return true;
  if (v === 'none' || v === 'false') return false;
  throw new UsageError(`--dry-run=${value}: expected server, client or none`);
}

/**
 * kubectl accepts `-n=ns` and `-o=json`; commander would take "=ns" as the value. Short options
 * written with "=" are split before parsing (up to a "--").
 */
export function splitShortOptionValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  let rest = false;
  for (const a of argv) {
    if (rest || a === '--') {
      rest = true;
      out.push(a);
      continue;
    }
    const m = /^(-[A-Za-z])=(.*)$/s.exec(a);
    if (m) out.push(m[1]!, m[2]!);
    else out.push(a);
  }
  return out;
}
