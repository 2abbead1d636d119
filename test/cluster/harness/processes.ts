// Starts the harness daemons in their own process groups, records them in a pid file,
// stops them (SIGTERM, then SIGKILL) and finds anything left behind.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Every harness process carries this variable; leftovers are found by it in /proc. */
export const INSTANCE_ENV = 'KEC_HARNESS_INSTANCE';

export interface DaemonRecord {
  name: string;
  pid: number;
  log: string;
}

export interface Daemon extends DaemonRecord {
  /** Resolves with the exit code/signal when the process ends. */
  exited: Promise<string>;
  hasExited: () => boolean;
}

const PIDS_FILE = 'pids.json';

export function readPids(dir: string): DaemonRecord[] {
  const file = join(dir, PIDS_FILE);
  if (!existsSync(file)) return [];
  return JSON.parse(readFileSync(file, 'utf8')) as DaemonRecord[];
}

function writePids(dir: string, records: DaemonRecord[]): void {
  writeFileSync(join(dir, PIDS_FILE), JSON.stringify(records, null, 2));
}

export function startDaemon(opts: {
  dir: string;
  instanceId: string;
  name: string;
  bin: string;
  args: string[];
}): Daemon {
  const log = join(opts.dir, 'logs', `${opts.name}.log`);
  const fd = openSync(log, 'a');
  const child = spawn(opts.bin, opts.args, {
    cwd: opts.dir,
    detached: true, // own process group: stop() signals the whole group
    stdio: ['ignore', fd, fd],
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: opts.dir, [INSTANCE_ENV]: opts.instanceId },
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${opts.name} (${opts.bin})`);
  child.unref();
  let done = false;
  const exited = new Promise<string>((resolve) => {
    child.on('exit', (code, signal) => {
      done = true;
      resolve(signal ?? `exit code ${code ?? '?'}`);
    });
    child.on('error', (err) => {
      done = true;
      resolve(err.message);
    });
  });
  const record = { name: opts.name, pid: child.pid, log };
  writePids(opts.dir, [...readPids(opts.dir).filter((r) => r.name !== opts.name), record]);
  return { ...record, exited, hasExited: () => done };
}

/**
 * True while a process of group pgid is alive. Zombies do not count: daemons started by a
 * CLI that has exited are reaped by PID 1, which may take seconds to do so.
 */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[2] === String(pgid) && fields[0] !== 'Z') return true;
    } catch {
      // gone while scanning
    }
  }
  return false;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Stops one daemon's process group (SIGTERM, SIGKILL after graceMs). True when SIGKILL was needed. */
async function stopGroup(r: DaemonRecord, graceMs: number): Promise<boolean> {
  if (!groupAlive(r.pid)) return false;
  signalGroup(r.pid, 'SIGTERM');
  const t = Date.now();
  while (groupAlive(r.pid) && Date.now() < t + graceMs) await sleep(50);
  if (process.env['KEC_HARNESS_DEBUG'] === '1') console.error(`harness: ${r.name} stopped after ${Date.now() - t} ms`);
  if (!groupAlive(r.pid)) return false;
  signalGroup(r.pid, 'SIGKILL');
  while (groupAlive(r.pid)) await sleep(20);
  return true;
}

/** Stops one recorded daemon and drops it from the pid file. */
export async function stopDaemon(dir: string, record: DaemonRecord, graceMs = 10_000): Promise<void> {
  await stopGroup(record, graceMs);
  writePids(
    dir,
    readPids(dir).filter((r) => r.pid !== record.pid),
  );
}

/** Stops every recorded daemon, newest first. Returns the names that needed SIGKILL. */
export async function stopDaemons(dir: string, graceMs = 10_000): Promise<string[]> {
  const killed: string[] = [];
  for (const r of readPids(dir).reverse()) {
    if (await stopGroup(r, graceMs)) killed.push(r.name);
  }
  writePids(dir, []);
  return killed;
}

/** Synchronous last resort (process 'exit' handlers cannot await): SIGKILL every group. */
export function killDaemonsSync(dir: string): void {
  for (const r of readPids(dir)) signalGroup(r.pid, 'SIGKILL');
}

/** Live (non-zombie) processes whose environment names this harness instance. */
export function findLeftovers(instanceId: string): { pid: number; cmd: string }[] {
  const needle = `${INSTANCE_ENV}=${instanceId}\0`;
  const found: { pid: number; cmd: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'latin1') + '\0';
      if (!env.includes(needle)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      if (/\) Z /.test(stat)) continue;
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0').join(' ').trim();
      found.push({ pid: Number(entry), cmd });
    } catch {
      // process ended while scanning, or not ours to read
    }
  }
  return found;
}
