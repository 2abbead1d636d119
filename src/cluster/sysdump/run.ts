// kec sysdump [-f SPEC] [-o FILE.tar.gz] [-o json]: loaded lazily by the CLI.
// The archive holds objects, logs, kec-state, the status and diagnose reports, and
// errors.json listing what could not be collected. Secrets are never included.
import { open, rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Io } from '../../output/io.ts';
import type { ConnectOptions } from '../client.ts';
import type { ObjectReader, PodExec, PodLogs } from '../types.ts';
import { InputError } from '../../errors.ts';
import { VERSION } from '../../version.ts';
import { redactObject } from '../redact.ts';
import { errorText } from '../snapshot/collect.ts';
import { buildStatusReport, DEFAULT_OFFLINE_GRACE_MS } from '../status/report.ts';
import { connectCluster, resolveTarget } from '../snapshot/target.ts';
import { collectDiagnose } from '../diagnose/collect.ts';
import { runRules } from '../diagnose/diagnose-rules.ts';
import type { CollectError } from '../snapshot/state.ts';
import type { DumpFile, DumpTask } from './collect.ts';
import { listDumpPods, objectTasks, podTasks, runTasks } from './collect.ts';
import { TarGzWriter } from './tar.ts';
import { emit } from '../../output/emit.ts';

export interface SysdumpCommandOptions {
  file?: string;
  namespace?: string;
  /** -o values: json|yaml (summary on stdout) and/or the archive path. */
  output: string[];
  connect: ConnectOptions;
  concurrency?: number;
  logLines?: number;
  exec?: boolean;
  cluster?: ObjectReader & PodLogs & PodExec;
  now?: () => number;
}

export interface SysdumpSummary {
  archive: string;
  files: number;
  bytes: number;
  errors: CollectError[];
  ok: boolean;
}

function stamp(t: number): string {
  return new Date(t).toISOString().replace(/[-:]/g, '').replace(/\..*$/, 'Z');
}

export async function sysdumpCommand(io: Io, opts: SysdumpCommandOptions): Promise<number> {
  let format: 'human' | 'json' | 'yaml' = 'human';
  let path: string | undefined;
  for (const v of opts.output) {
    if (v === 'json' || v === 'yaml') format = v;
    else path = v;
  }
  const now = opts.now ?? Date.now;
  const started = now();
  const archive = resolve(io.cwd, path ?? `kec-sysdump-${stamp(started)}.tar.gz`);
  if (!/\.(tar\.gz|tgz)$/.test(archive))
    throw new InputError(`-o ${path ?? archive}: the archive name must end in .tar.gz or .tgz`);
  const concurrency = opts.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new InputError(`--concurrency ${String(opts.concurrency)}: use 1 to 64`);
  const logLines = opts.logLines ?? 2000;
  if (!Number.isInteger(logLines) || logLines < 1)
    throw new InputError(`--log-lines ${String(opts.logLines)}: use a positive number`);

  const target = await resolveTarget(io, { file: opts.file, namespace: opts.namespace, connect: opts.connect });
  const cluster = opts.cluster ?? (await connectCluster(opts.connect));
  const o = {
    namespace: target.namespace,
    kubeedgeNamespace: target.kubeedgeNamespace,
    logLines,
    exec: opts.exec !== false,
    timeoutMs: 15_000,
  };

  await refuseForeignFile(archive, path ?? archive);
  const partial = `${archive}.partial`;
  let tar: TarGzWriter;
  try {
    tar = new TarGzWriter(partial, started);
    await tar.add(
      'README.txt',
      `kec sysdump ${VERSION}, collected ${new Date(started).toISOString()}\nSecrets are never collected; tokens, certificates and keys are redacted.\nerrors.json lists what could not be collected.\n`,
    );
  } catch (e) {
    throw new InputError(`-o ${path ?? archive}: cannot write: ${(e as Error).message}`);
  }
  const progress = (done: number, total: number, what: string, error?: string): void => {
    if (format === 'human')
      io.err(io.color.dim(`[${done}/${total}] ${what}${error ? io.color.red(` failed: ${error}`) : ''}`));
  };
  const sink = (f: DumpFile): Promise<string> => tar.add(f.path, f.content);

  const errors: CollectError[] = [];
  // Whatever fails from here on, no half-written archive is left behind.
  let files: Array<{ bytes: number }>;
  try {
    const { pods, nodes } = await listDumpPods(cluster, o, errors);
    const reportTask: DumpTask = {
      what: 'status and diagnose reports',
      async run() {
        const state = await collectDiagnose(cluster, { target, nodeReports: [], exec: false, logs: false, now });
        const status = buildStatusReport(state.status, { now: now(), offlineGraceMs: DEFAULT_OFFLINE_GRACE_MS });
        return [
          { path: 'reports/status.json', content: `${JSON.stringify(redactObject(status), null, 2)}\n` },
          { path: 'reports/diagnose.json', content: `${JSON.stringify(redactObject(runRules(state)), null, 2)}\n` },
        ];
      },
    };
    const tasks = [...objectTasks(cluster, o), reportTask, ...podTasks(cluster, pods, nodes, o)];
    const result = await runTasks(tasks, concurrency, sink, progress);
    errors.push(...result.errors);
    files = result.files;
    await tar.add('errors.json', `${JSON.stringify(errors, null, 2)}\n`);
    await tar.add(
      'manifest.json',
      `${JSON.stringify(
        {
          kec: VERSION,
          collectedAt: new Date(started).toISOString(),
          durationMs: now() - started,
          namespace: o.namespace,
          kubeedgeNamespace: o.kubeedgeNamespace,
          files: result.files,
          errors: errors.length,
        },
        null,
        2,
      )}\n`,
    );
    await tar.close();
    await rename(partial, archive);
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  }
  const summary: SysdumpSummary = {
    archive,
    files: files.length + 3,
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    errors,
    ok: errors.length === 0,
  };
  if (format !== 'human') emit(io, format, summary);
  else {
    io.out(`Wrote ${archive} (${summary.files} files)`);
    if (errors.length) {
      io.out(
        io.color.red(`${errors.length} item${errors.length === 1 ? '' : 's'} not collected (listed in errors.json):`),
      );
      for (const e of errors.slice(0, 20)) io.out(`  ${e.what}: ${e.error}`);
      if (errors.length > 20) io.out(`  ... and ${errors.length - 20} more`);
    }
  }
  return errors.length ? 1 : 0;
}

/** -o names an existing file: replaced only when it is a gzip archive (an earlier sysdump), never anything else. */
async function refuseForeignFile(archive: string, shown: string): Promise<void> {
  let head: Buffer;
  try {
    const fh = await open(archive, 'r');
    try {
      head = Buffer.alloc(2);
      await fh.read(head, 0, 2, 0);
    } finally {
      await fh.close();
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'EISDIR') throw new InputError(`-o ${shown} is a directory; give a file name`);
    throw new InputError(`-o ${shown}: ${errorText(e)}`);
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b)
    throw new InputError(`-o ${shown} exists and is not a sysdump archive; move it away or choose another name`);
}
