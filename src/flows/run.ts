// kec flows summarize: stream Hubble JSON lines from a file or stdin into the summariser,
// per edge group when the spec and node labels are given; --follow refreshes the summary.
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Io, OutputFormat } from '../output/io.ts';
import { emit } from '../output/emit.ts';
import { loadSpecOrFail } from '../edgenetwork/load.ts';
import type { EdgeGroup } from '../edgenetwork/types.ts';
import { InputError, UsageError } from '../errors.ts';
import { forEachLine, MAX_LINE } from './lines.ts';
import { makeGrouper, parseNodeLabels } from './grouping.ts';
import type { NodeLabels } from './grouping.ts';
import { FlowSummarizer } from './summarize.ts';
import type { BreakdownBy } from './summarize.ts';
import { renderSummary } from './render.ts';

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

async function openInput(
  input: string | undefined,
  io: Io,
  stdin: FlowsOptions['stdin'],
): Promise<AsyncIterable<Buffer | string>> {
  if (input === undefined || input === '-') {
    const s = stdin ?? process.stdin;
    if (s.isTTY)
      throw new UsageError('no flows on stdin; pipe `hubble observe -o json` into kec flows summarize, or name a file');
    return s;
  }
  const path = resolve(io.cwd, input);
  try {
    const st = await stat(path);
    if (st.isDirectory())
      throw new InputError(`cannot read flows ${input}: is a directory, expected a file of Hubble JSON lines`);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      `cannot read flows ${input}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`,
    );
  }
  return createReadStream(path, { highWaterMark: 1 << 20 });
}

async function loadGroups(io: Io, spec: string | undefined): Promise<EdgeGroup[] | undefined> {
  if (spec === undefined) return undefined;
  return (await loadSpecOrFail(io, spec, 'run kec validate -f ' + spec)).value.spec.edgeGroups;
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
  emit(io, format, summary, () => renderSummary(summary, io.color, top), { compact });
}

/** `-f FLOWS` (an easy slip: kubectl's -f is "the file"): -f is the spec here; flows are the argument. */
async function refuseFlowsAsSpec(opts: FlowsOptions, io: Io): Promise<void> {
  if (opts.spec === undefined || opts.input !== undefined) return;
  let head: string;
  try {
    const fh = await open(resolve(io.cwd, opts.spec), 'r');
    try {
      const buf = Buffer.alloc(4096);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await fh.close();
    }
  } catch {
    return; // loading the spec reports an unreadable file
  }
  if (/^\s*\{/.test(head) && /"(flow|verdict|Type|time)"/.test(head)) {
    throw new UsageError(
      `-f ${opts.spec} looks like Hubble flows: -f names the EdgeNetwork spec; pass the flows as the argument (kec flows summarize ${opts.spec})`,
    );
  }
}

export async function flowsSummarizeCommand(io: Io, opts: FlowsOptions): Promise<number> {
  await refuseFlowsAsSpec(opts, io);
  const [groups, nodes] = await Promise.all([loadGroups(io, opts.spec), loadNodes(opts.nodes, io)]);
  if (groups && !nodes && opts.by === 'group') {
    io.err(
      io.color.yellow(
        "note: flows name only their node; pass --nodes (kubectl get nodes -o json) to map nodes to the spec's edge groups. Showing per node.",
      ),
    );
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
    await forEachLine(input, (line, n) => summarizer.addLine(line, n), {
      onOverlong: (n) => summarizer.addOverlong(n, MAX_LINE),
    });
  } catch (e) {
    throw new InputError(`reading flows from ${opts.input ?? 'stdin'} failed: ${(e as Error).message}`);
  } finally {
    if (timer) clearInterval(timer);
  }
  print(io, opts.format, summarizer, opts.top, opts.follow);
  return 0;
}
