// The result of `kec connectivity test` as data, its summary line (cilium-cli's wording:
// "All N tests (M actions) successful, K tests skipped"), human output and JUnit suites.
import type { Palette } from '../../output/color.ts';
import type { JUnitSuite } from '../../output/junit.ts';
import { table } from '../../output/table.ts';
import type { TestResult } from './execute.ts';
import { formatMs } from './execute.ts';
import type { Site } from './test-matrix.ts';

export interface SiteReport {
  name: string;
  kind: Site['kind'];
  nodes: string[];
  skipped?: string;
  /** pod@node */
  client?: string;
  echo?: string;
  problem?: string;
}

export interface ConnectivitySummary {
  /** Tests that ran (not skipped). */
  tests: number;
  actions: number;
  failedTests: number;
  failedActions: number;
  skippedTests: number;
  line: string;
}

export interface ConnectivityReport {
  namespace: string;
  startedAt: string;
  durationMs: number;
  prober: string;
  sites: SiteReport[];
  tests: TestResult[];
  summary: ConnectivitySummary;
  /** Deployment or cleanup problems (not tied to one test). */
  errors: string[];
  cleanup: 'deleted' | 'kept' | 'failed' | 'not needed';
  interrupted: boolean;
  ok: boolean;
}

export function summarise(namespace: string, tests: readonly TestResult[]): ConnectivitySummary {
  const ran = tests.filter((t) => t.status !== 'skipped');
  const actions = ran.reduce((n, t) => n + Math.max(1, t.actions.length), 0);
  const failed = ran.filter((t) => t.status === 'failed');
  const failedActions = failed.reduce(
    (n, t) => n + Math.max(1, t.actions.filter((a) => a.status !== 'passed').length),
    0,
  );
  const skipped = tests.length - ran.length;
  const tail = `${skipped} test${skipped === 1 ? '' : 's'} skipped`;
  const line =
    failed.length === 0 && ran.length > 0
      ? `[${namespace}] All ${ran.length} tests (${actions} actions) successful, ${tail}.`
      : ran.length === 0
        ? `[${namespace}] No test ran, ${tail}.`
        : `[${namespace}] ${failed.length}/${ran.length} tests failed (${failedActions}/${actions} actions), ${tail}.`;
  return { tests: ran.length, actions, failedTests: failed.length, failedActions, skippedTests: skipped, line };
}

function siteRows(r: ConnectivityReport, c: Palette): string[][] {
  return r.sites.map((s) => [
    s.name,
    s.kind,
    s.nodes.join(',') || '-',
    s.skipped !== undefined
      ? c.yellow(`skipped: ${s.skipped}`)
      : s.problem !== undefined
        ? c.red(s.problem)
        : `${s.client ?? '-'}  ${s.echo ?? '-'}`,
  ]);
}

export function renderConnectivity(r: ConnectivityReport, c: Palette): string {
  const out: string[] = [];
  out.push(c.bold(`Connectivity test in ${r.namespace} (prober: ${r.prober})`));
  out.push(table(['SITE', 'KIND', 'NODES', 'CLIENT / ECHO'], siteRows(r, c)));
  out.push('');
  for (const t of r.tests) {
    const mark = t.status === 'passed' ? c.green('✓') : t.status === 'skipped' ? c.yellow('-') : c.red('✗');
    const extra =
      t.status === 'skipped'
        ? c.dim(`  skipped: ${t.reason ?? ''}`)
        : t.status === 'failed'
          ? ''
          : c.dim(`  ${formatMs(t.durationMs)}`);
    out.push(`${mark} ${t.name}${extra}`);
  }
  out.push('');
  const failed = r.tests.filter((t) => t.status === 'failed');
  if (failed.length) {
    out.push(c.bold(`Test Report [${r.namespace}]`));
    for (const t of failed) {
      out.push(`Test [${t.name}]:`);
      if (t.actions.length === 0) out.push(`  ${c.red('✗')} ${t.reason ?? 'failed'}`);
      for (const a of t.actions)
        if (a.status !== 'passed') out.push(`  ${c.red('✗')} ${a.name}: ${a.from} → ${a.to}: ${a.detail ?? a.status}`);
    }
  }
  for (const e of r.errors) out.push(c.red(`error: ${e}`));
  if (r.interrupted) out.push(c.yellow('Interrupted.'));
  out.push(
    r.cleanup === 'kept'
      ? c.dim(`Kept namespace ${r.namespace} (--keep); delete it with: kec connectivity cleanup`)
      : r.cleanup === 'failed'
        ? c.red(`Cleanup of ${r.namespace} failed; run kec connectivity cleanup`)
        : c.dim(`Namespace ${r.namespace}: ${r.cleanup}`),
  );
  out.push(r.ok ? c.green(r.summary.line) : c.red(r.summary.line));
  return out.join('\n');
}

export function junitSuites(r: ConnectivityReport): JUnitSuite[] {
  return [
    {
      name: 'connectivity test',
      package: r.namespace,
      timestamp: r.startedAt,
      properties: {
        namespace: r.namespace,
        prober: r.prober,
        ...Object.fromEntries(r.sites.filter((s) => s.skipped).map((s) => [`skipped site ${s.name}`, s.skipped ?? ''])),
      },
      cases: r.tests.map((t) => {
        const base = { name: t.name, classname: 'connectivity test', time: t.durationMs / 1000 };
        if (t.status === 'skipped') return { ...base, skipped: t.reason ?? 'skipped' };
        if (t.status === 'failed') {
          const lines = t.actions
            .filter((a) => a.status !== 'passed')
            .map(
              (a) =>
                `${a.name}: ${a.from} → ${a.to}: ${a.detail ?? a.status}${a.command ? `\n  command: ${a.command.join(' ')}` : ''}`,
            );
          return {
            ...base,
            failure: {
              message: t.reason ?? 'failed',
              type: t.actions.some((a) => a.status === 'timeout') ? 'timeout' : 'failure',
              details: lines.join('\n') || (t.reason ?? 'failed'),
            },
          };
        }
        return base;
      }),
    },
  ];
}
