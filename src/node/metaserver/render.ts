// Human output of kec node metaserver check, in the style of kec node preflight: one line
// per resource, the reason and fix under each problem, a summary line.
import type { Palette } from '../../output/color.ts';
import { table } from '../../output/table.ts';
import type { Level, ResourceResult } from './evaluate.ts';
import type { MetaserverReport } from './run.ts';

function tag(c: Palette, l: Level): string {
  return l === 'pass' ? c.green('[PASS]') : l === 'warn' ? c.yellow('[WARN]') : c.red('[FAIL]');
}

const name = (r: ResourceResult): string => `${r.group ? `${r.group}/` : ''}${r.version}/${r.resource}`;

function watchCell(r: ResourceResult): string {
  if (!r.watch) return '-';
  return r.watch.ok ? `ok (${r.watch.events} event${r.watch.events === 1 ? '' : 's'})` : 'failed';
}

export function renderMetaserverCheck(r: MetaserverReport, c: Palette): string {
  const ms = r.metaServer;
  const from =
    ms.from === 'flag' ? '--metaserver' : ms.from === 'edgecore.yaml' ? (ms.config ?? 'edgecore.yaml') : 'default';
  const lines = [
    c.bold(
      `kec node metaserver check: MetaServer http://${ms.address} (${from}), Cilium ${r.ciliumVersion} agent (RBAC of chart ${r.chartVersion})`,
    ),
  ];
  if (ms.enabled === false && ms.config)
    lines.push(c.yellow(`${ms.config}: modules.metaManager.metaServer.enable is false`));
  if (!ms.reachable) lines.push(c.red(`MetaServer unreachable: ${ms.reason ?? ''}`));
  lines.push(
    '',
    table(
      ['', 'RESOURCE', 'STATUS', 'ITEMS', 'SOURCE', 'LIST', 'WATCH', 'NEEDED'],
      r.resources.map((x) => [
        tag(c, x.level),
        name(x),
        x.status,
        x.items === null ? '-' : String(x.items),
        x.source,
        x.list.ms ? `${x.list.ms}ms` : '-',
        watchCell(x),
        x.required ? 'always' : `with ${x.feature ?? 'a feature'}`,
      ]),
    ),
  );
  const problems = r.resources.filter((x) => x.level !== 'pass');
  if (problems.length) lines.push('');
  for (const x of problems) {
    lines.push(`${tag(c, x.level)} ${name(x)}: ${x.status}${x.reason ? ` — ${x.reason}` : ''}`);
    if (x.hint) lines.push(`       ${c.dim('fix:')} ${x.hint}`);
  }
  const s = r.summary;
  const src = `${s.sources.cloud} from the cloud, ${s.sources.edge} from the edge store, ${s.sources.unknown} unknown`;
  lines.push(
    '',
    `${c.bold('Summary:')} ${s.total} resources: ${c.green(`${s.pass} passed`)}, ${c.yellow(`${s.warn} warning${s.warn === 1 ? '' : 's'}`)}, ${s.fail ? c.red(`${s.fail} failed`) : '0 failed'} (${src}) — ${r.ok ? c.green('MetaServer serves what the Cilium agent needs') : c.red('the Cilium agent will not work through this MetaServer')}`,
  );
  return lines.join('\n');
}
