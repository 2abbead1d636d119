// What a mutating command reports: file changes (with diffs in --dry-run) and live actions.
import type { Change } from './journal.ts';
import { unifiedDiff } from '../output/diff.ts';
import type { FsRoot } from './fsroot.ts';
import { UsageError } from '../errors.ts';
import { DEFAULT_JOURNAL } from './journal.ts';

export interface ActionReport {
  kind: 'write' | 'rename' | 'mount' | 'sysctl' | 'restart';
  target: string;
  reason: string;
  /** done, would do (dry run), skipped (and why), or failed. */
  status: 'done' | 'planned' | 'skipped' | 'failed';
  detail?: string;
  diff?: string;
}

export interface ChangeReport {
  command: string;
  root: string;
  dryRun: boolean;
  changed: boolean;
  transaction: string | null;
  journal: string;
  actions: ActionReport[];
  /** What the user should know before relying on the change (e.g. a value it replaced). */
  warnings?: string[];
}

export function describeChange(fs: FsRoot, c: Change, dryRun: boolean): ActionReport {
  if (c.kind === 'rename')
    return {
      kind: 'rename',
      target: c.path,
      reason: c.reason,
      status: dryRun ? 'planned' : 'done',
      detail: `renamed to ${c.to}`,
    };
  const before = fs.readText(c.path);
  return {
    kind: 'write',
    target: c.path,
    reason: c.reason,
    status: dryRun ? 'planned' : 'done',
    ...(dryRun
      ? {
          diff: unifiedDiff(before ?? '', c.after, {
            from: before === undefined ? '/dev/null' : `a${c.path}`,
            to: `b${c.path}`,
          }),
        }
      : {}),
  };
}

export function journalDir(fs: FsRoot, backupDir: string | undefined): string {
  return backupDir ?? fs.path(DEFAULT_JOURNAL);
}

/** Changing the real node needs root; a --root tree or --dry-run does not. */
export function requireRoot(fs: FsRoot, dryRun: boolean, command: string, euid = process.geteuid?.() ?? 0): void {
  if (fs.isHost && !dryRun && euid !== 0) {
    throw new UsageError(
      `kec node ${command} changes system files and must run as root (try sudo, or --dry-run to see the changes)`,
    );
  }
}
