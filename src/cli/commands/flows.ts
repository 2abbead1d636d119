// kec flows summarize [FILE|-] [-f SPEC] [--nodes NODES] [--by …] [--top N] [--follow] [-o json|yaml]
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import type { Io, OutputFormat } from '../io.ts';
import { outputOption, parseOutputs } from '../io.ts';
import type { Registrar } from './index.ts';
import { loadSpec } from '../../spec/load.ts';
import type { EdgeGroup } from '../../spec/types.ts';
import { InputError, UsageError } from '../../errors.ts';
import { forEachLine } from '../../observe/lines.ts';
import { makeGrouper, parseNodeLabels } from '../../observe/grouping.ts';
import type { NodeLabels } from '../../observe/grouping.ts';
import { BREAKDOWNS, FlowSummarizer } from '../../observe/summarize.ts';
import type { BreakdownBy } from '../../observe/summarize.ts';
import { renderSummary } from '../../observe/render.ts';
import { toYaml } from '../../output/yaml.ts';
import { registerMonitoring } from './monitoring.ts';

export interface FlowsOptions {
  input?: string;
  spec?: string;
  nodes?: string;
  by: BreakdownBy;
  top: number;
  follow: boolean;
  intervalMs: number;
  format: OutputFormat;
  /** Standard input (tests pass their own stream). */
  stdin?: AsyncIterable<Buffer | string> & { isTTY?: boolean };
  /** Whether the terminal can be cleared between refreshes in follow mode. */
  tty?: boolean;
}

async function openInput(input: string | undefined, io: Io, stdin: FlowsOptions['stdin']): Promise<AsyncIterable<Buffer | string>> {
  if (input === undefined || input === '-') {
    const s = stdin ?? process.stdin;
    if (s.isTTY) throw new UsageError('no flows on stdin; pipe `hubble observe -o json` into kec flows summarize, or name a file');
    return s;
  }
  const path = resolve(io.cwd, input);
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new InputError(`cannot read flows ${input}: is a directory, expected a file of Hubble JSON lines`);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read flows ${input}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
  }
  return createReadStream(path, { highWaterMark: 1 << 20 });
}

async function loadGroups(spec: string | undefined): Promise<EdgeGroup[] | undefined> {
  if (spec === undefined) return undefined;
  const loaded = await loadSpec(spec);
  if (loaded.errors.length > 0 || !loaded.value) {
    throw new InputError(`${spec}: ${loaded.errors.length} error${loaded.errors.length === 1 ? '' : 's'}; run kec validate -f ${spec}`,
      loaded.errors.slice(0, 5).map((e) => `${e.path}: ${e.message}`));
  }
  return loaded.value.spec.edgeGroups;
}

async function loadNodes(file: string | undefined, io: Io): Promise<NodeLabels | undefined> {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read --nodes ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  return parseNodeLabels(text, file);
}

function print(io: Io, format: OutputFormat, s: FlowSummarizer, top: number, compact = false): void {
  const summary = s.summary();
  if (format === 'json') io.out(compact ? JSON.stringify(summary) : JSON.stringify(summary, null, 2));
  else if (format === 'yaml') io.out(toYaml(summary));
  else io.out(renderSummary(summary, io.color, top));
}

export async function flowsSummarizeCommand(io: Io, opts: FlowsOptions): Promise<number> {
  const [groups, nodes] = await Promise.all([loadGroups(opts.spec), loadNodes(opts.nodes, io)]);
  if (groups && !nodes && opts.by === 'group') {
    io.err(io.color.yellow('note: flows name only their node; pass --nodes (kubectl get nodes -o json) to map nodes to the spec\'s edge groups. Showing per node.'));
  }
  const summarizer = new FlowSummarizer({ by: opts.by, grouper: makeGrouper(groups, nodes), top: opts.top });
  const input = await openInput(opts.input, io, opts.stdin);
  let timer: NodeJS.Timeout | undefined;
  if (opts.follow) {
    timer = setInterval(() => {
      if (opts.format === 'human' && opts.tty) io.out('\u001b[H\u001b[2J');
      else if (opts.format === 'human') io.out(io.color.dim(`--- ${new Date().toISOString()}`));
      print(io, opts.format, summarizer, opts.top, true);
    }, opts.intervalMs);
  }
  try {
    await forEachLine(input, (line, n) => summarizer.addLine(line, n));
  } catch (e) {
    throw new InputError(`reading flows from ${opts.input ?? 'stdin'} failed: ${(e as Error).message}`);
  } finally {
    if (timer) clearInterval(timer);
  }
  print(io, opts.format, summarizer, opts.top, opts.follow);
  return 0;
}

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} ${v}: expected a positive whole number`);
    return n;
  };
}

export const registerFlows: Registrar = (program: Command, io, setExit) => {
  const flows = program.command('flows').description('Hubble flow summaries per edge site');
  flows.command('summarize')
    .description('Summarise Hubble JSON lines (hubble observe -o json): verdicts, drop reasons, policy denies, top talkers, DNS/HTTP, per edge group')
    .argument('[file]', 'file of Hubble JSON lines, or - for stdin (default: stdin)')
    .option('-f, --file <spec>', 'EdgeNetwork spec: group nodes by edgeGroups[].nodeSelector (needs --nodes)')
    .option('--nodes <file>', 'node labels: output of kubectl get nodes -o json (or -o yaml)')
    .addOption(new Option('--by <what>', 'breakdown').choices([...BREAKDOWNS]).default('group'))
    .option('--top <n>', 'length of the top lists', positiveInt('--top'), 10)
    .option('--follow', 'read a live stream (stdin) and print a refreshed summary every --interval', false)
    .option('--interval <seconds>', 'refresh interval for --follow', positiveInt('--interval'), 2)
    .addOption(outputOption(false))
    .action(async (file: string | undefined, o: { file?: string; nodes?: string; by: BreakdownBy; top: number; follow: boolean; interval: number; output: string[] }) => {
      setExit(await flowsSummarizeCommand(io, {
        ...(file !== undefined ? { input: file } : {}),
        ...(o.file !== undefined ? { spec: o.file } : {}),
        ...(o.nodes !== undefined ? { nodes: o.nodes } : {}),
        by: o.by,
        top: o.top,
        follow: o.follow,
        intervalMs: o.interval * 1000,
        format: parseOutputs(o.output, false).format,
        tty: process.stdout.isTTY === true,
      }));
    });
};

/** Both observability command groups: flows and monitoring. */
export const registerObserve: Registrar = (program, io, setExit) => {
  registerFlows(program, io, setExit);
  registerMonitoring(program, io, setExit);
};
