// Human output of kec node: preflight in the style of kubeadm's system validators
// ("CONFIG_NET_CLS_BPF: enabled (as module)"), change reports with diffs.
import type { Palette } from '../output/color.ts';
import { KERNEL_FEATURES } from '../knowledge/kernel.ts';
import type { KernelFeatureName } from '../knowledge/kernel.ts';
import type { PreflightReport } from './preflight.ts';
import type { ChangeReport } from './changes.ts';
import type { RollbackResult } from './rollback.ts';
import type { Manifest } from './journal.ts';
import { table } from '../output/table.ts';
import type { Check, CheckStatus } from '../check.ts';
import { join } from 'node:path';
import { DEFAULT_JOURNAL } from './journal.ts';

const TAG: Record<CheckStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' };

function tag(c: Palette, s: CheckStatus): string {
  const t = `[${TAG[s]}]`;
  return s === 'pass' ? c.green(t) : s === 'warn' ? c.yellow(t) : s === 'fail' ? c.red(t) : c.dim(t);
}

/** Skipped checks of one feature that skip for the same reason ("X: not checked (no kernel config)") print as one line. */
export function collapseSkips(checks: readonly Check[]): Check[] {
  const out: Check[] = [];
  const byReason = new Map<string, { names: string[]; at: number }>();
  for (const x of checks) {
    const m = x.status === 'skip' ? /^(\S+): (.+)$/.exec(x.message) : null;
    if (!m) {
      out.push(x);
      continue;
    }
    const seen = byReason.get(m[2]!);
    if (seen) seen.names.push(m[1]!);
    else {
      byReason.set(m[2]!, { names: [m[1]!], at: out.length });
      out.push(x);
    }
  }
  for (const [reason, { names, at }] of byReason) {
    if (names.length > 1) out[at] = { ...out[at]!, message: `${names.join(', ')}: ${reason}` };
  }
  return out;
}

export function renderPreflight(r: PreflightReport, c: Palette): string {
  const lines: string[] = [];
  const cfg = r.kernel.configSource
    ? `${r.kernel.configSource}${r.kernel.configKind === 'defconfig' ? ', defconfig' : ''}`
    : 'not found';
  lines.push(
    c.bold(`kec node preflight: Cilium ${r.cilium.version}, kernel ${r.kernel.release ?? 'unknown'} (config: ${cfg})`),
  );
  lines.push(
    `features: ${r.features.join(', ')}${r.scope === 'kernel' ? ' — kernel only (--kernel-config of another kernel)' : ''}`,
  );
  const order = [...r.features, ...new Set(r.checks.map((x) => x.feature))].filter((f, i, a) => a.indexOf(f) === i);
  for (const f of order) {
    const cs = r.checks.filter((x) => x.feature === f);
    if (!cs.length) continue;
    const title = (KERNEL_FEATURES as Record<string, { title: string }>)[f as KernelFeatureName]?.title ?? f;
    lines.push('', c.bold(`${f} — ${title}`));
    for (const x of collapseSkips(cs)) {
      lines.push(`  ${tag(c, x.status)} ${x.message}`);
      if (x.fix && (x.status === 'fail' || x.status === 'warn')) lines.push(`         ${c.dim('fix:')} ${x.fix}`);
    }
  }
  const s = r.summary;
  lines.push(
    '',
    `${c.bold('Summary:')} ${c.green(`${s.pass} passed`)}, ${c.yellow(`${s.warn} warning${s.warn === 1 ? '' : 's'}`)}, ${s.fail ? c.red(`${s.fail} failed`) : '0 failed'}, ${s.skip} skipped — ${r.ok ? c.green('ready for Cilium') : c.red('fix the failures before installing Cilium')}`,
  );
  return lines.join('\n');
}

export function renderChanges(r: ChangeReport, c: Palette): string {
  const lines: string[] = [];
  const pending = r.actions.filter((a) => a.status !== 'skipped');
  if (!r.changed && !pending.length) {
    lines.push(`kec node ${r.command}: nothing to change${r.root !== '/' ? ` under ${r.root}` : ''} (already done)`);
  } else {
    lines.push(
      c.bold(
        `kec node ${r.command}${r.dryRun ? ' --dry-run (nothing written)' : ''}${r.root !== '/' ? ` under ${r.root}` : ''}:`,
      ),
    );
  }
  for (const a of r.actions) {
    const st =
      a.status === 'done'
        ? c.green(a.status)
        : a.status === 'failed'
          ? c.red(a.status)
          : a.status === 'planned'
            ? c.yellow('would')
            : c.dim(a.status);
    lines.push(`  ${st} ${a.kind} ${a.target}: ${a.reason}${a.detail ? ` (${a.detail})` : ''}`);
    if (a.diff)
      lines.push(
        a.diff
          .trimEnd()
          .split('\n')
          .map(
            (l) =>
              `    ${l.startsWith('+') && !l.startsWith('+++') ? c.green(l) : l.startsWith('-') && !l.startsWith('---') ? c.red(l) : l}`,
          )
          .join('\n'),
      );
  }
  for (const w of r.warnings ?? []) lines.push(c.yellow(`warning: ${w}`));
  if (r.transaction) {
    // The undo command must name the same root (and journal) the change was made under.
    const root = r.root !== '/' ? ` --root ${r.root}` : '';
    const journal = r.journal !== join(r.root, DEFAULT_JOURNAL) ? ` --backup-dir ${r.journal}` : '';
    lines.push(
      `backup: ${r.journal}/${r.transaction} (undo with: kec node rollback --to ${r.transaction}${root}${journal})`,
    );
  }
  return lines.join('\n');
}

export function renderRollback(r: RollbackResult, c: Palette): string {
  if (!r.transactions.length) return 'kec node rollback: nothing to roll back';
  const lines = [c.bold(`kec node rollback${r.dryRun ? ' --dry-run' : ''}: ${r.transactions.join(', ')}`)];
  // A dry run restores nothing: it says what it would do.
  const verb = (a: string): string => (r.dryRun && a !== 'unchanged' ? `would be ${a}` : a);
  for (const a of r.actions)
    lines.push(`  ${a.action === 'unchanged' ? c.dim(verb(a.action)) : c.green(verb(a.action))} ${a.path}`);
  return lines.join('\n');
}

export function renderTransactions(list: Manifest[]): string {
  if (!list.length) return 'no kec node transactions';
  return table(
    ['ID', 'COMMAND', 'STATUS', 'CREATED', 'FILES'],
    list.map((m) => [
      m.id,
      m.command,
      m.status,
      m.createdAt,
      m.entries.map((e) => (e.kind === 'sysctl' ? e.key : e.path)).join(', '),
    ]),
  );
}
