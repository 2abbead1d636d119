// kec node rollback [--to ID]: restore what a transaction (or every transaction from ID
// on, newest first) changed, byte for byte and with the original mode. Checks every
// file first and refuses if one was changed by someone else since (unless --force).
import { existsSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CheckFailedError, InputError } from '../errors.ts';
import { atomicRename, atomicWriteFile, fsyncDir, removeStaleTemps } from './atomic.ts';
import type { FsRoot } from './fsroot.ts';
import type { Entry, Manifest } from './journal.ts';
import { listTransactions, markRolledBack, sha256 } from './journal.ts';
import { step } from './step-hook.ts';

export interface RollbackAction {
  transaction: string;
  path: string;
  action: 'restored' | 'removed' | 'renamed back' | 'sysctl restored' | 'unchanged';
}

export interface RollbackResult {
  transactions: string[];
  actions: RollbackAction[];
  dryRun: boolean;
}

function current(real: string): Buffer | undefined {
  try {
    return readFileSync(real);
  } catch {
    return undefined;
  }
}

type Plan = { entry: Entry; act: RollbackAction['action']; conflict?: string };

function planEntry(fs: FsRoot, e: Entry, force: boolean): Plan {
  if (e.kind === 'sysctl') {
    if (!fs.isHost) return { entry: e, act: 'unchanged' };
    const now = fs.readText(`/proc/sys/${e.key.replace(/\./g, '/')}`)?.trim();
    return { entry: e, act: now === e.before ? 'unchanged' : 'sysctl restored' };
  }
  if (e.kind === 'write') {
    const cur = current(fs.path(e.path));
    const curSha = cur ? sha256(cur) : undefined;
    if (
      e.existed ? curSha === e.beforeSha256 && (statSync(fs.path(e.path)).mode & 0o7777) === e.mode : cur === undefined
    )
      return { entry: e, act: 'unchanged' };
    const ok = curSha === e.afterSha256 || (e.existed && curSha === e.beforeSha256) || force;
    const act = e.existed ? 'restored' : 'removed';
    return ok
      ? { entry: e, act }
      : {
          entry: e,
          act,
          conflict: `${e.path} changed since kec wrote it (sha256 ${curSha?.slice(0, 12) ?? 'missing'})`,
        };
  }
  const here = current(fs.path(e.path));
  const there = current(fs.path(e.to));
  if (here && !there) return { entry: e, act: 'unchanged' };
  if (!here && there && (sha256(there) === e.sha256 || force)) return { entry: e, act: 'renamed back' };
  if (!here && !there) return { entry: e, act: 'restored' };
  return {
    entry: e,
    act: 'renamed back',
    conflict: here ? `both ${e.path} and ${e.to} exist` : `${e.to} changed since kec renamed it`,
  };
}

function undo(fs: FsRoot, journal: string, m: Manifest, p: Plan): void {
  const e = p.entry;
  if (e.kind !== 'sysctl') removeStaleTemps(fs.path(e.path));
  if (p.act === 'unchanged') return;
  if (e.kind === 'sysctl') {
    writeFileSync(`/proc/sys/${e.key.replace(/\./g, '/')}`, `${e.before}\n`);
    return;
  }
  const real = fs.path(e.path);
  if (e.kind === 'rename') {
    if (p.act === 'renamed back') atomicRename(fs.path(e.to), real);
    else atomicWriteFile(real, readFileSync(join(journal, m.id, e.backup)), { mode: e.mode });
    chmodSync(real, e.mode);
    return;
  }
  if (!e.existed || !e.backup) {
    rmSync(real, { force: true });
    step();
    fsyncDir(dirname(real));
    return;
  }
  atomicWriteFile(real, readFileSync(join(journal, m.id, e.backup)), {
    mode: e.mode,
    ...(e.uid !== undefined && e.gid !== undefined ? { uid: e.uid, gid: e.gid } : {}),
  });
}

export function rollback(
  fs: FsRoot,
  journal: string,
  opts: { to?: string; force?: boolean; dryRun?: boolean } = {},
): RollbackResult {
  const all = listTransactions(journal);
  const live = all.filter((m) => m.status !== 'rolled-back');
  let targets: Manifest[];
  if (opts.to !== undefined) {
    const idx = all.findIndex((m) => m.id === opts.to);
    if (idx < 0) {
      throw new InputError(
        `--to ${opts.to}: no such transaction in ${journal}`,
        all.length ? all.map((m) => `${m.id}  ${m.command}  ${m.status}`) : ['(the journal is empty)'],
      );
    }
    targets = live.filter((m) => m.id >= opts.to!);
  } else {
    targets = live.length ? [live[live.length - 1]!] : [];
  }
  targets.reverse();
  const plans = targets.map((m) => ({
    m,
    plans: [...m.entries].reverse().map((e) => planEntry(fs, e, opts.force === true)),
  }));
  const conflicts = plans.flatMap((t) => t.plans.filter((p) => p.conflict).map((p) => `${t.m.id}: ${p.conflict!}`));
  if (conflicts.length)
    throw new CheckFailedError(
      'rollback refused: files changed after kec changed them (use --force to restore anyway)',
      conflicts,
    );
  const actions: RollbackAction[] = [];
  for (const { m, plans: ps } of plans) {
    for (const p of ps) {
      if (!opts.dryRun) undo(fs, journal, m, p);
      actions.push({ transaction: m.id, path: p.entry.kind === 'sysctl' ? p.entry.key : p.entry.path, action: p.act });
    }
    if (!opts.dryRun) markRolledBack(journal, m);
  }
  return { transactions: targets.map((m) => m.id), actions, dryRun: opts.dryRun === true };
}

export function journalExists(journal: string): boolean {
  return existsSync(journal);
}
