// The backups journal: every change kec node makes is recorded before it is made.
// Layout: <dir>/<id>/manifest.json and <dir>/<id>/files/<n> (the bytes before).
// Order of a transaction: back up every original, write the manifest (status
// "prepared"), apply each change atomically, mark "committed". A crash at any point
// leaves each target old or new; a transaction without a manifest changed nothing.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { atomicRename, atomicWriteFile, removeStaleTemps } from './atomic.ts';
import type { FsRoot } from './fsroot.ts';
import { step } from './step-hook.ts';

export const DEFAULT_JOURNAL = '/var/lib/kec/backups';

/** A file change: write new bytes (creating the file if needed), or rename a file away. */
export type Change =
  | { kind: 'write'; path: string; after: string; reason: string; mode?: number }
  | { kind: 'rename'; path: string; to: string; reason: string };

export interface WriteEntry {
  kind: 'write';
  path: string;
  existed: boolean;
  mode: number;
  uid?: number;
  gid?: number;
  beforeSha256?: string;
  afterSha256: string;
  backup?: string;
  reason: string;
}
export interface RenameEntry {
  kind: 'rename';
  path: string;
  to: string;
  mode: number;
  sha256: string;
  backup: string;
  reason: string;
}
/** Live kernel state changed alongside the files (only on the host, never under --root). */
export interface SysctlEntry {
  kind: 'sysctl';
  key: string;
  before: string;
  after: string;
}
export type Entry = WriteEntry | RenameEntry | SysctlEntry;

export interface Manifest {
  id: string;
  command: string;
  createdAt: string;
  root: string;
  status: 'prepared' | 'committed' | 'rolled-back';
  entries: Entry[];
}

export const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

export function newTransactionId(journal: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  let id = `${stamp}-${randomBytes(3).toString('hex')}`;
  while (existsSync(join(journal, id))) id = `${stamp}-${randomBytes(3).toString('hex')}`;
  return id;
}

function writeManifest(journal: string, m: Manifest): void {
  atomicWriteFile(join(journal, m.id, 'manifest.json'), JSON.stringify(m, null, 2) + '\n', { mode: 0o600 });
}

/** Applies file changes inside one journalled transaction; returns its manifest. */
export function applyChanges(
  fs: FsRoot,
  journal: string,
  command: string,
  changes: readonly Change[],
  sysctls: SysctlEntry[] = [],
): Manifest {
  const id = newTransactionId(journal);
  const dir = join(journal, id);
  mkdirSync(join(dir, 'files'), { recursive: true, mode: 0o700 });
  step();
  const entries: Entry[] = [];
  changes.forEach((c, n) => {
    const real = fs.path(c.path);
    let st: ReturnType<typeof statSync> | undefined;
    try {
      st = statSync(real);
    } catch {
      st = undefined;
    }
    const before = st ? readFileSync(real) : undefined;
    const backup = `files/${n}`;
    if (before) atomicWriteFile(join(dir, backup), before, { mode: 0o600 });
    if (c.kind === 'write') {
      entries.push({
        kind: 'write',
        path: c.path,
        existed: before !== undefined,
        mode: st ? st.mode & 0o7777 : (c.mode ?? 0o644),
        ...(st ? { uid: st.uid, gid: st.gid } : {}),
        ...(before ? { beforeSha256: sha256(before), backup } : {}),
        afterSha256: sha256(c.after),
        reason: c.reason,
      });
    } else {
      if (!before || !st) throw new Error(`cannot rename ${c.path}: it does not exist`);
      entries.push({
        kind: 'rename',
        path: c.path,
        to: c.to,
        mode: st.mode & 0o7777,
        sha256: sha256(before),
        backup,
        reason: c.reason,
      });
    }
  });
  const manifest: Manifest = {
    id,
    command,
    createdAt: new Date().toISOString(),
    root: fs.root,
    status: 'prepared',
    entries: [...entries, ...sysctls],
  };
  writeManifest(journal, manifest);
  for (const c of changes) {
    const real = fs.path(c.path);
    removeStaleTemps(real);
    if (c.kind === 'write')
      atomicWriteFile(real, c.after, c.mode !== undefined && !existsSync(real) ? { mode: c.mode } : {});
    else atomicRename(real, fs.path(c.to));
  }
  manifest.status = 'committed';
  writeManifest(journal, manifest);
  return manifest;
}

/** Transactions in the journal, oldest first (directories without a readable manifest are ignored). */
export function listTransactions(journal: string): Manifest[] {
  let names: string[];
  try {
    names = readdirSync(journal);
  } catch {
    return [];
  }
  const out: Manifest[] = [];
  for (const n of names.sort()) {
    try {
      const m = JSON.parse(readFileSync(join(journal, n, 'manifest.json'), 'utf8')) as Manifest;
      if (m.id === n) out.push(m);
    } catch {
      /* killed before its manifest: it changed nothing */
    }
  }
  return out;
}

export function markRolledBack(journal: string, m: Manifest): void {
  writeManifest(journal, { ...m, status: 'rolled-back' });
}
