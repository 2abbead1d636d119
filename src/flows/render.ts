// Human-readable rendering of a FlowSummary (tables; colour only through the palette).
import type { FlowSummary } from './summarize.ts';
import type { Palette } from '../output/color.ts';
import { table } from '../output/table.ts';

const pct = (n: number, total: number): string => (total ? `${((100 * n) / total).toFixed(1)}%` : '-');
const entries = (o: Record<string, number>, limit: number): Array<[string, number]> =>
  Object.entries(o).slice(0, limit);

export function renderSummary(s: FlowSummary, c: Palette, top = 10): string {
  const out: string[] = [];
  const dropped = s.byVerdict['DROPPED'] ?? 0;
  out.push(
    `${c.bold('Flows')}: ${s.total}  dropped: ${dropped ? c.red(String(dropped)) : '0'} (${pct(dropped, s.total)})  malformed lines: ${s.malformed ? c.yellow(String(s.malformed)) : '0'}${s.lostEvents ? `  lost events: ${c.yellow(String(s.lostEvents))}` : ''}`,
  );
  for (const m of s.malformedLines) out.push(c.dim(`  line ${m.line}: ${m.error}`));
  if (s.malformed > s.malformedLines.length) out.push(c.dim(`  … ${s.malformed - s.malformedLines.length} more`));

  out.push(
    '',
    c.bold('By verdict'),
    table(
      ['VERDICT', 'FLOWS', 'SHARE'],
      entries(s.byVerdict, Infinity).map(([k, n]) => [k, String(n), pct(n, s.total)]),
    ),
  );

  const label = s.by === 'group' ? 'EDGE GROUP' : s.by.toUpperCase();
  const rows = Object.entries(s.byGroup)
    .slice(0, Math.max(top, 20))
    .map(([k, r]) => [
      k,
      String(r.total),
      r.dropped ? c.red(String(r.dropped)) : '0',
      String(r.policyDenied),
      Object.keys(r.byDropReason)[0] ?? '-',
    ]);
  out.push(
    '',
    c.bold(`By ${s.by}`) +
      (s.by === 'node' && s.grouping === 'none'
        ? c.dim('  (pass -f SPEC and --nodes NODES.json to group nodes by edge group)')
        : ''),
  );
  out.push(table([label, 'FLOWS', 'DROPPED', 'POLICY DENIED', 'TOP DROP REASON'], rows));

  if (Object.keys(s.byDropReason).length) {
    out.push(
      '',
      c.bold('Drops by reason'),
      table(
        ['REASON', 'FLOWS'],
        entries(s.byDropReason, top).map(([k, n]) => [k, String(n)]),
      ),
    );
  }
  if (s.policyDenies.length) {
    out.push(
      '',
      c.bold('Policy denies'),
      table(
        ['SOURCE', 'DESTINATION', 'PORT', 'PROTO', 'FLOWS'],
        s.policyDenies.map((d) => [
          d.source,
          d.destination,
          d.port === null ? '-' : String(d.port),
          d.protocol,
          String(d.count),
        ]),
      ),
    );
  }
  if (s.topTalkers.length) {
    out.push(
      '',
      c.bold('Top talkers'),
      table(
        ['SOURCE', 'DESTINATION', 'FLOWS', 'DROPPED'],
        s.topTalkers.map((t) => [t.source, t.destination, String(t.count), String(t.dropped)]),
      ),
    );
  }
  if (s.dns) {
    const d = s.dns;
    out.push(
      '',
      `${c.bold('DNS')}: ${d.queries} queries, ${d.responses} responses (${
        entries(d.byRcode, 6)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || 'none'
      })`,
    );
    if (d.topQueries.length)
      out.push(
        table(
          ['QUERY', 'COUNT'],
          d.topQueries.map((q) => [q.query, String(q.count)]),
        ),
      );
    if (d.topNxdomain.length)
      out.push(
        '',
        table(
          ['NXDOMAIN', 'COUNT'],
          d.topNxdomain.map((q) => [q.query, String(q.count)]),
        ),
      );
  }
  if (s.http) {
    const h = s.http;
    out.push(
      '',
      `${c.bold('HTTP')}: ${h.requests} requests, ${h.responses} responses (${
        entries(h.byStatus, 6)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || 'none'
      })${h.meanLatencyMs !== null ? `, mean latency ${h.meanLatencyMs} ms` : ''}`,
    );
    if (h.topPaths.length)
      out.push(
        table(
          ['PATH', 'REQUESTS'],
          h.topPaths.map((p) => [p.path, String(p.count)]),
        ),
      );
  }
  return out.join('\n');
}
