// kec node prepare: disable other CNIs' configs, persist the bpffs mount, turn off
// rp_filter for Cilium (drop-in + live values). Journalled and idempotent.
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Change, SysctlEntry } from './journal.ts';
import { applyChanges } from './journal.ts';
import type { FsRoot } from './fsroot.ts';
import { DISABLED_SUFFIX, conflicting, scanCni } from './cni.ts';
import { BPFFS, readMounts } from './host-checks.ts';
import type { ActionReport, ChangeReport } from './changes.ts';
import { describeChange, journalDir, requireRoot } from './changes.ts';

const run = promisify(execFile);

export const FSTAB = '/etc/fstab';
export const FSTAB_LINE = 'bpffs /sys/fs/bpf bpf defaults 0 0';
export const SYSCTL_DROPIN = '/etc/sysctl.d/99-zzz-kec-cilium.conf';
/** Sorted after systemd's 50-default.conf so it wins (cilium#10645; Cilium's sysctlfix does the same for lxc*). */
export const SYSCTL_CONTENT = [
  "# Written by kec node prepare: reverse-path filtering drops traffic on Cilium's",
  '# interfaces (cilium/cilium#10645; systemd >= 245 sets rp_filter=2). Remove with kec node rollback.',
  'net.ipv4.conf.all.rp_filter = 0',
  'net.ipv4.conf.default.rp_filter = 0',
  'net.ipv4.conf.lxc*.rp_filter = 0',
  'net.ipv4.conf.cilium_*.rp_filter = 0',
  '',
].join('\n');
const LIVE_SYSCTLS = ['net.ipv4.conf.all.rp_filter', 'net.ipv4.conf.default.rp_filter'];

export function fstabHasBpffs(text: string): boolean {
  return text.split('\n').some((l) => {
    const f = l.trim().split(/\s+/);
    return !l.trim().startsWith('#') && f[1] === BPFFS && f[2] === 'bpf';
  });
}

export function prepareChanges(fs: FsRoot): Change[] {
  const changes: Change[] = [];
  for (const c of conflicting(scanCni(fs) ?? [])) {
    let to = `${c.path}${DISABLED_SUFFIX}`;
    for (let n = 1; existsSync(fs.path(to)); n++) to = `${c.path}${DISABLED_SUFFIX}.${n}`;
    changes.push({
      kind: 'rename',
      path: c.path,
      to,
      reason: `disable ${c.plugins.join('+') || c.name || 'unknown'} CNI config (kubeedge/kubeedge#6612)`,
    });
  }
  const fstab = fs.readText(FSTAB);
  if (fstab === undefined || !fstabHasBpffs(fstab)) {
    const base = fstab === undefined || fstab === '' || fstab.endsWith('\n') ? (fstab ?? '') : `${fstab}\n`;
    changes.push({
      kind: 'write',
      path: FSTAB,
      after: `${base}${FSTAB_LINE}\n`,
      reason: `mount bpffs at ${BPFFS} at boot`,
    });
  }
  if (fs.readText(SYSCTL_DROPIN) !== SYSCTL_CONTENT) {
    changes.push({
      kind: 'write',
      path: SYSCTL_DROPIN,
      after: SYSCTL_CONTENT,
      reason: 'rp_filter off for Cilium (persistent)',
      mode: 0o644,
    });
  }
  return changes;
}

export interface PrepareOptions {
  root?: string;
  dryRun?: boolean;
  backupDir?: string;
}

export async function prepare(fs: FsRoot, opts: PrepareOptions = {}): Promise<ChangeReport> {
  const dryRun = opts.dryRun === true;
  requireRoot(fs, dryRun, 'prepare');
  const journal = journalDir(fs, opts.backupDir);
  const changes = prepareChanges(fs);
  const actions: ActionReport[] = changes.map((c) => describeChange(fs, c, dryRun));
  const sysctls: SysctlEntry[] = [];
  if (fs.isHost) {
    for (const key of LIVE_SYSCTLS) {
      const before = fs.readText(`/proc/sys/${key.replace(/\./g, '/')}`)?.trim();
      if (before !== undefined && before !== '0') sysctls.push({ kind: 'sysctl', key, before, after: '0' });
    }
  }
  const mounted = readMounts(fs)?.some((m) => m.target === BPFFS && m.fstype === 'bpf') ?? false;
  let transaction: string | null = null;
  if (!dryRun && (changes.length || sysctls.length))
    transaction = applyChanges(fs, journal, 'prepare', changes, sysctls).id;
  for (const s of sysctls) {
    if (!dryRun) writeFileSync(`/proc/sys/${s.key.replace(/\./g, '/')}`, '0\n');
    actions.push({
      kind: 'sysctl',
      target: s.key,
      reason: 'rp_filter off now',
      status: dryRun ? 'planned' : 'done',
      detail: `${s.before} -> 0`,
    });
  }
  if (!mounted) {
    if (!fs.isHost)
      actions.push({
        kind: 'mount',
        target: BPFFS,
        reason: 'mount bpffs now',
        status: 'skipped',
        detail: '--root: the fstab line mounts it when the image boots',
      });
    else if (dryRun) actions.push({ kind: 'mount', target: BPFFS, reason: 'mount bpffs now', status: 'planned' });
    else {
      try {
        await run('mount', ['-t', 'bpf', 'bpffs', BPFFS]);
        actions.push({ kind: 'mount', target: BPFFS, reason: 'mount bpffs now', status: 'done' });
      } catch (e) {
        actions.push({
          kind: 'mount',
          target: BPFFS,
          reason: 'mount bpffs now',
          status: 'failed',
          detail: (e as Error).message.split('\n')[0] ?? '',
        });
      }
    }
  }
  return {
    command: 'prepare',
    root: fs.root,
    dryRun,
    changed: actions.some((a) => a.status === 'done' || a.status === 'planned'),
    transaction,
    journal,
    actions,
  };
}
